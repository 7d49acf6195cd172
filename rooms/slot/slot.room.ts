import { assertBetLevel, computeTotalBet, SLOT_FLOATS_PER_SPIN, spinSlot } from '../../domain/games/slot/rules.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { StateView } from '@colyseus/schema';
import { DomainError } from '../../domain/shared/errors.ts';
import type { GameService, RoundDecision } from '../../server/services/games/game.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { SpinMessage } from './slot.messages.ts';
import { SlotBigWinState, SlotHallState, SlotPlayerState } from './slot.state.ts';

export interface SlotRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  games: GameRoomDeps['games'] & Pick<GameService, 'playRound'>;
  betLimits: { min: number; max: number };
}

/** A win of at least this many times the total bet is broadcast to the hall. */
export const BIG_WIN_MULTIPLIER = 20;
/** Free spins played for one paid spin at most (retriggers included), so a round stays bounded. */
const MAX_FREE_SPINS = 200;

/**
 * The slot hall: a shared room where each player plays their own machine. A spin (bet, the round and any free
 * spins it triggers, win) commits in one transaction, shared with other players' spins by the group commit; the
 * result is sent only after it committed.
 */
export function createSlotRoom(deps: SlotRoomDeps) {
  const machine = SLOT_V1;
  return class SlotRoom extends GameRoom<{ state: SlotHallState }> {
    static override onAuth = requireAccessToken(deps.verify);
    protected readonly game = 'slot' as const;
    protected readonly deps = deps;
    override maxClients = 50;
    override state = new SlotHallState();

    override onCreate() {
      this.handle('spin', SpinMessage, (client, msg) => this.spin(client, msg));
      this.rejectUnknownMessages();
    }

    protected onPlayerJoin(client: PlayerClient) {
      const player = new SlotPlayerState({ userId: client.auth.userId, username: client.auth.username, betPerLine: machine.betLevels[0] });
      this.state.players.set(client.sessionId, player);
      // other players' reels would be patched to everyone on every spin: each client sees only its own
      client.view = new StateView();
      client.view.add(player);
      client.send('machine', { version: machine.version, bet_levels: machine.betLevels, lines: machine.paylines.length });
    }

    protected override onPlayerLeave(client: PlayerClient) {
      this.state.players.delete(client.sessionId);
    }

    private async spin(client: PlayerClient, msg: SpinMessage) {
      const seat = this.seatOf(client);
      assertBetLevel(machine, msg.betPerLine);
      const bet = computeTotalBet(machine, msg.betPerLine);
      if (bet < deps.betLimits.min || bet > deps.betLimits.max) {
        throw new DomainError('request/invalid', `A spin's total bet must be between ${deps.betLimits.min} and ${deps.betLimits.max}.`);
      }
      const result = await deps.games.playRound({
        userId: seat.userId,
        sessionId: seat.sessionId,
        game: 'slot',
        bet,
        decide: async ({ draw, nextDraw }): Promise<RoundDecision> => {
          const main = spinSlot(machine, roundFloats(draw, SLOT_FLOATS_PER_SPIN), msg.betPerLine);
          const followUps: NonNullable<RoundDecision['followUps']> = [];
          let pending = main.freeSpinsAwarded;
          while (pending > 0 && followUps.length < MAX_FREE_SPINS) {
            pending--;
            const d = await nextDraw();
            const free = spinSlot(machine, roundFloats(d, SLOT_FLOATS_PER_SPIN), msg.betPerLine, { freeSpin: true });
            pending += free.freeSpinsAwarded;
            followUps.push({
              payout: free.totalPayout,
              outcome: { ...free, betPerLine: msg.betPerLine, freeSpin: true },
              draw: d,
              fairness: { version: machine.version },
            });
          }
          const total = main.totalPayout + followUps.reduce((s, f) => s + f.payout, 0);
          return {
            payout: main.totalPayout,
            multiplier: Math.floor((total * 100) / bet),
            outcome: { ...main, betPerLine: msg.betPerLine },
            fairness: { version: machine.version },
            followUps,
          };
        },
      });
      const total = result.payout + result.followUps.reduce((s, f) => s + f.payout, 0);
      const player = this.state.players.get(client.sessionId);
      if (player) {
        player.betPerLine = msg.betPerLine;
        player.spins += 1 + result.followUps.length;
        player.lastPayout = total;
        player.grid.splice(0, player.grid.length, ...(result.outcome.grid as string[][]).flat());
      }
      client.send('spin_result', {
        ref: msg.ref,
        round_id: result.roundId,
        bet: result.bet,
        payout: result.payout,
        total_payout: total,
        outcome: result.outcome,
        free_spins: result.followUps.map((f) => ({ round_id: f.roundId, payout: f.payout, outcome: f.outcome, nonce: f.nonce })),
        fairness: result.fairness,
        balances: result.balances,
      });
      if (total >= bet * BIG_WIN_MULTIPLIER) this.announceBigWin(seat.username, total, Math.floor((total * 100) / bet));
    }

    private announceBigWin(username: string, payout: number, multiplier: number) {
      this.state.bigWins.push(new SlotBigWinState({ username, payout, multiplier }));
      while (this.state.bigWins.length > 10) this.state.bigWins.shift();
      this.broadcast('big_win', { username, payout, multiplier });
    }
  };
}
