import { isBigWin } from '../../domain/games/payout.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import type { RoundMarks } from '../../server/services/games/round-marks.ts';
import type { SlotService } from '../../server/services/games/slot.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { SpinMessage, type SlotServerMessages } from './slot.messages.ts';
import { SlotBigWinState, SlotHallState, SlotPlayerState } from './slot.state.ts';

export interface SlotRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  slot: Pick<SlotService, 'spin'>;
}

type SlotClient = PlayerClient<SlotServerMessages>;
const machine = SLOT_V1;

/**
 * The slot hall: a shared room where each player plays their own machine. A spin (bet, the round and any free
 * spins it triggers, win) commits in one transaction, shared with other players' spins by the group commit; the
 * result is sent only after it committed. The room is glue: `SlotService.spin` plays the round
 * (domain/games/slot/round.ts); the room keeps the hall's state (who plays, the last big wins) and sends the result.
 */
export function createSlotRoom(deps: SlotRoomDeps) {
  return class SlotRoom extends GameRoom<{ state: SlotHallState; client: SlotClient }> {
    static override onAuth = requireAccessToken(deps.verify);
    protected readonly game = 'slot' as const;
    protected readonly deps = deps;
    override maxClients = 50;
    override state = new SlotHallState();

    override onCreate() {
      this.handle('spin', SpinMessage, (client, msg, receivedAt) => this.spin(client, msg, receivedAt));
      this.rejectUnknownMessages();
    }

    protected onPlayerJoin(client: SlotClient) {
      this.state.players.set(client.sessionId, new SlotPlayerState({ userId: client.auth.userId, username: client.auth.username }));
      client.send('machine', { version: machine.version, bet_levels: [...machine.betLevels], lines: machine.paylines.length });
    }

    protected override onPlayerLeave(client: SlotClient) {
      this.state.players.delete(client.sessionId);
    }

    private async spin(client: SlotClient, msg: SpinMessage, receivedAt: number) {
      const seat = this.seatOf(client);
      const marks: RoundMarks = { received: receivedAt, queued: 0 };
      const played = await deps.slot.spin({ userId: seat.userId, sessionId: seat.sessionId, machine, betPerLine: msg.betPerLine, marks });
      const { round } = played;
      client.send('spin_result', {
        ref: msg.ref,
        round_id: round.roundId,
        bet: round.bet,
        payout: round.payout,
        total_payout: played.totalPayout,
        outcome: played.outcome,
        free_spins: played.freeSpins.map((f) => ({ round_id: f.roundId, payout: f.payout, outcome: f.outcome, nonce: f.nonce })),
        fairness: round.fairness,
        balances: round.balances,
      });
      this.probe?.spin?.(marks, performance.now());
      if (isBigWin(played.multiplierHundredths)) this.announceBigWin(seat.username, played.totalPayout, played.multiplierHundredths);
    }

    private announceBigWin(username: string, payout: number, multiplier: number) {
      this.state.bigWins.push(new SlotBigWinState({ username, payout, multiplier }));
      while (this.state.bigWins.length > 10) this.state.bigWins.shift();
      this.broadcast('big_win', { username, payout, multiplier });
    }
  };
}
