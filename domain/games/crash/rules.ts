import { DomainError } from '../../shared/errors.ts';
import { capAtLeast, capHundredths, exposureAt, payoutAt, ridingBets } from './exposure.ts';
import { CRASH_VERSION, type CrashBet, type CrashRound, type CrashSettlement, type SettleReason } from './round.ts';

/**
 * Bookkeeping of one shared crash round (DESIGN §4 "Crash"), in multipliers (integer hundredths) — the room
 * turns server time into a multiplier with `multiplierAt` (curve.ts). Phases: betting → running → crashed
 * (or voided). The state is a plain JSON object; every transition returns `{ round, events }`: a new round
 * (the input is never mutated) and what happened, in order, for the room to persist and broadcast.
 * Ordering along the curve: auto cash-outs at their targets, then the exposure cap, then the crash; a
 * multiplier at or above the crash point never pays.
 */

export type CrashEvent =
  | { type: 'bet_placed'; playerId: string; amount: number; autoCashout: number | null }
  | { type: 'started' }
  | ({ type: 'settled'; playerId: string; amount: number } & CrashSettlement)
  | { type: 'refunded'; playerId: string; amount: number }
  | { type: 'crashed'; crashPoint: number };

export interface CrashStep {
  round: CrashRound;
  events: CrashEvent[];
}

export type SettledEvent = Extract<CrashEvent, { type: 'settled' }>;
export type RefundedEvent = Extract<CrashEvent, { type: 'refunded' }>;

/** A step's settlements and refunds, and the status the round's record moves to (none when it stays as it was). */
export function summarizeStep(step: CrashStep): {
  settled: SettledEvent[];
  refunded: RefundedEvent[];
  status?: 'running' | 'crashed' | 'voided';
} {
  const settled = step.events.filter((e): e is SettledEvent => e.type === 'settled');
  const refunded = step.events.filter((e): e is RefundedEvent => e.type === 'refunded');
  const has = (type: CrashEvent['type']) => step.events.some((e) => e.type === type);
  const status = has('crashed') ? 'crashed' : step.round.phase === 'voided' ? 'voided' : has('started') ? 'running' : undefined;
  return { settled, refunded, status };
}

/** A refused action: malformed bets are `request/invalid`; actions the round's state does not allow are `game/not_allowed`. */
function refuse(reason: string, message: string): never {
  throw new DomainError(reason === 'invalid_bet' ? 'request/invalid' : 'game/not_allowed', message, { reason });
}

function assertHundredths(m: number): void {
  if (!Number.isInteger(m) || m < 100) throw new Error(`A multiplier is an integer number of hundredths ≥ 100, got ${m}.`);
}

/** A new round in the betting phase (crashPoint hundredths ≥ 100; capPayout integer minor units > 0). */
export function createRound(r: { id: string; crashPoint: number; capPayout: number }): CrashRound {
  assertHundredths(r.crashPoint);
  if (!Number.isSafeInteger(r.capPayout) || r.capPayout <= 0) throw new Error(`capPayout must be a positive integer, got ${r.capPayout}.`);
  return {
    version: CRASH_VERSION,
    id: r.id,
    phase: 'betting',
    crashPoint: r.crashPoint,
    capPayout: r.capPayout,
    multiplier: 100,
    paid: 0,
    bets: [],
  };
}

/**
 * Exposure at 1.01x of the rounds `placeBet` returned, so a bet adds its own share instead of walking every bet of the
 * round again (1,000 bets in a window were 500,000 bet visits). Rounds are never mutated, so a remembered total stays
 * true; a round built elsewhere is not in the map and is summed in full.
 */
const exposureAtFirstStep = new WeakMap<CrashRound, number>();

/**
 * Adds a bet while betting (one per player; amount integer > 0; autoCashout hundredths ≥ 101). Refused with
 * reason `table_full` if all bets cashed at 1.01x would pass the cap, so a 1.01x cash-out is always honoured.
 */
export function placeBet(round: CrashRound, bet: { playerId: string; amount: number; autoCashout?: number | null }): CrashStep {
  if (round.phase !== 'betting') refuse('betting_closed', 'Bets are closed for this round.');
  if (typeof bet.playerId !== 'string' || bet.playerId === '') refuse('invalid_bet', 'A bet needs a player.');
  if (!Number.isSafeInteger(bet.amount) || bet.amount <= 0) refuse('invalid_bet', `A bet must be a positive integer, got ${bet.amount}.`);
  const autoCashout = bet.autoCashout ?? null;
  if (autoCashout !== null && (!Number.isSafeInteger(autoCashout) || autoCashout < 101))
    refuse('invalid_bet', `Auto cash-out must be at least 1.01x, got ${autoCashout}.`);
  if (round.bets.some((b) => b.playerId === bet.playerId)) refuse('duplicate_bet', 'One bet per player per round.');
  // exposure at 1.01x is additive over riding bets: the new bet's share is added to the round's (remembered) total
  const exposure = (exposureAtFirstStep.get(round) ?? exposureAt(round, 101)) + payoutAt(bet.amount, Math.min(101, autoCashout ?? 101));
  if (exposure > round.capPayout) refuse('table_full', 'The round has reached its maximum exposure.');
  const next: CrashRound = {
    ...round,
    bets: [...round.bets, { playerId: bet.playerId, amount: bet.amount, autoCashout, settlement: null }],
  };
  exposureAtFirstStep.set(next, exposure);
  return { round: next, events: [{ type: 'bet_placed', playerId: bet.playerId, amount: bet.amount, autoCashout }] };
}

/** Closes betting and starts the curve at 1.00x. */
export function startRound(round: CrashRound): CrashStep {
  if (round.phase !== 'betting') refuse('not_betting', 'Only a round in the betting phase can start.');
  return { round: { ...round, phase: 'running', multiplier: 100 }, events: [{ type: 'started' }] };
}

/** Settles the given riding bets at one multiplier each; returns the new round and `settled` events in the given order. */
function settle(round: CrashRound, picks: { playerId: string; multiplier: number; reason: SettleReason }[]): CrashStep {
  // nothing to settle: the same round, so what is remembered about its bet list (the cap) still applies
  if (picks.length === 0) return { round, events: [] };
  const byPlayer = new Map(picks.map((p) => [p.playerId, p]));
  const settledNow = new Map<string, CrashBet>();
  let paid = round.paid;
  const bets = round.bets.map((b) => {
    const p = byPlayer.get(b.playerId);
    if (!p || b.settlement !== null) return b;
    const payout = p.reason === 'crashed' ? 0 : payoutAt(b.amount, p.multiplier);
    paid += payout;
    const settled = { ...b, settlement: { multiplier: p.reason === 'crashed' ? 0 : p.multiplier, payout, reason: p.reason } };
    settledNow.set(b.playerId, settled);
    return settled;
  });
  const settledRound = { ...round, bets, paid };
  const events: CrashEvent[] = picks.map((p) => {
    const b = (settledNow.get(p.playerId) ?? bets.find((x) => x.playerId === p.playerId)) as CrashBet;
    return { type: 'settled', playerId: b.playerId, amount: b.amount, ...(b.settlement as CrashSettlement) };
  });
  return { round: settledRound, events };
}

function assertRunning(round: CrashRound): void {
  if (round.phase !== 'running') refuse(round.phase === 'betting' ? 'not_started' : 'round_over', `The round is ${round.phase}.`);
}

/**
 * Settles riding bets whose auto target is reached by `current` (hundredths), each at its own target — only
 * targets below the crash point and not above the cap multiplier, lowest target first.
 */
export function autoCashouts(round: CrashRound, current: number): CrashStep {
  assertRunning(round);
  assertHundredths(current);
  // min(current, crash point − 1, cap), the cap searched for only when it is below the other two
  const reach = Math.min(current, round.crashPoint - 1);
  const upTo = capAtLeast(round, reach) ? reach : Math.min(reach, capHundredths(round));
  const due = ridingBets(round)
    .filter((b) => b.autoCashout !== null && b.autoCashout <= upTo)
    .sort((x, y) => (x.autoCashout as number) - (y.autoCashout as number));
  return settle(
    round,
    due.map((b) => ({ playerId: b.playerId, multiplier: b.autoCashout as number, reason: 'auto_cashout' })),
  );
}

/** Everyone still riding loses; the round ends at its crash point. */
export function crashRound(round: CrashRound): CrashStep {
  assertRunning(round);
  const lost = settle(
    round,
    ridingBets(round).map((b) => ({ playerId: b.playerId, multiplier: 0, reason: 'crashed' })),
  );
  return {
    round: { ...lost.round, phase: 'crashed', multiplier: round.crashPoint },
    events: [...lost.events, { type: 'crashed', crashPoint: round.crashPoint }],
  };
}

/**
 * One tick: the curve has reached `current` (hundredths; a value below the round's multiplier counts as the
 * round's multiplier). Settles auto cash-outs, then cashes out everyone still riding at the cap multiplier if
 * the curve reached it, then crashes the round if `current` ≥ crash point. What a room calls at every tick.
 */
export function advanceRound(round: CrashRound, current: number): CrashStep {
  assertRunning(round);
  assertHundredths(current);
  const m = Math.max(current, round.multiplier);
  const autos = autoCashouts(round, m);
  let step: CrashStep = autos;
  // the cap is reached when it is ≤ reach, i.e. unless it is at least reach + 1 (every cap is ≥ 1.00x)
  const reach = Math.min(m, round.crashPoint - 1);
  if (reach >= 100 && !capAtLeast(step.round, reach + 1)) {
    const cap = capHundredths(step.round);
    const capped = settle(
      step.round,
      ridingBets(step.round).map((b) => ({ playerId: b.playerId, multiplier: cap, reason: 'cap' })),
    );
    step = { round: capped.round, events: [...step.events, ...capped.events] };
  }
  if (m >= round.crashPoint) {
    const crashed = crashRound(step.round);
    return { round: crashed.round, events: [...step.events, ...crashed.events] };
  }
  return { round: { ...step.round, multiplier: m }, events: step.events };
}

/**
 * A player's cash-out request at the server's multiplier `at` (hundredths) on receipt. The round first advances
 * to `at`; if that settles the bet (auto target, cap) or crashes the round (`at` ≥ crash point: the bet is
 * lost), the returned events say so and no cash-out happens. Otherwise the bet settles at `at`.
 */
export function cashOut(round: CrashRound, playerId: string, at: number): CrashStep {
  assertRunning(round);
  const bet = round.bets.find((b) => b.playerId === playerId);
  if (!bet) refuse('no_bet', 'No bet in this round.');
  if (bet.settlement !== null) refuse('already_settled', 'The bet is already settled.');
  const step = advanceRound(round, at);
  const now = step.round.bets.find((b) => b.playerId === playerId) as CrashBet;
  if (step.round.phase !== 'running' || now.settlement !== null) return step;
  const out = settle(step.round, [{ playerId, multiplier: step.round.multiplier, reason: 'cashout' }]);
  return { round: out.round, events: [...step.events, ...out.events] };
}

/**
 * Calls the round off before it crashes (shutdown, fault): every bet still riding is refunded its stake (in a
 * voided round, a bet with no settlement is a refunded bet); bets already cashed out keep their payout.
 */
export function voidRound(round: CrashRound): CrashStep {
  if (round.phase !== 'betting' && round.phase !== 'running') refuse('round_over', `The round is ${round.phase}.`);
  return {
    round: { ...round, phase: 'voided' },
    events: ridingBets(round).map((b) => ({ type: 'refunded', playerId: b.playerId, amount: b.amount })),
  };
}
