import { toMultiplierHundredths } from '../payout.ts';
import type { SlotMachine } from './machine.ts';
import { computeTotalBet, spinSlot, type SpinOutcome } from './rules.ts';

/**
 * A slot round (DESIGN §4a): one paid spin, then every free spin it leads to, retriggers included, up to a cap.
 * Each spin consumes its own floats (its own nonce); the caller draws them, so these functions stay pure and the
 * room (async draws inside a transaction) and the RTP calculation and simulations (sync) play the same round.
 */

/** Free spins one paid spin can lead to at most (retriggers included), so a round stays bounded. */
export const MAX_FREE_SPINS_PER_ROUND = 200;

/** Where a round's free-spin chain stands. */
export interface FreeSpinChain {
  /** free spins played so far */
  played: number;
  /** free spins awarded and not played yet (the cap may leave some unplayed) */
  pending: number;
}

/** The chain right after the paid spin, which awarded `awarded` free spins. */
export function startFreeSpinChain(awarded: number): FreeSpinChain {
  return { played: 0, pending: awarded };
}

/** The chain after one more free spin, which awarded `awarded` free spins (a retrigger when > 0). */
export function advanceFreeSpinChain(chain: FreeSpinChain, awarded: number): FreeSpinChain {
  return { played: chain.played + 1, pending: chain.pending - 1 + awarded };
}

/** True while the round has a free spin to play: one is pending and the cap is not reached. */
export function hasFreeSpinLeft(chain: FreeSpinChain): boolean {
  return chain.pending > 0 && chain.played < MAX_FREE_SPINS_PER_ROUND;
}

/** A round in progress or finished. Amounts are integer GOLD minor units. */
export interface SlotRound {
  betPerLine: number;
  /** what the paid spin cost: betPerLine × lines */
  bet: number;
  paid: SpinOutcome;
  /** in the order played */
  freeSpins: SpinOutcome[];
  chain: FreeSpinChain;
}

/** Plays the paid spin of a round from its floats (`betPerLine` must be a bet level). */
export function startSlotRound(machine: SlotMachine, betPerLine: number, floats: readonly number[]): SlotRound {
  const paid = spinSlot(machine, floats, betPerLine);
  return { betPerLine, bet: computeTotalBet(machine, betPerLine), paid, freeSpins: [], chain: startFreeSpinChain(paid.freeSpinsAwarded) };
}

/** Plays the round's next free spin from its own floats. Throws a plain Error when none is left (a caller bug). */
export function playNextFreeSpin(machine: SlotMachine, round: SlotRound, floats: readonly number[]): SlotRound {
  if (!hasFreeSpinLeft(round.chain)) throw new Error('This slot round has no free spin left to play.');
  const free = spinSlot(machine, floats, round.betPerLine, { freeSpin: true });
  return { ...round, freeSpins: [...round.freeSpins, free], chain: advanceFreeSpinChain(round.chain, free.freeSpinsAwarded) };
}

/** What the whole round pays: the paid spin plus every free spin played. */
export function computeRoundPayout(round: SlotRound): number {
  return round.freeSpins.reduce((sum, spin) => sum + spin.totalPayout, round.paid.totalPayout);
}

/** The round's payout as hundredths of its bet (the stats' and the big-win rule's multiplier). */
export function computeRoundMultiplier(round: SlotRound): number {
  return toMultiplierHundredths(computeRoundPayout(round), round.bet);
}

/** Plays a whole round, drawing each spin's floats from `nextFloats` (simulations and tests; the room draws per nonce). */
export function playSlotRound(machine: SlotMachine, betPerLine: number, nextFloats: () => readonly number[]): SlotRound {
  let round = startSlotRound(machine, betPerLine, nextFloats());
  while (hasFreeSpinLeft(round.chain)) round = playNextFreeSpin(machine, round, nextFloats());
  return round;
}
