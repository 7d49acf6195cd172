import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationKind, OperationStatus } from '../../../domain/admin/operations.ts';

/** An operation row as the services read it (JSON columns parsed, timestamps as dates). */
export interface OperationRow {
  id: string;
  kind: OperationKind;
  params: Record<string, unknown>;
  target: Record<string, unknown>;
  status: OperationStatus;
  shadowJobId: string | null;
  applyJobId: string | null;
  undoJobId: string | null;
  plan: { count: number; hash: string } | null;
  totals: Record<string, unknown>;
  createdBy: string;
  createdByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns an operation is updated through (each one optional). */
export type OperationChange = Partial<Pick<OperationRow, 'status' | 'shadowJobId' | 'applyJobId' | 'undoJobId' | 'plan' | 'totals'>>;

const COLUMNS = `id, kind, params, target, status, shadow_job_id, apply_job_id, undo_job_id, plan, totals, created_by, created_by_name,
  version, created_at, updated_at`;
const SNAKE: Record<keyof OperationChange, string> = {
  status: 'status',
  shadowJobId: 'shadow_job_id',
  applyJobId: 'apply_job_id',
  undoJobId: 'undo_job_id',
  plan: 'plan',
  totals: 'totals',
};
const JSON_COLUMNS = new Set(['plan', 'totals']);

/** The operations table. */
export const operations = {
  async insert(
    em: EntityManager,
    o: Pick<OperationRow, 'id' | 'kind' | 'params' | 'target' | 'createdBy' | 'createdByName'>,
  ): Promise<OperationRow> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `insert into operations (id, kind, params, target, status, created_by, created_by_name, created_at, updated_at)
       values (?, ?, ?::jsonb, ?::jsonb, 'draft', ?, ?, now(), now()) returning ${COLUMNS}`,
      [o.id, o.kind, JSON.stringify(o.params), JSON.stringify(o.target), o.createdBy, o.createdByName],
    );
    return toOperation(row);
  },

  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<OperationRow | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select ${COLUMNS} from operations where id = ? ${opts.lock ? 'for update' : ''}`,
      [id],
    );
    return row ? toOperation(row) : null;
  },

  /** Writes `change`, bumps the version; returns the new row. */
  async update(em: EntityManager, id: string, change: OperationChange): Promise<OperationRow> {
    const entries = Object.entries(change) as Array<[keyof OperationChange, unknown]>;
    const sets = entries.map(([k]) => `${SNAKE[k]} = ?${JSON_COLUMNS.has(k) ? '::jsonb' : ''}`);
    const params = entries.map(([k, v]) => (JSON_COLUMNS.has(k) && v !== null ? JSON.stringify(v) : v));
    const [row] = await em.execute<Record<string, unknown>[]>(
      `update operations set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = ? returning ${COLUMNS}`,
      [...params, id],
    );
    return toOperation(row);
  },

  /** A page of operations, newest first (optionally of one status), `limit + 1` rows after the keyset `after`. */
  async page(
    em: EntityManager,
    q: { status?: OperationStatus; after?: { value: string; id: string }; limit: number },
  ): Promise<Array<OperationRow & { sortKey: string }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.after) {
      where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
      params.push(q.after.value, q.after.id);
    }
    const rows = await em.execute<Record<string, unknown>[]>(
      `select created_at::text as sort_key, ${COLUMNS} from operations ${where.length ? `where ${where.join(' and ')}` : ''}
        order by created_at desc, id desc limit ?`,
      [...params, q.limit + 1],
    );
    return rows.map((r) => ({ ...toOperation(r), sortKey: String(r.sort_key) }));
  },

  /** Players (role `player`) among the given ids and usernames (username keys): their id and username key. */
  async findPlayers(em: EntityManager, ids: string[], usernameKeys: string[]): Promise<Array<{ id: string; usernameKey: string }>> {
    const rows = await em.execute<Array<{ id: string; username_key: string }>>(
      `select id, username_key from users
        where role = 'player' and (id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
                                   or username_key in (select value from jsonb_array_elements_text(?::jsonb)))`,
      [JSON.stringify(ids), JSON.stringify(usernameKeys)],
    );
    return rows.map((r) => ({ id: r.id, usernameKey: r.username_key }));
  },

  /** Whether an item id is known: in a product's grants, a live-ops reward, or anyone's inventory. */
  async itemExists(em: EntityManager, itemId: string): Promise<boolean> {
    const [row] = await em.execute<Array<{ found: boolean }>>(
      `select exists (select 1 from inventory_items where item_id = ?)
           or exists (select 1 from products where grants -> 'items' @> jsonb_build_array(jsonb_build_object('item_id', ?::text)))
           or exists (select 1 from events where reward -> 'items' @> jsonb_build_array(jsonb_build_object('item_id', ?::text)))
           or exists (select 1 from missions where reward -> 'items' @> jsonb_build_array(jsonb_build_object('item_id', ?::text))) as found`,
      [itemId, itemId, itemId, itemId],
    );
    return Boolean(row?.found);
  },

  /** Players of `items`, their count and total amount (each player's own, else `amount`). */
  async listTotals(em: EntityManager, players: unknown[], amount: number | null): Promise<{ count: number; amount: number }> {
    const [row] = await em.execute<Array<{ count: string; amount: string | null }>>(
      `select count(*) as count, sum(coalesce(x.amount, ?::bigint)) as amount ${LIST_FROM}`,
      [amount, JSON.stringify(players)],
    );
    return { count: Number(row.count), amount: Number(row.amount ?? 0) };
  },

  /**
   * The select of a list target's job items (`user_id`, `payload` with the player's own amount when it has one), for
   * `insert … select`; players who are not (or no longer) players are left out.
   */
  listItemsSql(players: unknown[]): { sql: string; params: unknown[] } {
    return {
      sql: `select x.user_id, case when x.amount is null then '{}'::jsonb else jsonb_build_object('amount', x.amount) end as payload
            ${LIST_FROM} order by x.n`,
      params: [JSON.stringify(players)],
    };
  },

  /** The first `limit` players of a list target with their own amount (null when they have none). */
  async listSample(em: EntityManager, players: unknown[], limit: number): Promise<Array<{ userId: string; amount: number | null }>> {
    const rows = await em.execute<Array<{ user_id: string; amount: string | null }>>(
      `select x.user_id, x.amount ${LIST_FROM} order by x.n limit ?`,
      [JSON.stringify(players), limit],
    );
    return rows.map((r) => ({ userId: r.user_id, amount: r.amount === null ? null : Number(r.amount) }));
  },

  /** How many items a job has, and the count and summed `result.delta` of each item status. */
  async jobItemTotals(em: EntityManager, jobId: string): Promise<Record<string, { count: number; amount: number }>> {
    const rows = await em.execute<Array<{ status: string; count: string; amount: string | null }>>(
      `select status, count(*) as count, sum((result ->> 'delta')::bigint) as amount from admin_job_items where job_id = ? group by status`,
      [jobId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, { count: Number(r.count), amount: Number(r.amount ?? 0) }]));
  },

  /** The number of items of a job. */
  async jobItemCount(em: EntityManager, jobId: string): Promise<number> {
    const [row] = await em.execute<Array<{ n: string }>>(`select count(*) as n from admin_job_items where job_id = ?`, [jobId]);
    return Number(row.n);
  },

  /** The select of a job's items (optionally of one status) as new job items: `user_id`, and `payload` merged with `extra`. */
  copyItemsSql(jobId: string, o: { status?: string; withResult?: boolean } = {}): { sql: string; params: unknown[] } {
    return {
      sql: `select user_id, payload ${o.withResult ? `|| jsonb_build_object('applied', result)` : ''} as payload
              from admin_job_items where job_id = ? ${o.status ? 'and status = ?' : ''} order by seq`,
      params: o.status ? [jobId, o.status] : [jobId],
    };
  },

  /** The users of a job's succeeded items (only those whose `result.after` is `after`, when given). */
  async succeededUsers(em: EntityManager, jobId: string, o: { after?: string } = {}): Promise<string[]> {
    const rows = await em.execute<Array<{ user_id: string }>>(
      `select user_id from admin_job_items where job_id = ? and status = 'succeeded' and user_id is not null
          ${o.after ? `and result ->> 'after' = ?` : ''}`,
      o.after ? [jobId, o.after] : [jobId],
    );
    return rows.map((r) => r.user_id);
  },
};

/** The players of a list target (a JSON array of `{user_id, amount?}`), numbered in list order, joined to `users`. */
const LIST_FROM = `from rows from (jsonb_to_recordset(?::jsonb) as (user_id uuid, amount bigint)) with ordinality as x(user_id, amount, n)
  join users u on u.id = x.user_id and u.role = 'player'`;

function parse<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function toOperation(r: Record<string, unknown>): OperationRow {
  return {
    id: String(r.id),
    kind: r.kind as OperationKind,
    params: parse(r.params),
    target: parse(r.target),
    status: r.status as OperationStatus,
    shadowJobId: (r.shadow_job_id as string | null) ?? null,
    applyJobId: (r.apply_job_id as string | null) ?? null,
    undoJobId: (r.undo_job_id as string | null) ?? null,
    plan: r.plan === null ? null : parse(r.plan),
    totals: parse(r.totals) ?? {},
    createdBy: String(r.created_by),
    createdByName: String(r.created_by_name),
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  };
}

/**
 * Currency items of applied or undone operations whose ledger entry (by the key their result records) is missing or
 * moved another amount; empty when every item paid exactly once.
 */
export async function operationEntryGaps(
  em: EntityManager,
): Promise<Array<{ user_id: string; currency: string; operation_id: string; delta: string; ledger_delta: string | null }>> {
  return em.execute(`
    select i.user_id, o.params ->> 'currency' as currency, o.id as operation_id, i.result ->> 'delta' as delta, l.delta as ledger_delta
      from operations o
      join admin_job_items i on i.job_id in (o.apply_job_id, o.undo_job_id)
      left join ledger_entries l on l.idempotency_key = i.result ->> 'idempotency_key'
     where o.kind in ('grant_currency', 'deduct_currency') and i.status = 'succeeded' and i.result ->> 'idempotency_key' is not null
       and (l.id is null or l.delta <> (i.result ->> 'delta')::bigint)`);
}
