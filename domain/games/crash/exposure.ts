import type { CrashBet, CrashRound } from './round.ts';

/**
 * The house's exposure in a crash round and the per-round cap (DESIGN §4 "Crash"). Exposure at a multiplier M
 * is what the round would have paid in total if the curve stopped at M with everyone still riding cashing out
 * there: already paid + Σ riding payout at min(M, auto target). It never decreases as M rises.
 */

/** floor(amount × hundredths / 100), exact for any integer inputs (minor units; hundredths ≥ 100). */
export function payoutAt(amount: number, hundredths: number): number {
  const product = amount * hundredths;
  if (Number.isSafeInteger(product)) return (product - (product % 100)) / 100;
  return Number((BigInt(amount) * BigInt(hundredths)) / 100n);
}

/** Bets still in play (placed, not yet settled). */
export function ridingBets(round: CrashRound): CrashBet[] {
  return round.bets.filter((b) => b.settlement === null);
}

/** Total payout of the round if every riding bet cashed out at `hundredths` (auto targets below it at their target). */
export function exposureAt(round: CrashRound, hundredths: number): number {
  return exposureOf(round.paid, ridingBets(round), hundredths);
}

function exposureOf(paid: number, riding: CrashBet[], hundredths: number): number {
  let total = paid;
  for (const b of riding) total += payoutAt(b.amount, b.autoCashout === null ? hundredths : Math.min(hundredths, b.autoCashout));
  return total;
}

/**
 * Whether the cap multiplier is at least `hundredths` (≥ 100): exposure never decreases as the multiplier rises, so
 * that is exposure(hundredths) ≤ cap — one walk over the riding bets, where finding the cap itself takes some 20.
 */
export function capAtLeast(round: CrashRound, hundredths: number): boolean {
  return exposureAt(round, hundredths) <= round.capPayout;
}

/**
 * The cap multiplier of the rounds seen, by their bet list: rounds are never mutated and a round's paid total only
 * changes with a new bet list, so the answer holds for every round sharing the list (each tick and each cash-out
 * asks again; a search walks every riding bet some 20 times).
 */
const capOfBets = new WeakMap<CrashBet[], { paid: number; capPayout: number; cap: number }>();

/**
 * The cap multiplier: the largest M (hundredths, ≥ 100) whose exposure is still ≤ capPayout, so cashing out
 * everyone still riding at M keeps the round's total payout within the cap. Infinity when the riding bets can
 * never reach the cap (none left, or all bounded by auto targets). 100 if even 1.00x is over the cap.
 */
export function capHundredths(round: CrashRound, capPayout: number = round.capPayout): number {
  const seen = capOfBets.get(round.bets);
  if (seen && seen.paid === round.paid && seen.capPayout === capPayout) return seen.cap;
  const cap = searchCap(round.paid, ridingBets(round), capPayout);
  capOfBets.set(round.bets, { paid: round.paid, capPayout, cap });
  return cap;
}

function searchCap(paid: number, riding: CrashBet[], capPayout: number): number {
  const within = (m: number) => exposureOf(paid, riding, m) <= capPayout;
  const unbounded = riding.reduce((sum, b) => sum + (b.autoCashout === null ? b.amount : 0), 0);
  const highestTarget = riding.reduce((max, b) => Math.max(max, b.autoCashout ?? 100), 100);
  if (unbounded === 0 && within(highestTarget)) return Infinity;
  if (!within(100)) return 100;
  // exposure(hi) > capPayout: the unbounded bets alone pay ≥ unbounded × hi / 100 − (one unit per bet)
  let hi = unbounded === 0 ? highestTarget : Math.floor(((capPayout - paid + riding.length) * 100) / unbounded) + 1;
  while (within(hi)) hi *= 2; // never taken in exact arithmetic; guards the division's rounding
  let lo = 100;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (within(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
