// Rock-paper-scissors words: the pick names, the scene's modes and how a duel's outcome reads.
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import { fmt } from '../../ui/dom.ts';
import type { DuelResult, SeatKey } from './rps.net.ts';

export type Mode = 'idle' | 'joining' | 'waiting' | 'picking' | 'done';
export type Outcome = 'win' | 'loss' | 'draw' | 'void';

export const NAMES: Record<RpsPick, string> = { rock: 'Rock', paper: 'Paper', scissors: 'Scissors' };

/** The duel's outcome for this seat. */
export function outcomeFor(r: DuelResult, seat: SeatKey): Outcome {
  return r.result === 'void' ? 'void' : r.result === 'draw' ? 'draw' : r.result === seat ? 'win' : 'loss';
}

/** The banner title, its colour and the line under it for an outcome (pot = both stakes). */
export function describeOutcome(outcome: Outcome, r: DuelResult, seat: SeatKey, pot: number): [string, string, string] {
  const mine = r.payouts[seat];
  return outcome === 'win'
    ? ['YOU WIN', '#53f29a', `+${fmt(mine)} GOLD · pot ${fmt(pot)} − rake ${fmt(r.rake)}`]
    : outcome === 'loss'
      ? ['YOU LOSE', '#ff5a7a', `${r.picks[seat] ? '' : 'No pick in time · '}−${fmt(pot / 2)} GOLD`]
      : outcome === 'draw'
        ? ['DRAW', '#ffc83d', `Stake returned: ${fmt(mine)} GOLD`]
        : ['NO DUEL', '#a99fd6', `Nobody picked · stakes returned`];
}

/** "ROCK  vs  PAPER" (this seat first). */
export function describePicks(r: DuelResult, seat: SeatKey, other: SeatKey): string {
  const name = (p: RpsPick | null) => (p ? NAMES[p].toUpperCase() : 'NO PICK');
  return `${name(r.picks[seat])}  vs  ${name(r.picks[other])}`;
}
