import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A saved segment (its rule as stored: validated JSON). */
export interface SegmentRecord {
  id: string;
  name: string;
  description: string;
  rule: unknown;
  version: number;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One player of a segment preview's sample. */
export interface SegmentSampleRow {
  id: string;
  username: string;
  level: number;
  status: string;
  gold: number;
  gem: number;
  lastSeenAt: Date;
}

const COLUMNS = 'id, name, description, rule, version, created_by, created_by_name, created_at, updated_at';

/** The segments table, and the queries run over a compiled rule: a preview and the members' fingerprint. */
export const segments = {
  async insert(em: EntityManager, s: Omit<SegmentRecord, 'id' | 'version'>): Promise<SegmentRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `insert into segments (${COLUMNS}) values (?, ?, ?, ?::jsonb, 1, ?, ?, ?, ?) on conflict (name) do nothing returning ${COLUMNS}`,
      [randomUUID(), s.name, s.description, JSON.stringify(s.rule), s.createdBy, s.createdByName, s.createdAt, s.updatedAt],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  },

  /** A segment, locked for update when `lock` (an edit reads the version it checks under the lock). */
  async find(em: EntityManager, id: string, lock = false): Promise<SegmentRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${COLUMNS} from segments where id = ?${lock ? ' for update' : ''}`,
      [id],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  },

  async nameTaken(em: EntityManager, name: string, exceptId: string): Promise<boolean> {
    const rows = await em.execute<unknown[]>(`select 1 from segments where name = ? and id <> ?`, [name, exceptId]);
    return rows.length > 0;
  },

  /** Writes name, description and rule and bumps the version. */
  async update(
    em: EntityManager,
    id: string,
    s: Pick<SegmentRecord, 'name' | 'description' | 'rule' | 'updatedAt'>,
  ): Promise<SegmentRecord> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `update segments set name = ?, description = ?, rule = ?::jsonb, updated_at = ?, version = version + 1 where id = ? returning ${COLUMNS}`,
      [s.name, s.description, JSON.stringify(s.rule), s.updatedAt, id],
    );
    return toRecord(rows[0]);
  },

  async delete(em: EntityManager, id: string): Promise<SegmentRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(`delete from segments where id = ? returning ${COLUMNS}`, [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  },

  /** Segments, most recently updated first, after the keyset `(updated_at, id)` given as text. */
  async list(em: EntityManager, after: { value: string; id: string } | undefined, limit: number): Promise<SegmentRecord[]> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${COLUMNS} from segments ${after ? 'where (updated_at, id) < (?::timestamptz, ?::uuid)' : ''}
       order by updated_at desc, id desc limit ?`,
      after ? [after.value, after.id, limit] : [limit],
    );
    return rows.map(toRecord);
  },

  /**
   * How many players a compiled rule (`where` over `users u`) selects, and up to `limit` of them, most recently seen
   * first, with their balances: one statement, so the rule is evaluated once (the members are materialised, counted,
   * and the sample taken from them by a top-N sort).
   */
  async preview(
    em: EntityManager,
    rule: { where: string; params: unknown[] },
    limit: number,
  ): Promise<{ count: number; sample: SegmentSampleRow[] }> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `with m as materialized (select u.id, u.last_seen_at from users u where u.role = 'player' and (${rule.where})),
            c as (select count(*)::int as n from m),
            top as (select m.id from m order by m.last_seen_at desc, m.id limit ?)
       select c.n, u.id, u.username, u.level, u.status, u.last_seen_at,
              coalesce((select w.balance from wallets w where w.user_id = u.id and w.currency = 'GOLD'), 0) as gold,
              coalesce((select w.balance from wallets w where w.user_id = u.id and w.currency = 'GEM'), 0) as gem
         from c left join (top join users u on u.id = top.id) on true
        order by u.last_seen_at desc, u.id`,
      [...rule.params, limit],
    );
    const sample = rows
      .filter((r) => r.id !== null)
      .map((r) => ({
        id: r.id as string,
        username: r.username as string,
        level: Number(r.level),
        status: r.status as string,
        gold: Number(r.gold),
        gem: Number(r.gem),
        lastSeenAt: new Date(r.last_seen_at as string | Date),
      }));
    return { count: Number(rows[0].n), sample };
  },

  /** The count and a SHA-256 over the sorted member ids of a compiled rule, in one query. */
  async fingerprint(em: EntityManager, members: { sql: string; params: unknown[] }): Promise<{ count: number; hash: string }> {
    const [row] = await em.execute<Array<{ n: number; hash: string }>>(
      `select count(*)::int as n, encode(sha256(convert_to(coalesce(string_agg(m.user_id::text, ',' order by m.user_id), ''), 'UTF8')), 'hex') as hash
         from (${members.sql}) m`,
      members.params,
    );
    return { count: row.n, hash: row.hash };
  },
};

function toRecord(r: Record<string, unknown>): SegmentRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    description: r.description as string,
    rule: typeof r.rule === 'string' ? JSON.parse(r.rule) : r.rule,
    version: Number(r.version),
    createdBy: r.created_by as string,
    createdByName: r.created_by_name as string,
    createdAt: new Date(r.created_at as string | Date),
    updatedAt: new Date(r.updated_at as string | Date),
  };
}
