import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES } from '../../../domain/economy/currency.ts';
import { zeroTotals, type LimitKind, type LimitPeriod, type LimitRow, type PeriodTotals } from '../../../domain/limits/limits.ts';
import { jsonRecordset, type WritePart } from '../sql.ts';

/** Period starts (YYYY-MM-DD) of the day, week and month a write belongs to. */
export type PeriodStarts = Record<LimitPeriod, string>;

/** A change of a player's running totals in one currency. */
export interface UsageChange {
  userId: string;
  currency: string;
  wagered: number;
  loss: number;
}

const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const toNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A `play_limits` row (raw, from a query or a JSON CTE output) as a LimitRow with its player. */
export function limitRowOf(r: Record<string, unknown>): LimitRow & { userId: string } {
  return {
    userId: String(r.user_id),
    kind: r.kind as LimitKind,
    currency: String(r.currency),
    period: r.period as LimitPeriod,
    amount: toNum(r.amount),
    pendingAmount: toNum(r.pending_amount),
    pendingAt: toDate(r.pending_at),
  };
}

/**
 * The loss and wager limits of a batch's players and any cool-off or self-exclusion running at `now` (as a row of kind
 * `block:<kind>` whose `pending_at` is its end), to run in the batch's lock statement: players without a limit cost an
 * index probe each.
 */
export function batchLimitsRead(userIds: string[], now: Date): WritePart {
  const ids = `{${[...new Set(userIds)].join(',')}}`;
  return {
    sql: `select user_id, kind, currency, period, amount, pending_amount, pending_at from play_limits
           where user_id = any(?::uuid[]) and kind <> 'spend'
          union all
          select user_id, 'block:' || block_kind, null, null, null, null, block_until from play_protection
           where user_id = any(?::uuid[]) and block_until > ?::timestamptz`,
    params: [ids, ids, now.toISOString()],
    returning: true,
  };
}

/** Current totals per `user:currency` of some players (a total of an earlier period reads as 0). */
export async function readUsage(em: EntityManager, userIds: string[], starts: PeriodStarts): Promise<Map<string, PeriodTotals>> {
  const out = new Map<string, PeriodTotals>();
  if (userIds.length === 0) return out;
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select user_id, currency, day::text as day, day_wagered, day_loss, week::text as week, week_wagered, week_loss,
            month::text as month, month_wagered, month_loss
       from play_limit_usage where user_id in (?)`,
    [userIds],
  );
  for (const r of rows) {
    const t = zeroTotals();
    for (const p of ['day', 'week', 'month'] as const) {
      if (String(r[p]) === starts[p]) t[p] = { wagered: Number(r[`${p}_wagered`]), loss: Number(r[`${p}_loss`]) };
    }
    out.set(`${r.user_id}:${r.currency}`, t);
  }
  return out;
}

/**
 * Adds changes to the running totals of players who have them (rows exist only for players with a limit; others match
 * nothing), a total of an earlier period starting again from 0. One UPDATE, to run with `executeTogether` under the
 * players' wallet locks (every writer of these rows holds them).
 */
export function usageWrite(changes: UsageChange[], starts: PeriodStarts): WritePart | null {
  const byKey = new Map<string, UsageChange>();
  for (const c of changes) {
    const k = `${c.userId}:${c.currency}`;
    const t = byKey.get(k) ?? { userId: c.userId, currency: c.currency, wagered: 0, loss: 0 };
    t.wagered += c.wagered;
    t.loss += c.loss;
    byKey.set(k, t);
  }
  const rows = [...byKey.values()].filter((c) => c.wagered !== 0 || c.loss !== 0);
  if (rows.length === 0) return null;
  const set = (p: LimitPeriod) =>
    `${p}_wagered = (case when u.${p} = ?::date then u.${p}_wagered else 0 end) + v.wagered,
     ${p}_loss = (case when u.${p} = ?::date then u.${p}_loss else 0 end) + v.loss, ${p} = ?::date`;
  return {
    sql: `update play_limit_usage u set ${set('day')}, ${set('week')}, ${set('month')}
            from ${jsonRecordset('user_id uuid, currency text, wagered bigint, loss bigint', rows.length)}
           where u.user_id = v.user_id and u.currency = v.currency`,
    params: [
      ...(['day', 'week', 'month'] as const).flatMap((p) => [starts[p], starts[p], starts[p]]),
      JSON.stringify(rows.map((r) => ({ user_id: r.userId, currency: r.currency, wagered: r.wagered, loss: r.loss }))),
    ],
  };
}

/**
 * (Re)computes a player's running totals of every bet currency from the ledger (stakes, wins and refunds of the
 * current periods), for a player who has just set a limit; the caller holds the player's wallet locks, so no round
 * of theirs commits meanwhile.
 */
export async function seedUsage(em: EntityManager, userId: string, starts: PeriodStarts): Promise<void> {
  const from = starts.week < starts.month ? starts.week : starts.month;
  const sum = (p: LimitPeriod) =>
    `coalesce(sum(-delta) filter (where reason in ('bet', 'refund') and created_at >= '${starts[p]}'::date::timestamptz), 0),
     coalesce(sum(-delta) filter (where created_at >= '${starts[p]}'::date::timestamptz), 0)`;
  await em.execute(
    `insert into play_limit_usage (user_id, currency, day, day_wagered, day_loss, week, week_wagered, week_loss, month, month_wagered, month_loss)
     select ?::uuid, c.currency, ?::date, s.dw, s.dl, ?::date, s.ww, s.wl, ?::date, s.mw, s.ml
       from unnest(array[?]::text[]) as c(currency)
       cross join lateral (
         select ${sum('day')}, ${sum('week')}, ${sum('month')}
           from ledger_entries
          where user_id = ? and currency = c.currency and reason in ('bet', 'win', 'refund')
            and created_at >= '${from}'::date::timestamptz
       ) as s(dw, dl, ww, wl, mw, ml)
     on conflict (user_id, currency) do update set
       day = excluded.day, day_wagered = excluded.day_wagered, day_loss = excluded.day_loss,
       week = excluded.week, week_wagered = excluded.week_wagered, week_loss = excluded.week_loss,
       month = excluded.month, month_wagered = excluded.month_wagered, month_loss = excluded.month_loss`,
    [userId, starts.day, starts.week, starts.month, [...CURRENCIES], userId],
  );
}

/** A player's limits (every kind), locked for the rest of the transaction when `lock`. */
export async function limitsOf(em: EntityManager, userId: string, lock = false): Promise<LimitRow[]> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select user_id, kind, currency, period, amount, pending_amount, pending_at from play_limits where user_id = ?
      order by kind, currency, period${lock ? ' for update' : ''}`,
    [userId],
  );
  return rows.map(limitRowOf);
}

export async function saveLimit(em: EntityManager, userId: string, row: LimitRow, now: Date): Promise<void> {
  await em.execute(
    `insert into play_limits (user_id, kind, currency, period, amount, pending_amount, pending_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (user_id, kind, currency, period) do update set amount = excluded.amount,
       pending_amount = excluded.pending_amount, pending_at = excluded.pending_at, updated_at = excluded.updated_at`,
    [userId, row.kind, row.currency, row.period, row.amount, row.pendingAmount, row.pendingAt, now],
  );
}

export interface Protection {
  blockKind: 'cool_off' | 'self_exclusion' | null;
  blockUntil: Date | null;
  realityCheckMinutes: number | null;
}

export async function protectionOf(em: EntityManager, userId: string, lock = false): Promise<Protection> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select block_kind, block_until, reality_check_minutes from play_protection where user_id = ?${lock ? ' for update' : ''}`,
    [userId],
  );
  const r = rows[0];
  return {
    blockKind: (r?.block_kind as Protection['blockKind']) ?? null,
    blockUntil: toDate(r?.block_until),
    realityCheckMinutes: toNum(r?.reality_check_minutes),
  };
}

export async function saveProtection(em: EntityManager, userId: string, p: Protection, now: Date): Promise<void> {
  await em.execute(
    `insert into play_protection (user_id, block_kind, block_until, reality_check_minutes, updated_at) values (?, ?, ?, ?, ?)
     on conflict (user_id) do update set block_kind = excluded.block_kind, block_until = excluded.block_until,
       reality_check_minutes = excluded.reality_check_minutes, updated_at = excluded.updated_at`,
    [userId, p.blockKind, p.blockUntil, p.realityCheckMinutes, now],
  );
}

export interface HistoryEntry {
  id: number;
  actor: string;
  action: string;
  kind: string | null;
  currency: string | null;
  period: string | null;
  before: number | null;
  after: number | null;
  effectiveAt: Date;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

export async function addHistory(em: EntityManager, userId: string, e: Omit<HistoryEntry, 'id'>): Promise<void> {
  await em.execute(
    `insert into play_limit_history (user_id, actor, action, kind, currency, period, before, after, effective_at, detail, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      userId,
      e.actor,
      e.action,
      e.kind,
      e.currency,
      e.period,
      e.before,
      e.after,
      e.effectiveAt,
      e.detail ? JSON.stringify(e.detail) : null,
      e.createdAt,
    ],
  );
}

/** A player's history, newest first. */
export async function historyOf(em: EntityManager, userId: string, limit: number): Promise<HistoryEntry[]> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select id, actor, action, kind, currency, period, before, after, effective_at, detail, created_at
       from play_limit_history where user_id = ? order by id desc limit ?`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    actor: String(r.actor),
    action: String(r.action),
    kind: (r.kind as string | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    period: (r.period as string | null) ?? null,
    before: toNum(r.before),
    after: toNum(r.after),
    effectiveAt: toDate(r.effective_at)!,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown> | null,
    createdAt: toDate(r.created_at)!,
  }));
}

/**
 * What a player spent in a price currency since `from` (purchases pending or succeeded: a pending provider payment
 * counts from the moment it was made).
 */
export async function spentSince(em: EntityManager, userId: string, currency: string, from: Date): Promise<number> {
  const rows = await em.execute<Array<{ s: string }>>(
    `select coalesce(sum(total_price), 0) as s from purchases
      where user_id = ? and price_currency = ? and status in ('pending', 'succeeded') and created_at >= ?`,
    [userId, currency, from],
  );
  return Number(rows[0].s);
}
