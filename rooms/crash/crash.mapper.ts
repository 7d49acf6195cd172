import type { CrashRound } from '../../domain/games/crash/round.ts';
import type { CrashRoundDraw } from '../../server/services/games/crash-chain.service.ts';
import type { YourBetMessage } from './crash.messages.ts';
import { CrashBetState, type CrashState } from './crash.state.ts';

/** Crash points the table state keeps, newest last. */
const HISTORY_LENGTH = 20;

/** Bets the table state shows: the round's biggest. */
export const PUBLIC_BETS = 50;

/** A new round's betting phase, in the table state: no bets yet, the curve at 1.00x. */
export function mirrorBettingPhase(state: CrashState, draw: CrashRoundDraw, bettingEndsAt: number): void {
  state.bets.clear();
  Object.assign(state, {
    betCount: 0,
    betTotal: 0,
    phase: 'betting',
    roundId: draw.crashRoundId,
    chainPosition: draw.position,
    multiplier: 100,
    crashPoint: 0,
    bettingEndsAt,
    runningSince: 0,
  });
}

/**
 * A placed bet, in the table state: counted and totalled, and listed if it is among the `PUBLIC_BETS` biggest (it
 * then takes the place of the smallest listed; on a tie the earlier bet stays).
 */
export function mirrorBetPlaced(state: CrashState, userId: string, bet: { username: string; amount: number; autoCashout: number }): void {
  state.betCount += 1;
  state.betTotal += bet.amount;
  if (state.bets.size >= PUBLIC_BETS) {
    let smallest: { id: string; amount: number } | undefined;
    state.bets.forEach((b, id) => {
      if (!smallest || b.amount < smallest.amount) smallest = { id, amount: b.amount };
    });
    if (!smallest || bet.amount <= smallest.amount) return;
    state.bets.delete(smallest.id);
  }
  state.bets.set(userId, new CrashBetState(bet));
}

/** The crash, in the table state: its point, and the history of the last crash points. */
export function mirrorCrash(state: CrashState, round: CrashRound): void {
  Object.assign(state, { phase: 'crashed', crashPoint: round.crashPoint, multiplier: round.crashPoint });
  state.history.push(round.crashPoint);
  while (state.history.length > HISTORY_LENGTH) state.history.shift();
}

/** How a player's bet ended, in its row of the table state (`cashedOutAt` only for a cash-out). */
export function mirrorBetEnd(
  state: CrashState,
  userId: string,
  status: 'cashed_out' | 'lost' | 'refunded',
  multiplier: number,
  payout: number,
): void {
  const b = state.bets.get(userId);
  if (b) Object.assign(b, { status, cashedOutAt: status === 'cashed_out' ? multiplier : 0, payout });
}

/** A player's bet in the round as `your_bet` tells it (a reload or a second tab), or undefined without one. */
export function ownBet(round: CrashRound, userId: string): YourBetMessage | undefined {
  const bet = round.bets.find((b) => b.playerId === userId);
  if (!bet) return undefined;
  const s = bet.settlement;
  return {
    crash_round_id: round.id,
    amount: bet.amount,
    auto_cashout: bet.autoCashout,
    status: !s ? 'riding' : s.reason === 'crashed' ? 'lost' : 'cashed_out',
    multiplier: s?.multiplier ?? 0,
    payout: s?.payout ?? 0,
  };
}
