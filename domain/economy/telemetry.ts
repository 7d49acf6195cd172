// Economy telemetry: which category each ledger reason counts in, and the two anomaly tests (improbable results,
// reward income above what the live missions, events and streak could pay).
import { STREAK_REWARDS } from '../liveops/streak.ts';
import type { RewardBundle } from '../liveops/rewards.ts';
import type { Currency, LedgerReason } from './currency.ts';

/** The categories sources and sinks are shown by, in chart order; `other` holds any reason not known here. */
export const ECONOMY_CATEGORIES = [
  'signup_bonus',
  'rewards',
  'wins',
  'bets',
  'refunds',
  'rake',
  'purchases',
  'adjustments',
  'conversions',
  'transfers',
  'other',
] as const;
export type EconomyCategory = (typeof ECONOMY_CATEGORIES)[number];

/** Every ledger reason in its category (a reason added to LEDGER_REASONS does not compile until it is placed here). */
export const REASON_CATEGORY: Readonly<Record<LedgerReason, EconomyCategory>> = {
  signup_bonus: 'signup_bonus',
  reward: 'rewards',
  win: 'wins',
  bet: 'bets',
  refund: 'refunds',
  rake: 'rake',
  purchase: 'purchases',
  admin_adjust: 'adjustments',
  admin_adjustment: 'adjustments',
  admin_operation: 'adjustments',
  shard_convert: 'conversions',
  transfer: 'transfers',
};

/** The category of a reason as stored (a row written by an older or newer build may carry one not listed: `other`). */
export function categoryOf(reason: string): EconomyCategory {
  return Object.hasOwn(REASON_CATEGORY, reason) ? REASON_CATEGORY[reason as LedgerReason] : 'other';
}

/** A player's settled rounds of one game, algorithm version and currency over a window. */
export interface RoundsSample {
  rounds: number;
  wagered: number;
  paid: number;
  /** Σ bet² (the variance of the net is σ² · Σ bet² for independent rounds of σ per unit bet) */
  betSquares: number;
}

/** The published law of a round's return per unit bet. */
export interface PublishedLaw {
  rtp: number;
  sigma: number;
}

/** How far a player's net result is from what the published RTP expects, in standard deviations. */
export interface ResultDeviation {
  net: number;
  expectedNet: number;
  sd: number;
  z: number;
}

/** z of a player's net (paid − wagered) against the published law: (net − (rtp − 1)·wagered) / (σ·√Σbet²). */
export function resultDeviation(s: RoundsSample, law: PublishedLaw): ResultDeviation | null {
  const sd = law.sigma * Math.sqrt(s.betSquares);
  if (!(sd > 0)) return null;
  const net = s.paid - s.wagered;
  const expectedNet = (law.rtp - 1) * s.wagered;
  return { net, expectedNet, sd, z: (net - expectedNet) / sd };
}

/** A mission or event as far as its pay limit goes: how often it can pay, when it runs and what one claim pays. */
export interface RewardSource {
  kind: 'mission' | 'event';
  code: string;
  /** daily: once per UTC day; weekly: once per ISO week; once: once ever */
  repeats: 'daily' | 'weekly' | 'once';
  reward: RewardBundle;
  startsAt: Date | null;
  endsAt: Date | null;
}

const DAY_MS = 86_400_000;

/** The UTC days [from, to) touches, each as its start. */
function daysIn(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let t = Math.floor(from.getTime() / DAY_MS) * DAY_MS; t < to.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}

/** The Monday (UTC) of the ISO week of `d`, as a number. */
const weekOf = (d: Date) => d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS;

/**
 * The most one player can be paid in `currency` in [from, to) by the given missions and events and the daily streak:
 * each source's reward times the periods it can be claimed in (days or ISO weeks it runs in the window, once for an
 * achievement or a one-off event), plus the streak's biggest day for every day of the window. An upper bound: a
 * wallet that gained more from these sources in the window was paid something no rule allows.
 */
export function maxRewardIncome(sources: readonly RewardSource[], currency: Currency, from: Date, to: Date): number {
  const pick = (b: RewardBundle) => (currency === 'GOLD' ? (b.gold ?? 0) : (b.gem ?? 0));
  const days = daysIn(from, to);
  let max = days.length * Math.max(...STREAK_REWARDS.map(pick));
  for (const s of sources) {
    const amount = pick(s.reward);
    if (amount <= 0) continue;
    const open = days.filter(
      (d) => (!s.endsAt || d.getTime() < s.endsAt.getTime()) && (!s.startsAt || d.getTime() + DAY_MS > s.startsAt.getTime()),
    );
    if (open.length === 0) continue;
    const claims = s.repeats === 'daily' ? open.length : s.repeats === 'weekly' ? new Set(open.map(weekOf)).size : 1;
    max += claims * amount;
  }
  return max;
}
