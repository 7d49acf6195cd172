import { randomUUID } from 'node:crypto';
import { StateView } from '@colyseus/schema';
import type { Delayed } from '@colyseus/timer';
import { assertWithinBetLimits, type BetLimits } from '../../domain/games/bet-limits.ts';
import { housePick, resolveDuel, RPS_VERSION, settleDuel, type RpsPick } from '../../domain/games/rps/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { EscrowService } from '../../server/services/games/escrow.service.ts';
import type { FairnessService } from '../../server/services/fairness/fairness.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { toHouseDraw, toSeatSettlement, type HouseSeat, type Stake } from './rps.mapper.ts';
import { PickMessage, RpsJoinOptions, type RpsServerMessages, type SeatKey } from './rps.messages.ts';
import { RpsSeatState, RpsState } from './rps.state.ts';

export interface RpsRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  escrow: Pick<EscrowService, 'open' | 'settle' | 'refund'>;
  fairness: Pick<FairnessService, 'drawNow'>;
  betLimits: BetLimits;
  timing: { houseAfterMs: number; pickTimeoutMs: number };
  rakeBps: number;
}

type RpsClient = PlayerClient<RpsServerMessages>;

/**
 * A rock-paper-scissors duel: two seats with equal stakes escrowed on join; picks stay hidden from the other
 * seat until both are in; a missing pick at the deadline forfeits; with no opponent in time the house takes
 * seat b and picks from the player's provably fair draw. One duel per room.
 *
 * Every escrowed stake ends settled or refunded exactly once: a join claims its place before escrowing (so two
 * concurrent joins never share a seat, nor one user both seats), a leaver in the waiting phase is refunded, the
 * room outlives a leaver in the picking phase until the duel settles, and a room that goes away with the duel
 * unfinished (shutdown) refunds every stake.
 */
export function createRpsRoom(deps: RpsRoomDeps) {
  const checkStake = (options: unknown) => {
    const { stake } = RpsJoinOptions.parse(options);
    assertWithinBetLimits(stake, deps.betLimits, 'A stake');
    return stake;
  };
  return class RpsRoom extends GameRoom<{ state: RpsState; client: RpsClient }> {
    static override onAuth = requireAccessToken(deps.verify, checkStake);
    protected readonly game = 'rps' as const;
    protected readonly deps = deps;
    override maxClients = 2;
    override state = new RpsState();
    private readonly duelId = randomUUID();
    /** escrowed stakes by seat; in the waiting phase a lone stake is always seat a */
    private readonly stakes = new Map<SeatKey, Stake>();
    /** users whose join is escrowing its stake: each holds a place from before its first await */
    private readonly joining = new Set<string>();
    /** the house is drawing its pick for seat b */
    private houseComing = false;
    private house?: HouseSeat;
    private timer?: Delayed;
    private resolution?: Promise<void>;
    /** resolved once the duel is over (settled, voided, or its settlement given up to restart recovery) */
    private readonly over = Promise.withResolvers<void>();

    override onCreate(options: unknown) {
      this.state.stake = checkStake(options);
      this.handle('pick', PickMessage, (client, msg) => this.pick(client, msg));
      this.rejectUnknownMessages();
    }

    protected async onPlayerJoin(client: RpsClient) {
      const seat = this.seatOf(client);
      // the house only holds seat b once it sat down (phase picking): a player arriving while it is on its way wins
      if (this.state.phase !== 'waiting' || this.stakes.size + this.joining.size >= 2) {
        throw new DomainError('game/not_allowed', 'This duel already has two players.');
      }
      if (this.joining.has(seat.userId) || [...this.stakes.values()].some((s) => s.userId === seat.userId)) {
        throw new DomainError('game/not_allowed', 'You already have a seat in this duel.');
      }
      this.joining.add(seat.userId);
      const roundId = randomUUID();
      try {
        await deps.escrow.open({
          roundId,
          userId: seat.userId,
          sessionId: seat.sessionId,
          game: 'rps',
          groupId: this.duelId,
          amount: this.state.stake,
          fairness: { version: RPS_VERSION },
        });
      } catch (err) {
        this.refundIfWritten(err, () =>
          this.refund({ roundId, userId: seat.userId, sessionId: seat.sessionId, clientId: client.sessionId }),
        );
        this.joining.delete(seat.userId);
        this.nextStep(); // a player already seated may now be alone: the house comes for them
        throw err;
      }
      this.joining.delete(seat.userId);
      const stake: Stake = { roundId, userId: seat.userId, sessionId: seat.sessionId, clientId: client.sessionId };
      if (this.state.phase !== 'waiting') {
        // the duel was called off while the stake was being escrowed (shutdown): it goes straight back
        await this.refund(stake);
        throw new DomainError('game/not_allowed', 'This duel was called off; your stake was returned.');
      }
      // the seat is chosen with no await before it is taken
      const key: SeatKey = this.stakes.has('a') ? 'b' : 'a';
      this.stakes.set(key, stake);
      const state = new RpsSeatState({ userId: seat.userId, username: seat.username });
      this.state.seats.set(key, state);
      client.view = new StateView();
      client.view.add(state);
      client.send('seat', { seat: key, stake: this.state.stake, duel_id: this.duelId });
      this.nextStep();
    }

    protected override async onPlayerLeave(client: RpsClient) {
      const key = this.keyOf(client.sessionId);
      if (!key) return;
      if (this.state.phase === 'waiting') {
        // no duel happened: the stake goes back; the room closes unless another player is still seated or joining
        const stake = this.stakes.get(key)!;
        this.stakes.delete(key);
        this.state.seats.delete(key);
        this.timer?.clear();
        await this.refund(stake);
        if (this.stakes.size === 0 && this.joining.size === 0) this.finish('void');
        else this.nextStep();
        return;
      }
      // a leaver keeps the seat's pick (or forfeits it at the deadline): the room (and this seat's session) stays
      // until the duel is settled, so it cannot be disposed with the stakes still in escrow
      if (this.state.phase === 'picking' && this.everyonePicked(key)) this.spawn(this.resolve(), 'settle the duel');
      await this.over.promise;
    }

    /** Shutdown: a duel that has not been decided is called off and every stake refunded before the clients go. */
    override onBeforeShutdown() {
      if (!this.resolution && this.state.phase !== 'done') this.spawn(this.callOff(), 'call off the duel at shutdown');
      super.onBeforeShutdown();
    }

    override async onDispose() {
      this.timer?.clear();
      if (this.resolution) await this.resolution.catch(() => undefined);
      else if (this.stakes.size > 0) await this.callOff();
    }

    /** With two stakes the picking starts; with one and nobody joining, the house is called after a while. */
    private nextStep() {
      if (this.state.phase !== 'waiting') return;
      if (this.stakes.size === 2) this.startPicking();
      else if (this.stakes.size === 1 && this.joining.size === 0 && !this.houseComing) {
        this.timer?.clear();
        this.timer = this.clock.setTimeout(() => this.spawn(this.playTheHouse(), 'seat the house'), deps.timing.houseAfterMs);
      }
    }

    /**
     * Seats the house against a player who waited alone. A human opponent comes first: while one holds a seat
     * reservation (matched, not yet connected) or is escrowing, the house stays away and the wait starts again, so a
     * player the matchmaker sent here is never refused because the house took the seat in the meantime.
     */
    private async playTheHouse() {
      const player = this.stakes.get('a');
      if (this.state.phase !== 'waiting' || !player || this.stakes.size !== 1 || this.joining.size > 0 || this.houseComing) return;
      // a seat reserved beside the waiting player's connection is an opponent on the way
      const opponentComing = () => this.joining.size > 0 || this.hasReachedMaxClients();
      if (opponentComing()) return this.nextStep();
      // the player may leave at any await below (refunded, seat gone): then the house has nobody to play
      const stillThere = () => this.state.phase === 'waiting' && this.stakes.get('a') === player;
      this.houseComing = true;
      try {
        await this.lock();
        if (!stillThere()) return;
        // a reservation made from a listing read before the lock was published: that opponent gets the seat (the room
        // stays locked; if the reservation expires unused, the house comes at the next try)
        if (opponentComing()) return;
        const draw = await deps.fairness.drawNow(player.userId);
        if (!stillThere() || opponentComing()) return;
        this.house = { pick: housePick(roundFloats(draw, 1)[0]), draw };
        this.state.seats.set('b', new RpsSeatState({ userId: '', username: 'House', isHouse: true, hasPicked: true }));
        this.startPicking();
      } catch (err) {
        // the house could not draw (e.g. the database is away): reopen the seat and try again later
        this.spawn(this.unlock(), 'reopen the duel');
        throw err;
      } finally {
        this.houseComing = false;
        this.nextStep();
      }
    }

    private startPicking() {
      this.timer?.clear();
      this.spawn(this.lock(), 'lock the duel');
      Object.assign(this.state, { phase: 'picking', pickDeadline: Date.now() + deps.timing.pickTimeoutMs });
      this.timer = this.clock.setTimeout(() => this.spawn(this.resolve(), 'settle the duel at the deadline'), deps.timing.pickTimeoutMs);
    }

    private async pick(client: RpsClient, msg: PickMessage) {
      const key = this.keyOf(client.sessionId);
      if (!key || this.state.phase !== 'picking') throw new DomainError('game/not_allowed', 'Picks are not open.');
      const seat = this.state.seats.get(key)!;
      if (seat.hasPicked) throw new DomainError('game/not_allowed', 'You already picked.');
      Object.assign(seat, { pick: msg.pick, hasPicked: true });
      client.send('pick_accepted', { ref: msg.ref, pick: msg.pick });
      if ([...this.state.seats.values()].every((s) => s.hasPicked)) await this.resolve();
    }

    /** Settles the duel once: reveal, split the pot, commit (retried while the database is away), then announce. */
    private resolve(): Promise<void> {
      this.resolution ??= (async () => {
        this.timer?.clear();
        const picks = { a: this.pickOf('a'), b: this.house ? this.house.pick : this.pickOf('b') };
        const outcome = resolveDuel(picks.a, picks.b);
        const split = settleDuel({ stake: this.state.stake, outcome, rakeBps: deps.rakeBps });
        const duel = { duelId: this.duelId, stake: this.state.stake, picks, outcome, split, house: this.house };
        const settlements = (['a', 'b'] as const)
          .filter((k) => this.stakes.has(k))
          .map((k) => toSeatSettlement(duel, k, this.stakes.get(k)!));
        let results;
        try {
          results = await this.persist('settle the duel', () => deps.escrow.settle(settlements, 'rps'));
        } finally {
          this.over.resolve(); // settled, or left to restart recovery: either way nobody waits on it any longer
        }
        for (const k of ['a', 'b'] as const) {
          const seat = this.state.seats.get(k);
          if (seat) Object.assign(seat, { revealed: picks[k] ?? '', payout: split.payouts[k] });
        }
        this.finish(outcome);
        this.state.rake = split.rake;
        this.broadcast('result', {
          duel_id: this.duelId,
          picks,
          result: outcome,
          payouts: split.payouts,
          rake: split.rake,
          house: toHouseDraw(this.house),
        });
        results.forEach((r, i) => {
          const c = this.clients.find((x) => x.sessionId === this.stakes.get(settlements[i].outcome.seat)?.clientId);
          if (r && c) c.send('balances', { balances: r.balances });
        });
        this.clock.setTimeout(() => this.spawn(this.disconnect(), 'close the finished duel'), 30_000);
      })();
      return this.resolution;
    }

    /** Ends an undecided duel: every escrowed stake is refunded and the room takes no more joins or picks. */
    private async callOff() {
      this.timer?.clear();
      this.finish('void');
      const open = [...this.stakes.values()];
      this.stakes.clear();
      await Promise.all(open.map((s) => this.refund(s)));
    }

    private finish(result: string) {
      Object.assign(this.state, { phase: 'done', result });
      this.over.resolve();
      this.spawn(this.lock(), 'lock the finished duel');
    }

    private refund(s: Stake) {
      return this.persist('refund a stake', () =>
        deps.escrow.refund({ roundId: s.roundId, userId: s.userId, sessionId: s.sessionId, amount: this.state.stake }),
      );
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
