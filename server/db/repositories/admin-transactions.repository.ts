import type { EntityManager } from '@mikro-orm/postgresql';

/** The cause a ledger entry points at, as found (or not) in its source table. */
export type PairingStatus = 'paired' | 'missing_source' | 'missing_ledger' | 'amount_mismatch';

/** A ledger entry with its pair and the times it passed through (source commit → ledger → outbox publish). */
export interface PairedEntryRow {
  id: number;
  userId: string;
  currency: string;
  delta: number;
  balanceAfter: number;
  reason: string;
  refType: string | null;
  refId: string | null;
  idempotencyKey: string | null;
  actor: string;
  meta: Record<string, unknown> | null;
  createdAt: Date;
  sourceType: string | null;
  sourceId: string | null;
  sourceAt: Date | null;
  expectedDelta: number | null;
  publishedAt: Date | null;
  status: PairingStatus;
}

/** A source row (round, purchase, reward) whose ledger entry is missing. */
export interface UnledgeredRow {
  sourceType: string;
  sourceId: string;
  userId: string;
  currency: string;
  reason: string;
  expectedDelta: number;
  sourceAt: Date;
}

/** Search filters of the transaction lookup (every one optional, combined with AND). */
export interface TransactionFilter {
  entryId?: number;
  /** a user id */
  userId?: string;
  purchaseId?: string;
  roundId?: string;
  from?: Date;
  to?: Date;
}

/** `text` as a uuid when it is one, else null (a cast of anything else would fail the statement). */
const asUuid = (text: string) =>
  `(case when ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${text})::uuid end)`;

/** When the outbox published the event of `type` whose payload names the source in `key` (null while unpublished). */
const announced = (type: string, key: string) =>
  `select max(o.published_at) from outbox o where o.event_type = '${type}' and o.payload ->> '${key}' = src.source_id`;

/**
 * The delta an operation's entry implies: its amount, signed by kind and step (an undo reverses the apply); null for
 * a list whose players carry their own amounts.
 */
const OPERATION_EXPECTED = `(o.params ->> 'amount')::bigint
  * (case when o.kind = 'grant_currency' then 1 else -1 end) * (case when l.idempotency_key like 'op-undo:%' then -1 else 1 end)`;

/**
 * Each ledger entry `l` joined to its cause by its reason and ref fields: rounds (bet, win, refund, shard
 * conversion), purchases (payment and grant), reward grants (by the grant's idempotency key), the sign-up bonus, an
 * admin adjustment (its operator) and a bulk operation (ref_type `operation`). `expected` is the delta the source implies, where it fixes one.
 */
const PAIRED = `
  select l.*, src.source_type, src.source_id, src.source_at, src.expected, ob.published_at,
         case when src.source_id is null then 'missing_source'
              when src.expected is not null and src.expected <> l.delta then 'amount_mismatch'
              else 'paired' end as status
    from ledger_entries l
    left join lateral (
      select 'round' as source_type, g.id::text as source_id,
             case when l.reason = 'win' then coalesce(g.settled_at, g.created_at) else g.created_at end as source_at,
             case l.reason when 'bet' then -g.bet when 'win' then g.payout when 'refund' then g.bet end as expected
        from game_rounds g where l.ref_type = 'round' and g.id = ${asUuid('l.ref_id')}
      union all
      select 'purchase', pu.id::text, coalesce(pu.completed_at, pu.created_at), case when l.delta < 0 then -pu.total_price end
        from purchases pu where l.ref_type = 'purchase' and pu.id = ${asUuid('l.ref_id')}
      union all
      select 'reward', rg.grant_key, rg.created_at, (rg.bundle ->> lower(l.currency))::bigint
        from reward_grants rg
       where l.reason = 'reward' and rg.grant_key = regexp_replace(substr(l.idempotency_key, 7), ':(GOLD|GEM)$', '')
      union all
      select 'signup', u.id::text, u.created_at, null from users u where l.reason = 'signup_bonus' and u.id = ${asUuid('l.ref_id')}
      union all
      select 'admin_adjustment', op.id::text, l.created_at, null
        from users op where l.reason = 'admin_adjustment' and op.id = ${asUuid("coalesce(l.meta ->> 'operator_id', l.actor)")}
      union all
      select 'operation', o.id::text, l.created_at, ${OPERATION_EXPECTED}
        from operations o where l.reason = 'admin_operation' and l.ref_type = 'operation' and o.id = ${asUuid('l.ref_id')}
      limit 1
    ) src on true
    left join lateral (
      -- one probe of the partial expression index of the event type that announces the source
      select case src.source_type
               when 'round' then (${announced('round_settled', 'round_id')})
               when 'purchase' then (${announced('purchase', 'purchase_id')})
               when 'reward' then (${announced('reward_granted', 'grant_key')})
             end as published_at
    ) ob on true`;

/** Sources that imply a ledger entry, and the entry's key (reason + ref, or idempotency key for rewards and operation items). */
const UNLEDGERED = `
  select 'round' as source_type, g.id::text as source_id, g.user_id, g.currency::text, 'bet' as reason, -g.bet as expected, g.created_at as source_at
    from game_rounds g
   where g.bet > 0 and not exists (select 1 from ledger_entries l where l.ref_type = 'round' and l.ref_id = g.id::text and l.reason = 'bet')
  union all
  select 'round', g.id::text, g.user_id, g.currency::text, 'win', g.payout, coalesce(g.settled_at, g.created_at)
    from game_rounds g
   where g.status = 'settled' and g.payout > 0
     and not exists (select 1 from ledger_entries l where l.ref_type = 'round' and l.ref_id = g.id::text and l.reason = 'win')
  union all
  select 'purchase', pu.id::text, pu.user_id, pu.price_currency::text, 'purchase', -pu.total_price, pu.created_at
    from purchases pu
   where pu.status = 'succeeded' and pu.price_currency <> 'USD'
     and not exists (select 1 from ledger_entries l where l.ref_type = 'purchase' and l.ref_id = pu.id::text and l.delta < 0)
  union all
  select 'reward', rg.grant_key, rg.user_id, c.currency, 'reward', (rg.bundle ->> lower(c.currency))::bigint, rg.created_at
    from reward_grants rg cross join (values ('GOLD'), ('GEM')) as c(currency)
   where coalesce((rg.bundle ->> lower(c.currency))::bigint, 0) > 0
     and not exists (select 1 from ledger_entries l where l.idempotency_key = 'grant:' || rg.grant_key || ':' || c.currency)
  union all
  select 'operation', o.id::text, i.user_id, o.params ->> 'currency', 'admin_operation', (i.result ->> 'delta')::bigint, i.finished_at
    from operations o join admin_job_items i on i.job_id in (o.apply_job_id, o.undo_job_id)
   where o.kind in ('grant_currency', 'deduct_currency') and i.status = 'succeeded' and i.result ->> 'idempotency_key' is not null
     and not exists (select 1 from ledger_entries l where l.idempotency_key = i.result ->> 'idempotency_key')`;

/** Ledger entries with their pairs, and the sources without a ledger entry, for the transaction lookup and reconciliation. */
export const adminTransactions = {
  /** Entries matching `f`, newest first, older than the entry id `before` (as text) when given; `limit + 1` rows. */
  async page(em: EntityManager, f: TransactionFilter, opts: { before: string | null; limit: number }): Promise<PairedEntryRow[]> {
    const { where, params } = filterSql(f);
    if (opts.before !== null) {
      where.push('l.id < ?::bigint');
      params.push(opts.before);
    }
    const rows = await em.execute<Record<string, unknown>[]>(
      `${PAIRED} ${where.length ? `where ${where.join(' and ')}` : ''} order by l.id desc limit ?`,
      [...params, opts.limit + 1],
    );
    return rows.map(toPaired);
  },

  async byId(em: EntityManager, id: number): Promise<PairedEntryRow | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(`${PAIRED} where l.id = ?`, [id]);
    return row ? toPaired(row) : null;
  },

  /** Entries whose pair is missing or disagrees on the amount, newest first (at most `limit`). */
  async unpaired(em: EntityManager, limit: number): Promise<PairedEntryRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from (${PAIRED}) p where p.status <> 'paired' order by p.id desc limit ?`,
      [limit],
    );
    return rows.map(toPaired);
  },

  /** Sources without their ledger entry, newest first (at most `limit`), optionally for one source id. */
  async unledgered(em: EntityManager, opts: { limit: number; sourceId?: string }): Promise<UnledgeredRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from (${UNLEDGERED}) s ${opts.sourceId ? 'where s.source_id = ?' : ''} order by s.source_at desc limit ?`,
      opts.sourceId ? [opts.sourceId, opts.limit] : [opts.limit],
    );
    return rows.map((r) => ({
      sourceType: r.source_type as string,
      sourceId: r.source_id as string,
      userId: r.user_id as string,
      currency: r.currency as string,
      reason: r.reason as string,
      expectedDelta: Number(r.expected),
      sourceAt: new Date(r.source_at as string),
    }));
  },

  /** A purchase id from its receipt code, or from a payment provider's event id (through the receipt it named). */
  async purchaseIdBy(em: EntityManager, by: { receipt?: string; providerEventId?: string }): Promise<string | null> {
    const [row] = by.receipt
      ? await em.execute<{ id: string }[]>('select id from purchases where receipt_code = ?', [by.receipt])
      : await em.execute<{ id: string }[]>(
          'select pu.id from payment_events pe join purchases pu on pu.receipt_code = pe.receipt_code where pe.provider_event_id = ?',
          [by.providerEventId],
        );
    return row?.id ?? null;
  },
};

function filterSql(f: TransactionFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    where.push(sql);
    params.push(v);
  };
  if (f.entryId !== undefined) add('l.id = ?', f.entryId);
  if (f.userId !== undefined) add('l.user_id = ?', f.userId);
  if (f.purchaseId !== undefined) add(`l.ref_type = 'purchase' and l.ref_id = ?`, f.purchaseId);
  if (f.roundId !== undefined) add(`l.ref_type = 'round' and l.ref_id = ?`, f.roundId);
  if (f.from !== undefined) add('l.created_at >= ?', f.from);
  if (f.to !== undefined) add('l.created_at < ?', f.to);
  return { where, params };
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toPaired(r: Record<string, unknown>): PairedEntryRow {
  return {
    id: Number(r.id),
    userId: r.user_id as string,
    currency: r.currency as string,
    delta: Number(r.delta),
    balanceAfter: Number(r.balance_after),
    reason: r.reason as string,
    refType: r.ref_type as string | null,
    refId: r.ref_id as string | null,
    idempotencyKey: r.idempotency_key as string | null,
    actor: r.actor as string,
    meta: (typeof r.meta === 'string' ? JSON.parse(r.meta) : r.meta) as Record<string, unknown> | null,
    createdAt: date(r.created_at)!,
    sourceType: r.source_type as string | null,
    sourceId: r.source_id as string | null,
    sourceAt: date(r.source_at),
    expectedDelta: num(r.expected),
    publishedAt: date(r.published_at),
    status: r.status as PairingStatus,
  };
}
