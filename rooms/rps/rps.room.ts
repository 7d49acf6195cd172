import { randomUUID } from 'node:crypto';
import { StateView } from '@colyseus/schema';
import type { Delayed } from '@colyseus/timer';
import { housePick, resolveDuel, RPS_VERSION, settleDuel, type RpsPick } from '../../domain/games/rps/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { EscrowService } from '../../server/services/escrow.service.ts';
import type { FairnessService, SeedDraw } from '../../server/services/fairness.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { PickMessage, RpsJoinOptions } from './rps.messages.ts';
import { RpsSeatState, RpsState } from './rps.state.ts';

export interface RpsRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  escrow: Pick<EscrowService, 'open' | 'settle' | 'refund'>;
  fairness: Pick<FairnessService, 'drawNow'>;
  betLimits: { min: number; max: number };
  timing: { houseAfterMs: number; pickTimeoutMs: number };
  rakeBps: number;
}

type SeatKey = 'a' | 'b';
interface Stake { roundId: string; userId: string; sessionId: string; clientId: string }

/**
 * A rock-paper-scissors duel: two seats with equal stakes escrowed on join; picks stay hidden from the other
 * seat until both are in; a missing pick at the deadline forfeits; with no opponent in time the house takes
 * seat b and picks from the player's provably fair draw. One duel per room.
 */
export function createRpsRoom(deps: RpsRoomDeps) {
  const checkStake = (options: unknown) => {
    const { stake } = RpsJoinOptions.parse(options);
    if (stake < deps.betLimits.min || stake > deps.betLimits.max) throw new DomainError('request/invalid', `A stake must be between ${deps.betLimits.min} and ${deps.betLimits.max}.`);
    return stake;
  };
  return class RpsRoom extends GameRoom<{ state: RpsState }> {
    static override onAuth = requireAccessToken(deps.verify, checkStake);
    protected readonly game = 'rps' as const;
    protected readonly deps = deps;
    override maxClients = 2;
    override state = new RpsState();
    private readonly duelId = randomUUID();
    private readonly stakes = new Map<SeatKey, Stake>();
    private house?: { pick: RpsPick; draw: SeedDraw };
    private timer?: Delayed;
    private resolution?: Promise<void>;

    override onCreate(options: unknown) {
      this.state.stake = checkStake(options);
      this.handle('pick', PickMessage, (client, msg) => this.pick(client, msg));
      this.rejectUnknownMessages();
    }

    protected async onPlayerJoin(client: PlayerClient) {
      const seat = this.seatOf(client);
      const key: SeatKey = this.stakes.has('a') ? 'b' : 'a';
      const { roundId } = await deps.escrow.open({
        userId: seat.userId, sessionId: seat.sessionId, game: 'rps', groupId: this.duelId, amount: this.state.stake, fairness: { version: RPS_VERSION },
      });
      this.stakes.set(key, { roundId, userId: seat.userId, sessionId: seat.sessionId, clientId: client.sessionId });
      const state = new RpsSeatState({ userId: seat.userId, username: seat.username });
      this.state.seats.set(key, state);
      client.view = new StateView();
      client.view.add(state);
      client.send('seat', { seat: key, stake: this.state.stake, duel_id: this.duelId });
      if (key === 'b') this.startPicking();
      else this.timer = this.clock.setTimeout(() => void this.playTheHouse(), deps.timing.houseAfterMs);
    }

    protected override async onPlayerLeave(client: PlayerClient) {
      const key = this.keyOf(client.sessionId);
      if (!key) return;
      if (this.state.phase === 'waiting') {
        // no duel happened: give the stake back and close the room
        this.timer?.clear();
        const s = this.stakes.get(key)!;
        await deps.escrow.refund({ roundId: s.roundId, userId: s.userId, sessionId: s.sessionId, amount: this.state.stake });
        this.stakes.delete(key);
        await this.lock();
        this.state.phase = 'done';
        this.state.result = 'void';
        return;
      }
      // a leaver keeps the seat's pick (or forfeits it at the deadline); the session closes after settlement
      if (this.state.phase === 'picking' && this.everyonePicked(key)) void this.resolve();
      await this.resolution;
    }

    private async playTheHouse() {
      if (this.state.phase !== 'waiting' || this.stakes.size !== 1) return;
      await this.lock();
      const player = this.stakes.get('a')!;
      const draw = await deps.fairness.drawNow(player.userId);
      this.house = { pick: housePick(roundFloats(draw, 1)[0]), draw };
      this.state.seats.set('b', new RpsSeatState({ userId: '', username: 'House', isHouse: true, hasPicked: true }));
      this.startPicking();
    }

    private startPicking() {
      this.timer?.clear();
      void this.lock();
      Object.assign(this.state, { phase: 'picking', pickDeadline: Date.now() + deps.timing.pickTimeoutMs });
      this.timer = this.clock.setTimeout(() => void this.resolve(), deps.timing.pickTimeoutMs);
    }

    private async pick(client: PlayerClient, msg: PickMessage) {
      const key = this.keyOf(client.sessionId);
      if (!key || this.state.phase !== 'picking') throw new DomainError('game/not_allowed', 'Picks are not open.');
      const seat = this.state.seats.get(key)!;
      if (seat.hasPicked) throw new DomainError('game/not_allowed', 'You already picked.');
      Object.assign(seat, { pick: msg.pick, hasPicked: true });
      client.send('pick_accepted', { ref: msg.ref, pick: msg.pick });
      if ([...this.state.seats.values()].every((s) => s.hasPicked)) await this.resolve();
    }

    /** Settles the duel once: reveal, split the pot, commit, then announce. */
    private resolve(): Promise<void> {
      this.resolution ??= (async () => {
        this.timer?.clear();
        const picks = { a: this.pickOf('a'), b: this.house ? this.house.pick : this.pickOf('b') };
        const outcome = resolveDuel(picks.a, picks.b);
        const split = settleDuel({ stake: this.state.stake, outcome, rakeBps: deps.rakeBps });
        const settlements = (['a', 'b'] as const).filter((k) => this.stakes.has(k)).map((k) => {
          const s = this.stakes.get(k)!;
          return {
            roundId: s.roundId, userId: s.userId, sessionId: s.sessionId, amount: this.state.stake,
            multiplier: Math.floor((split.payouts[k] * 100) / this.state.stake), payout: split.payouts[k],
            outcome: { duel_id: this.duelId, seat: k, picks, result: outcome, rake: split.rake, against: this.house ? 'house' : 'player' },
            ...(this.house && k === 'a' ? {
              seedId: this.house.draw.seedId,
              fairness: { server_seed_hash: this.house.draw.serverSeedHash, client_seed: this.house.draw.clientSeed, nonce: this.house.draw.nonce, house_pick: this.house.pick },
            } : {}),
          };
        });
        const results = await deps.escrow.settle(settlements, 'rps');
        for (const k of ['a', 'b'] as const) {
          const seat = this.state.seats.get(k);
          if (seat) Object.assign(seat, { revealed: picks[k] ?? '', payout: split.payouts[k] });
        }
        Object.assign(this.state, { phase: 'done', result: outcome, rake: split.rake });
        this.broadcast('result', { duel_id: this.duelId, picks, result: outcome, payouts: split.payouts, rake: split.rake, house: this.house ? { pick: this.house.pick, nonce: this.house.draw.nonce, server_seed_hash: this.house.draw.serverSeedHash } : null });
        results.forEach((r, i) => {
          const c = this.clients.find((x) => x.sessionId === this.stakes.get(settlements[i].outcome.seat as SeatKey)?.clientId);
          if (r && c) c.send('balances', { balances: r.balances });
        });
        this.clock.setTimeout(() => this.disconnect(), 30_000);
      })();
      return this.resolution;
    }

    private pickOf(key: SeatKey): RpsPick | null {
      const seat = this.state.seats.get(key);
      return seat?.hasPicked ? (seat.pick as RpsPick) : null;
    }

    private everyonePicked(except: SeatKey): boolean {
      return [...this.state.seats.entries()].every(([k, s]) => k === except || s.hasPicked);
    }

    private keyOf(clientId: string): SeatKey | undefined {
      for (const [k, s] of this.stakes) if (s.clientId === clientId) return k;
      return undefined;
    }
  };
}
