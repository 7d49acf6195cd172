import type { EntityManager } from '@mikro-orm/postgresql';

/** The lists of a player's page in the admin console, each read newest first with keyset paging. */
export const PLAYER_LISTS = {
  ledger: {
    table: 'ledger_entries',
    key: 'id',
    cast: 'bigint',
    columns: 'id, currency, delta, balance_after, reason, ref_type, ref_id, actor, meta, created_at',
  },
  sessions: {
    table: 'auth_sessions',
    key: 'created_at',
    cast: 'timestamptz',
    columns: 'id, created_at, ip, user_agent, revoked_at, revoked_reason',
  },
  rounds: {
    table: 'game_rounds',
    key: 'created_at',
    cast: 'timestamptz',
    columns: 'id, game, currency, bet, payout, multiplier, status, created_at, settled_at',
  },
  purchases: {
    table: 'purchases',
    key: 'created_at',
    cast: 'timestamptz',
    columns: 'id, sku, quantity, unit_price, total_price, price_currency, status, receipt_code, created_at, completed_at',
  },
  inventory: {
    table: 'inventory_items',
    key: 'acquired_at',
    cast: 'timestamptz',
    columns: 'id, item_id, quantity, source, acquired_at, expires_at',
  },
  rewards: {
    table: 'reward_grants',
    key: 'created_at',
    cast: 'timestamptz',
    columns: 'id, grant_key, source, source_id, bundle, created_at',
  },
} as const;
export type PlayerList = keyof typeof PLAYER_LISTS;

/**
 * A page of one of a player's lists, newest first (ties broken by id), `limit + 1` rows so the caller knows whether
 * another page follows. Each row carries `sort_key`, its sort value as text, for the next page's cursor.
 */
export async function playerListPage(
  em: EntityManager,
  list: PlayerList,
  userId: string,
  page: { after?: { value: string; id: string }; limit: number },
): Promise<Array<Record<string, unknown>>> {
  const l = PLAYER_LISTS[list];
  const idCast = list === 'ledger' ? 'bigint' : 'uuid';
  const params: unknown[] = [userId];
  let after = '';
  if (page.after) {
    after = `and (${l.key}, id) < (?::${l.cast}, ?::${idCast})`;
    params.push(page.after.value, page.after.id);
  }
  params.push(page.limit + 1);
  return em.execute(
    `select ${l.key}::text as sort_key, ${l.columns} from ${l.table}
      where user_id = ? ${after}
      order by ${l.key} desc, id desc limit ?`,
    params,
  );
}

/** A player's account row with the figures the admin page shows, or null for an unknown id or a non-player. */
export async function playerProfile(em: EntityManager, userId: string): Promise<Record<string, unknown> | null> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `select u.id, u.username, u.role, u.status, u.level, u.xp, u.created_at, u.last_login_at, u.last_seen_at, u.wagered_7d,
            (select count(*) from ledger_entries where user_id = u.id) as ledger_entries,
            (select count(*) from game_sessions where user_id = u.id) as game_sessions,
            (select count(*) from game_rounds where user_id = u.id) as rounds,
            (select count(*) from purchases where user_id = u.id) as purchases,
            (select count(*) from auth_sessions where user_id = u.id and revoked_at is null) as open_auth_sessions
       from users u where u.id = ? and u.role = 'player'`,
    [userId],
  );
  return row ?? null;
}

/** A player's status and username, locked for the caller's transaction, or null when no player has this id. */
export async function lockPlayer(em: EntityManager, userId: string): Promise<{ status: string; username: string } | null> {
  const [row] = await em.execute<Array<{ status: string; username: string }>>(
    `select status, username from users where id = ? and role = 'player' for update`,
    [userId],
  );
  return row ?? null;
}

/** Sets a player's status. */
export async function setPlayerStatus(em: EntityManager, userId: string, status: string): Promise<void> {
  await em.execute(`update users set status = ? where id = ?`, [status, userId]);
}

/** Ends every open auth session of a user; returns the ids it ended. */
export async function revokeUserSessions(em: EntityManager, userId: string, reason: string): Promise<string[]> {
  const rows = await em.execute<Array<{ id: string }>>(
    `update auth_sessions set revoked_at = now(), revoked_reason = ? where user_id = ? and revoked_at is null returning id`,
    [reason, userId],
  );
  return rows.map((r) => r.id);
}

/** The ids of a user's sessions ended within the last `seconds` (their access tokens may still be alive). */
export async function recentlyRevokedSessions(em: EntityManager, userId: string, seconds: number): Promise<string[]> {
  const rows = await em.execute<Array<{ id: string }>>(
    `select id from auth_sessions where user_id = ? and revoked_at > now() - make_interval(secs => ?)`,
    [userId, seconds],
  );
  return rows.map((r) => r.id);
}
