import { assertWithinBetLimits, type BetLimits } from '../../../domain/games/bet-limits.ts';
import { toMultiplierHundredths } from '../../../domain/games/payout.ts';
import type { SlotMachine } from '../../../domain/games/slot/machine.ts';
import {
  computeRoundMultiplier,
  hasFreeSpinLeft,
  playNextFreeSpin,
  startSlotRound,
  type SlotRound,
} from '../../../domain/games/slot/round.ts';
import { assertBetLevel, computeTotalBet, SLOT_FLOATS_PER_SPIN, type SpinOutcome } from '../../../domain/games/slot/rules.ts';
import { roundFloats } from '../../../domain/rng/fair.ts';
import type { SeedDraw } from '../fairness/fairness.service.ts';
import type { GameService, RoundDecision, RoundResult } from './game.service.ts';
import type { RoundMarks } from './round-marks.ts';

/** A committed paid spin: the round as the game service recorded it, its total with the free spins, and its multiplier. */
export interface SpinPlayed {
  round: RoundResult;
  outcome: SpinOutcome;
  freeSpins: Array<{ roundId: string; payout: number; outcome: SpinOutcome; nonce: number }>;
  /** the paid spin's payout plus every free spin's */
  totalPayout: number;
  /** the whole round's payout in hundredths of its bet */
  multiplierHundredths: number;
}

/**
 * Slot spins: one paid spin and the free spins it triggers are one round (domain/games/slot/round.ts), each spin drawn
 * with its own nonce, committed in one transaction that the group commit may share with other rounds.
 */
export class SlotService {
  constructor(
    private readonly games: Pick<GameService, 'playRound'>,
    private readonly betLimits: BetLimits,
  ) {}

  /** Plays a paid spin at `betPerLine` (one of the machine's bet levels) with its free spins. */
  async spin(p: { userId: string; sessionId: string; machine: SlotMachine; betPerLine: number; marks?: RoundMarks }): Promise<SpinPlayed> {
    const { machine, betPerLine } = p;
    assertBetLevel(machine, betPerLine);
    const bet = computeTotalBet(machine, betPerLine);
    assertWithinBetLimits(bet, this.betLimits, "A spin's total bet");
    const round = await this.games.playRound({
      userId: p.userId,
      sessionId: p.sessionId,
      game: 'slot',
      bet,
      marks: p.marks,
      // runs inside the round's transaction, with the player's seed locked: each spin takes the next nonce
      decide: async ({ draw, nextDraw }) => {
        let played = startSlotRound(machine, betPerLine, spinFloats(draw));
        const freeDraws: SeedDraw[] = [];
        while (hasFreeSpinLeft(played.chain)) {
          freeDraws.push(await nextDraw());
          played = playNextFreeSpin(machine, played, spinFloats(freeDraws.at(-1)!));
        }
        return toRoundDecision(machine, played, freeDraws);
      },
    });
    const totalPayout = round.payout + round.followUps.reduce((s, f) => s + f.payout, 0);
    return {
      round,
      outcome: round.outcome as unknown as SpinOutcome, // what `decide` returned
      freeSpins: round.followUps.map((f) => ({
        roundId: f.roundId,
        payout: f.payout,
        outcome: f.outcome as unknown as SpinOutcome,
        nonce: f.nonce,
      })),
      totalPayout,
      multiplierHundredths: toMultiplierHundredths(totalPayout, bet),
    };
  }
}

/** A spin's floats: the first five of its draw (one per reel). */
function spinFloats(draw: SeedDraw): number[] {
  return roundFloats(draw, SLOT_FLOATS_PER_SPIN);
}

/** The round as the game service records it: the paid spin, then each free spin as a follow-up round with its own draw. */
function toRoundDecision(machine: SlotMachine, round: SlotRound, freeDraws: SeedDraw[]): RoundDecision {
  const fairness = { version: machine.version };
  return {
    payout: round.paid.totalPayout,
    multiplier: computeRoundMultiplier(round),
    outcome: { ...round.paid },
    fairness,
    followUps: round.freeSpins.map((free, i) => ({ payout: free.totalPayout, outcome: { ...free }, draw: freeDraws[i], fairness })),
  };
}
