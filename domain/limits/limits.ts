import { DomainError } from '../shared/errors.ts';

/**
 * Responsible-play limits (docs/limits.md). Periods are calendar periods in UTC: the day from 00:00, the ISO week
 * from Monday 00:00, the month from the 1st 00:00. "Wager" is the sum of stakes placed in the period; "loss" is the
 * net loss, stakes placed minus wins and refunds settled in the period (a stake counts in full when placed, so an
 * open crash bet counts against the loss limit at its full stake). A bet is refused when its stake would take the
 * period's total past the limit: `remaining` = limit − total (a player ahead has more than the limit left to lose).
 */
export const LIMIT_KINDS = ['loss', 'wager', 'spend'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];
export const LIMIT_PERIODS = ['day', 'week', 'month'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];
/** Spend limits are on real-money (USD cents) and premium (GEM) prices; loss and wager limits on the bet currencies. */
export const SPEND_CURRENCIES = ['USD', 'GEM'] as const;
export const PLAY_CURRENCIES = ['GOLD', 'GEM'] as const;

export const BLOCK_KINDS = ['cool_off', 'self_exclusion'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];
/** The durations a player may choose, in hours. */
export const BLOCK_DURATIONS: Record<BlockKind, Record<string, number>> = {
  cool_off: { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 },
  self_exclusion: { '6m': 183 * 24, '1y': 365 * 24 },
};
/** A raise (or removal) of a limit applies this long after it was asked for. */
export const RAISE_DELAY_MS = 24 * 3600 * 1000;
/** Reality-check intervals a player may choose (minutes). */
export const REALITY_CHECK_CHOICES = [15, 30, 45, 60, 90, 120] as const;

/** A limit as stored: in force now (`amount`), with a pending raise or removal applying at `pendingAt`. */
export interface LimitRow {
  kind: LimitKind;
  currency: string;
  period: LimitPeriod;
  amount: number | null;
  pendingAmount: number | null;
  pendingAt: Date | null;
}

/** The amount in force at `now` (a pending change whose time came applies); null = no limit. */
export function effectiveAmount(row: LimitRow, now: Date): number | null {
  if (row.pendingAt && row.pendingAt.getTime() <= now.getTime()) return row.pendingAmount;
  return row.amount;
}

/** The pending change still waiting at `now`, if any. */
export function pendingChange(row: LimitRow, now: Date): { amount: number | null; at: Date } | null {
  return row.pendingAt && row.pendingAt.getTime() > now.getTime() ? { amount: row.pendingAmount, at: row.pendingAt } : null;
}

/**
 * A player's change of a limit (null = remove): lowering (or setting a first limit) applies at once and drops any
 * pending raise; raising or removing waits `RAISE_DELAY_MS`. Returns the row to store and what the history records.
 */
export function changeLimit(
  current: LimitRow | null,
  next: { kind: LimitKind; currency: string; period: LimitPeriod; amount: number | null },
  now: Date,
): { row: LimitRow; immediate: boolean; before: number | null; effectiveAt: Date } {
  const inForce = current ? effectiveAmount(current, now) : null;
  const tighter = next.amount !== null && (inForce === null || next.amount <= inForce);
  if (tighter) {
    return {
      row: { kind: next.kind, currency: next.currency, period: next.period, amount: next.amount, pendingAmount: null, pendingAt: null },
      immediate: true,
      before: inForce,
      effectiveAt: now,
    };
  }
  const at = new Date(now.getTime() + RAISE_DELAY_MS);
  return {
    row: { kind: next.kind, currency: next.currency, period: next.period, amount: inForce, pendingAmount: next.amount, pendingAt: at },
    immediate: false,
    before: inForce,
    effectiveAt: at,
  };
}

/** The first day (YYYY-MM-DD, UTC) of the day, ISO week and month that hold `now`. */
export function periodStarts(now: Date): Record<LimitPeriod, string> {
  const day = now.toISOString().slice(0, 10);
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  return { day, week: monday.toISOString().slice(0, 10), month: `${day.slice(0, 8)}01` };
}

/** When the period holding `now` ends (the next period's start), UTC. */
export function periodEnd(period: LimitPeriod, now: Date): Date {
  const start = new Date(`${periodStarts(now)[period]}T00:00:00.000Z`);
  if (period === 'day') return new Date(start.getTime() + 24 * 3600 * 1000);
  if (period === 'week') return new Date(start.getTime() + 7 * 24 * 3600 * 1000);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** A stake and net-loss total per period (the current ones: a stored total of an earlier period is 0). */
export type PeriodTotals = Record<LimitPeriod, { wagered: number; loss: number }>;

export const zeroTotals = (): PeriodTotals => ({
  day: { wagered: 0, loss: 0 },
  week: { wagered: 0, loss: 0 },
  month: { wagered: 0, loss: 0 },
});

/**
 * Refuses a stake that would take a period's wager or loss total past a limit in force (`limits/wager_limit`,
 * `limits/loss_limit` with the currency, period, limit and what remains of it).
 */
export function assertStakeWithinLimits(limits: LimitRow[], totals: PeriodTotals, currency: string, stake: number, now: Date): void {
  for (const l of limits) {
    if (l.currency !== currency || l.kind === 'spend') continue;
    const limit = effectiveAmount(l, now);
    if (limit === null) continue;
    const used = l.kind === 'wager' ? totals[l.period].wagered : totals[l.period].loss;
    if (used + stake > limit) throw limitReached(l.kind, currency, l.period, limit, used, stake, now);
  }
}

/** `limits/<kind>_limit`: the refusal of a stake or purchase that does not fit what remains of a limit. */
export function limitReached(
  kind: LimitKind,
  currency: string,
  period: LimitPeriod,
  limit: number,
  used: number,
  amount: number,
  now: Date,
): DomainError {
  const remaining = Math.max(0, limit - used);
  const what = kind === 'loss' ? 'loss' : kind === 'wager' ? 'wager' : 'spend';
  return new DomainError(
    `limits/${kind}_limit`,
    `Your ${period}ly ${what} limit of ${limit} ${currency} leaves ${remaining} ${currency}; this needs ${amount}.`.replace(
      'dayly',
      'daily',
    ),
    { currency, period, limit, used, remaining, required: amount, resets_at: periodEnd(period, now).toISOString() },
  );
}

/** `limits/cool_off` or `limits/self_excluded` until `until`. */
export function playBlocked(kind: BlockKind, until: Date): DomainError {
  return kind === 'cool_off'
    ? new DomainError('limits/cool_off', `You are taking a break from play until ${until.toISOString()}.`, { until: until.toISOString() })
    : new DomainError('limits/self_excluded', `You excluded yourself from play until ${until.toISOString()}.`, {
        until: until.toISOString(),
      });
}
