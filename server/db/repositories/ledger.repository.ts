import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency, Movement } from '../../../domain/economy/currency.ts';
import { LedgerEntry, type ILedgerEntry } from '../entities/ledger-entry.entity.ts';
import { columnList, fromRow, insertRows, type SqlValue } from '../entity-sql.ts';
import type { WritePart } from '../sql.ts';

/** A ledger row as returned to callers. `applied` is false when an idempotency key replayed an earlier entry. */
export interface LedgerRow extends Omit<ILedgerEntry, 'meta' | 'currency'> {
  currency: Currency;
  applied: boolean;
}

/** A movement about to be ledgered; `balanceAfter` is omitted when the statement takes it from the wallet update (CTE `w`). */
export interface LedgerDraft {
  m: Movement;
  balanceAfter?: number;
}

/**
 * The one INSERT into `ledger_entries`: every writer (a single movement, a batch of staged movements) goes through
 * it, with the columns taken from the `LedgerEntry` entity. Without `balanceAfter` on the drafts the balance comes
 * from the wallet UPDATE of the same statement (`from`: its CTE), so no balance changes without its ledger row.
 */
export function ledgerInsert(
  em: EntityManager,
  drafts: LedgerDraft[],
  opts: { balanceFrom?: string; returning?: boolean } = {},
): WritePart {
  const values: Record<string, SqlValue> = { createdAt: { sql: 'now()' } };
  if (opts.balanceFrom) values.balanceAfter = { sql: `${opts.balanceFrom}.balance` };
  const rows = drafts.map(({ m, balanceAfter }) => ({
    userId: m.userId,
    currency: m.currency,
    delta: m.delta,
    ...(opts.balanceFrom ? {} : { balanceAfter }),
    reason: m.reason,
    refType: m.refType ?? null,
    refId: m.refId ?? null,
    idempotencyKey: m.idempotencyKey ?? null,
    actor: m.actor ?? 'system',
    meta: m.meta ?? null,
  }));
  return insertRows(em, LedgerEntry, rows, { values, from: opts.balanceFrom, returning: opts.returning });
}

/** Maps a raw `ledger_entries` row to a `LedgerRow`. */
export function toLedgerRow(em: EntityManager, raw: Record<string, unknown>, applied: boolean): LedgerRow {
  const { meta: _, ...row } = fromRow<ILedgerEntry>(em, LedgerEntry, raw);
  return { ...row, currency: row.currency as Currency, applied };
}

/** The ledger rows holding any of these idempotency keys (at most one per key: the column is unique). */
export async function findLedgerByKeys(em: EntityManager, keys: string[]): Promise<LedgerRow[]> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select ${columnList(em, LedgerEntry)} from ledger_entries where idempotency_key in (?)`,
    [keys],
  );
  return rows.map((r) => toLedgerRow(em, r, false));
}

/** A page of the user's ledger, newest first, with one row more than `limit` when a further page exists. */
export async function ledgerPage(
  em: EntityManager,
  userId: string,
  opts: { limit: number; cursor?: number; currency?: Currency },
): Promise<LedgerRow[]> {
  const where: Record<string, unknown> = { userId };
  if (opts.cursor !== undefined) where.id = { $lt: opts.cursor };
  if (opts.currency) where.currency = opts.currency;
  const rows = await em
    .createQueryBuilder(LedgerEntry)
    .select('*')
    .where(where)
    .orderBy({ id: 'desc' })
    .limit(opts.limit + 1)
    .execute<Array<Record<string, unknown>>>('all', false);
  return rows.map((r) => toLedgerRow(em, r, true));
}

/** Per wallet (and per ledger without a wallet): balance, sum of deltas and newest `balance_after`, for reconciliation. */
export async function ledgerSums(
  em: EntityManager,
): Promise<Array<{ user_id: string; currency: string; balance: string | null; total: string | null; last_after: string | null }>> {
  return em.execute(`
    select w.user_id, w.currency, w.balance, l.total, l.last_after
      from wallets w
      left join (
        select user_id, currency, sum(delta) as total,
               (array_agg(balance_after order by id desc))[1] as last_after
          from ledger_entries group by user_id, currency
      ) l on l.user_id = w.user_id and l.currency = w.currency
    union all
    select l.user_id, l.currency, null, sum(l.delta), null
      from ledger_entries l
      where not exists (select 1 from wallets w where w.user_id = l.user_id and w.currency = l.currency)
      group by l.user_id, l.currency`);
}

/** Ledger rows whose `balance_after` does not continue the previous row of the same wallet. */
export async function ledgerChainGaps(
  em: EntityManager,
): Promise<Array<{ user_id: string; currency: string; id: string; prev_after: string | null; delta: string; balance_after: string }>> {
  return em.execute(`
    select user_id, currency, id, prev_after, delta, balance_after from (
      select user_id, currency, id, delta, balance_after,
             lag(balance_after) over (partition by user_id, currency order by id) as prev_after
        from ledger_entries) t
     where coalesce(prev_after, 0) + delta <> balance_after`);
}

/**
 * Per wallet whose hash chain is broken, its first broken entry (lowest id) and how many are broken: an entry is broken
 * when its stored hash differs from `ledger_entry_hash` (the migration's SQL function, the canonical encoding) of the
 * previous entry's stored hash and its own fields. One pass over the ledger, each entry checked independently, so an
 * edited entry is named itself and its successors still verify against its stored hash.
 */
export async function ledgerHashBreaks(
  em: EntityManager,
): Promise<Array<{ user_id: string; currency: string; id: string; broken: string; hash: string; expected: string }>> {
  return em.execute(`
    select user_id, currency, (array_agg(id order by id))[1] as id, count(*) as broken,
           (array_agg(encode(hash, 'hex') order by id))[1] as hash, (array_agg(encode(expected, 'hex') order by id))[1] as expected
      from (select user_id, currency, id, hash,
                   ledger_entry_hash(lag(hash) over w, id, user_id, currency, delta, balance_after, reason, ref_type, ref_id,
                                     idempotency_key, actor, created_at, meta) as expected
              from ledger_entries window w as (partition by user_id, currency order by id)) t
     where hash <> expected
     group by user_id, currency`);
}

/** Wallets whose stored chain head (`ledger_head`, `ledger_head_id`) is not their newest ledger entry. */
export async function ledgerHeadMismatches(em: EntityManager): Promise<
  Array<{
    user_id: string;
    currency: string;
    head_id: string | null;
    head: string | null;
    last_id: string | null;
    last_hash: string | null;
  }>
> {
  return em.execute(`
    select w.user_id, w.currency, w.ledger_head_id as head_id, encode(w.ledger_head, 'hex') as head,
           l.id as last_id, encode(l.hash, 'hex') as last_hash
      from wallets w
      left join lateral (select id, hash from ledger_entries e where e.user_id = w.user_id and e.currency = w.currency
                          order by id desc limit 1) l on true
     where w.ledger_head is distinct from l.hash or w.ledger_head_id is distinct from l.id`);
}

/** Number of ledger rows. */
export async function countLedger(em: EntityManager): Promise<number> {
  return em.count(LedgerEntry, {});
}
