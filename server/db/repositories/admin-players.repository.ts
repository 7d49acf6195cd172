import type { EntityManager } from '@mikro-orm/postgresql';

/** The sorts of the admin players grid. */
export const PLAYER_SORTS = ['created', 'last_seen', 'level', 'gold', 'gem', 'wagered_7d'] as const;
export type PlayerSort = (typeof PLAYER_SORTS)[number];

/** One row of the players grid. */
export interface PlayerGridRow {
  id: string;
  username: string;
  status: string;
  level: number;
  createdAt: Date;
  lastSeenAt: Date;
  gold: number;
  gem: number;
  wagered7d: number;
  /** the row's sort value in PostgreSQL's text form (a timestamp keeps its microseconds), for the next page's cursor */
  sortKey: string;
}

/** The grid's filters; `prefix` is a lower-cased username prefix, `id` an exact user id. */
export interface PlayerFilter {
  id?: string;
  prefix?: string;
  status?: string;
  levelMin?: number;
  levelMax?: number;
  createdFrom?: Date;
  createdTo?: Date;
}

/** Where a page starts: the previous page's last sort value and id. */
export interface PlayerKeyset {
  value: string;
  id: string;
}

/**
 * The sort key of each sort and the id column that breaks its ties. Sorts on a `users` column walk a partial index
 * `(column, id) where role = 'player'`; GOLD and GEM walk `wallets (currency, balance, user_id)`.
 */
const SORT_COLUMNS: Record<PlayerSort, { key: string; id: string; cast: string }> = {
  created: { key: 'u.created_at', id: 'u.id', cast: 'timestamptz' },
  last_seen: { key: 'u.last_seen_at', id: 'u.id', cast: 'timestamptz' },
  level: { key: 'u.level', id: 'u.id', cast: 'int' },
  wagered_7d: { key: 'u.wagered_7d', id: 'u.id', cast: 'bigint' },
  gold: { key: 'g.balance', id: 'g.user_id', cast: 'bigint' },
  gem: { key: 'm.balance', id: 'm.user_id', cast: 'bigint' },
};

/**
 * A page of players (`role = 'player'`), `limit + 1` rows so the caller knows whether another page follows. Every
 * player has a wallet per currency from sign-up on, so the wallets are joined, not outer-joined.
 */
export async function playerGridPage(
  em: EntityManager,
  q: { filter: PlayerFilter; sort: PlayerSort; order: 'asc' | 'desc'; after?: PlayerKeyset; limit: number },
): Promise<PlayerGridRow[]> {
  const col = SORT_COLUMNS[q.sort];
  const where = [`u.role = 'player'`];
  const params: unknown[] = [];
  const f = q.filter;
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (f.id) add('u.id = ?', f.id);
  if (f.prefix) add(`u.username_key like ?`, `${f.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.status) add('u.status = ?', f.status);
  if (f.levelMin !== undefined) add('u.level >= ?', f.levelMin);
  if (f.levelMax !== undefined) add('u.level <= ?', f.levelMax);
  if (f.createdFrom) add('u.created_at >= ?', f.createdFrom);
  if (f.createdTo) add('u.created_at < ?', f.createdTo);
  const dir = q.order === 'desc' ? 'desc' : 'asc';
  // a rare status (banned, suspended) matches few players: they are read first (OFFSET 0 keeps the subquery apart),
  // then sorted, instead of walking a sort index past every active player to the end of the last page
  const rare = f.status !== undefined && f.status !== 'active';
  const users = rare ? `(select * from users u where ${where.splice(0).join(' and ')} offset 0) u` : 'users u';
  if (q.after) add(`(${col.key}, ${col.id}) ${dir === 'desc' ? '<' : '>'} (?::${col.cast}, ?::uuid)`, q.after.value, q.after.id);
  params.push(q.limit + 1);
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select ${col.key}::text as sort_key, u.id, u.username, u.status, u.level, u.created_at, u.last_seen_at, u.wagered_7d, g.balance as gold, m.balance as gem
       from ${users}
       join wallets g on g.user_id = u.id and g.currency = 'GOLD'
       join wallets m on m.user_id = u.id and m.currency = 'GEM'
      where ${where.length ? where.join(' and ') : 'true'}
      order by ${col.key} ${dir}, ${col.id} ${dir}
      limit ?`,
    params,
  );
  return rows.map(toGridRow);
}

/**
 * Sets every player's `wagered_7d` to the GOLD wagered in their game sessions started in the last 7 days; only rows
 * whose figure changed are written. Returns how many changed.
 */
export async function refreshWagered7d(em: EntityManager): Promise<number> {
  const rows = await em.execute<Array<{ n: string }>>(
    `with w as (
       select user_id, sum(wagered) as total from game_sessions where started_at >= now() - interval '7 days' group by user_id
     ), changed as (
       update users u set wagered_7d = coalesce(w.total, 0)
         from users x left join w on w.user_id = x.id
        where u.id = x.id and x.role = 'player' and x.wagered_7d <> coalesce(w.total, 0)
        returning 1
     )
     select count(*) as n from changed`,
  );
  return Number(rows[0]?.n ?? 0);
}

function toGridRow(r: Record<string, unknown>): PlayerGridRow {
  return {
    id: String(r.id),
    username: String(r.username),
    status: String(r.status),
    level: Number(r.level),
    createdAt: new Date(r.created_at as string),
    lastSeenAt: new Date(r.last_seen_at as string),
    // bigint columns come back as text from the driver
    gold: Number(r.gold),
    gem: Number(r.gem),
    wagered7d: Number(r.wagered_7d),
    sortKey: String(r.sort_key),
  };
}
