import { StateView } from '@colyseus/schema';
import { assertWithinBetLimits, type BetLimits } from '../../domain/games/bet-limits.ts';
import { isBigWin, toMultiplierHundredths } from '../../domain/games/payout.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import {
  computeRoundMultiplier,
  hasFreeSpinLeft,
  playNextFreeSpin,
  startSlotRound,
  type SlotRound,
} from '../../domain/games/slot/round.ts';
import { assertBetLevel, computeTotalBet, SLOT_FLOATS_PER_SPIN, type SpinOutcome } from '../../domain/games/slot/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import type { SeedDraw } from '../../server/services/fairness/fairness.service.ts';
import type { GameService, RoundDecision } from '../../server/services/games/game.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { SpinMessage, type SlotServerMessages } from './slot.messages.ts';
import { SlotBigWinState, SlotHallState, SlotPlayerState } from './slot.state.ts';

export interface SlotRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  games: GameRoomDeps['games'] & Pick<GameService, 'playRound'>;
  betLimits: BetLimits;
}

type SlotClient = PlayerClient<SlotServerMessages>;
const machine = SLOT_V1;

/**
 * The slot hall: a shared room where each player plays their own machine. A spin (bet, the round and any free
 * spins it triggers, win) commits in one transaction, shared with other players' spins by the group commit; the
 * result is sent only after it committed. The round's rules are domain/games/slot/round.ts; this room draws each
 * spin's floats and reports.
 */
export function createSlotRoom(deps: SlotRoomDeps) {
  return class SlotRoom extends GameRoom<{ state: SlotHallState; client: SlotClient }> {
    static override onAuth = requireAccessToken(deps.verify);
    protected readonly game = 'slot' as const;
    protected readonly deps = deps;
    override maxClients = 50;
    override state = new SlotHallState();

    override onCreate() {
      this.handle('spin', SpinMessage, (client, msg) => this.spin(client, msg));
      this.rejectUnknownMessages();
    }

    protected onPlayerJoin(client: SlotClient) {
      const player = new SlotPlayerState({ userId: client.auth.userId, username: client.auth.username, betPerLine: machine.betLevels[0] });
      this.state.players.set(client.sessionId, player);
      // other players' reels would be patched to everyone on every spin: each client sees only its own
      client.view = new StateView();
      client.view.add(player);
      client.send('machine', { version: machine.version, bet_levels: [...machine.betLevels], lines: machine.paylines.length });
    }

    protected override onPlayerLeave(client: SlotClient) {
      this.state.players.delete(client.sessionId);
    }

    private async spin(client: SlotClient, msg: SpinMessage) {
      const seat = this.seatOf(client);
      assertBetLevel(machine, msg.betPerLine);
      const bet = computeTotalBet(machine, msg.betPerLine);
      assertWithinBetLimits(bet, deps.betLimits, "A spin's total bet");
      const result = await deps.games.playRound({
        userId: seat.userId,
        sessionId: seat.sessionId,
        game: 'slot',
        bet,
        decide: async ({ draw, nextDraw }) => {
          let round = startSlotRound(machine, msg.betPerLine, spinFloats(draw));
          const freeDraws: SeedDraw[] = [];
          while (hasFreeSpinLeft(round.chain)) {
            freeDraws.push(await nextDraw());
            round = playNextFreeSpin(machine, round, spinFloats(freeDraws.at(-1)!));
          }
          return toRoundDecision(round, freeDraws);
        },
      });
      const total = result.payout + result.followUps.reduce((s, f) => s + f.payout, 0);
      const multiplier = toMultiplierHundredths(total, bet);
      const outcome = result.outcome as unknown as SpinOutcome; // what `decide` returned
      const player = this.state.players.get(client.sessionId);
      if (player) {
        player.betPerLine = msg.betPerLine;
        player.spins += 1 + result.followUps.length;
        player.lastPayout = total;
        player.grid.splice(0, player.grid.length, ...outcome.grid.flat());
      }
      client.send('spin_result', {
        ref: msg.ref,
        round_id: result.roundId,
        bet: result.bet,
        payout: result.payout,
        total_payout: total,
        outcome,
        free_spins: result.followUps.map((f) => ({
          round_id: f.roundId,
          payout: f.payout,
          outcome: f.outcome as unknown as SpinOutcome,
          nonce: f.nonce,
        })),
        fairness: result.fairness,
        balances: result.balances,
      });
      if (isBigWin(multiplier)) this.announceBigWin(seat.username, total, multiplier);
    }

    private announceBigWin(username: string, payout: number, multiplier: number) {
      this.state.bigWins.push(new SlotBigWinState({ username, payout, multiplier }));
      while (this.state.bigWins.length > 10) this.state.bigWins.shift();
      this.broadcast('big_win', { username, payout, multiplier });
    }
  };
}

/** A spin's floats: the first five of its draw (one per reel). */
function spinFloats(draw: SeedDraw): number[] {
  return roundFloats(draw, SLOT_FLOATS_PER_SPIN);
}

/** The round as the game service records it: the paid spin, then each free spin as a follow-up round with its own draw. */
function toRoundDecision(round: SlotRound, freeDraws: SeedDraw[]): RoundDecision {
  const fairness = { version: machine.version };
  return {
    payout: round.paid.totalPayout,
    multiplier: computeRoundMultiplier(round),
    outcome: { ...round.paid },
    fairness,
    followUps: round.freeSpins.map((free, i) => ({ payout: free.totalPayout, outcome: { ...free }, draw: freeDraws[i], fairness })),
  };
}
