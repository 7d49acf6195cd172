import { randomUUID } from 'node:crypto';
import type { Delayed } from '@colyseus/timer';
import { assertWithinBetLimits, type BetLimits } from '../../domain/games/bet-limits.ts';
import { multiplierAt } from '../../domain/games/crash/curve.ts';
import type { CrashRound } from '../../domain/games/crash/round.ts';
import {
  advanceRound,
  cashOut,
  createRound,
  placeBet,
  startRound,
  voidRound,
  summarizeStep,
  type CrashStep,
  type SettledEvent,
} from '../../domain/games/crash/rules.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { CrashChainService, CrashRoundDraw } from '../../server/services/games/crash-chain.service.ts';
import type { EscrowService } from '../../server/services/games/escrow.service.ts';
import { startBatch, type BatchMarks, type RoundMarks } from '../../server/services/games/round-marks.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { CrashBetMessage, CrashCashoutMessage, type CrashServerMessages } from './crash.messages.ts';
import { commitSteps, type LiveBet, type StepWrites } from './crash.commits.ts';
import { mirrorBetEnd, mirrorBetPlaced, mirrorBettingPhase, mirrorCrash, ownBet } from './crash.mapper.ts';
import { CrashState } from './crash.state.ts';

export interface CrashRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  chain: Pick<CrashChainService, 'nextRound' | 'markRound'>;
  escrow: Pick<EscrowService, 'open' | 'settle' | 'refund' | 'refundMany'>;
  /** the fairness record stored with each bet (CrashChainService.fairnessOf) */
  fairnessOf: (d: CrashRoundDraw) => Record<string, unknown>;
  betLimits: BetLimits;
  /** `timeScale` speeds the curve up (tests, demos); 1 = the published curve, 2x every 8 s */
  timing: { bettingMs: number; pauseMs: number; tickMs: number; timeScale: number };
  maxPayout: number;
}

type CrashClient = PlayerClient<CrashServerMessages>;

/** State patches every 90 ms: the room clock (and so the curve's tick timer) advances once per patch, ≥ 10 Hz. */
const PATCH_MS = 90;

/**
 * While betting, placed bets reach the table state at most this often: each change is a patch to every seat, and a
 * window's burst of bets would otherwise patch 1,000 seats on every tick.
 */
const BET_MIRROR_MS = 250;

/** Crashes after which a lost bet still makes its player's cash-out `game/too_late` (unless they bet again). */
const LOST_BETS_KEPT = 3;

/** Steps taken while the previous commit runs: committed together once it is done. */
interface CommitGroup {
  steps: StepWrites[];
  job: Promise<void>;
  /** its settlement transaction's moments (reset when the commit starts; the last try's when retried) */
  marks: BatchMarks;
  /** tell the steps' waiting players of an outage (at the commit's first one) */
  outageTellers: Array<() => void>;
}

/**
 * A crash table: one round loop (betting → running → crashed → next). The curve follows the server clock;
 * the pure rules (domain/games/crash) decide every settlement; each settlement is committed before the player
 * is told. Disposing mid-round resolves the round as it would have ended (auto cash-outs honoured, the rest
 * lost) or refunds it if it never started.
 */
export function createCrashRoom(deps: CrashRoomDeps) {
  return class CrashRoom extends GameRoom<{ state: CrashState; client: CrashClient }> {
    static override onAuth = requireAccessToken(deps.verify);
    protected readonly game = 'crash' as const;
    protected readonly deps = deps;
    override maxClients = 1000;
    override state = new CrashState();
    private round?: CrashRound;
    private draw?: CrashRoundDraw;
    /** monotonic ms (performance.now) when the curve started */
    private runningSince = 0;
    private readonly live = new Map<string, LiveBet>();
    /**
     * Players whose bet rode into one of the last few crashes, with that crash point, until they bet again: their
     * cash-out is too late, however long it took to arrive (a loaded client may see the next round run first).
     */
    private readonly lostBets = new Map<string, { crashPoint: number; crash: number }>();
    private crashes = 0;
    private readonly pendingBets = new Set<Promise<unknown>>();
    private persisting: Promise<void> = Promise.resolve();
    /** the commit group still taking steps (its job has not started yet) */
    private group?: CommitGroup;
    /** from a commit's first outage until a commit succeeds: the steps queued meanwhile are answered at once */
    private databaseAway = false;
    private timer?: Delayed;
    /** bets placed since the table state last showed them, and the timer that will show them */
    private unmirrored: Array<{ userId: string; username: string; amount: number; autoCashout: number }> = [];
    private mirrorTimer?: Delayed;
    private disposed = false;
    /** curve ticks taken and milliseconds the curve ran, over the room's life (the crash bench reads the tick rate) */
    readonly tickStats = { ticks: 0, runningMs: 0 };

    override onCreate() {
      // one patch per curve tick (~11 Hz): each patch goes to every seat, so at 1,000 seats the patch rate is the cost
      this.patchRate = PATCH_MS;
      this.handle('bet', CrashBetMessage, (client, msg, receivedAt) => this.bet(client, msg, receivedAt));
      this.handle('cashout', CrashCashoutMessage, (client, _msg, receivedAt) => this.cashout(client, receivedAt));
      this.rejectUnknownMessages();
      this.spawn(this.openBetting(), 'open betting');
    }

    protected onPlayerJoin(client: CrashClient) {
      this.tellOwnBet(client);
    }

    /** A reload reconnects to its seat: the new page knows nothing of the bet yet. */
    protected override onPlayerReconnect(client: CrashClient) {
      this.tellOwnBet(client);
    }

    /** A player back at the table while their bet is in the round is told of it: the state lists only the biggest. */
    private tellOwnBet(client: CrashClient) {
      const mine = this.round && this.live.has(client.auth.userId) ? ownBet(this.round, client.auth.userId) : undefined;
      if (mine) client.send('your_bet', mine);
    }

    override async onDispose() {
      this.disposed = true;
      this.timer?.clear();
      await Promise.allSettled([...this.pendingBets]);
      if (this.round?.phase === 'betting') this.apply(voidRound(this.round));
      else if (this.round?.phase === 'running') this.apply(advanceRound(this.round, this.round.crashPoint));
      await this.persisting;
    }

    private async openBetting() {
      // the last round's settlements and its `crashed` announcement come first: a client that saw the next round
      // start before hearing how its bet ended would never learn it lost
      await this.persisting;
      if (this.disposed) return;
      try {
        this.draw = await deps.chain.nextRound(this.roomId);
      } catch (err) {
        this.reportFailure(err, 'start a crash round (retrying every second)');
        this.timer = this.clock.setTimeout(() => this.spawn(this.openBetting(), 'open betting'), 1000);
        return;
      }
      this.round = createRound({ id: this.draw.crashRoundId, crashPoint: this.draw.crashPoint, capPayout: deps.maxPayout });
      this.live.clear();
      mirrorBettingPhase(this.state, this.draw, Date.now() + deps.timing.bettingMs);
      this.timer = this.clock.setTimeout(() => this.spawn(this.run(), 'start the round'), deps.timing.bettingMs);
    }

    private async run() {
      await Promise.allSettled([...this.pendingBets]);
      if (this.disposed || !this.round) return;
      this.mirrorPlacedBets();
      // its commit only marks the round running: a database outage then must not stop a round whose bets are
      // escrowed (restart recovery voids a round left `betting` or `running` alike)
      this.apply(startRound(this.round));
      this.runningSince = performance.now();
      Object.assign(this.state, { phase: 'running', runningSince: Date.now(), timeScale: deps.timing.timeScale });
      this.timer = this.clock.setInterval(() => this.tick(), deps.timing.tickMs);
    }

    private tick() {
      if (this.round?.phase !== 'running') return;
      this.tickStats.ticks++;
      this.apply(advanceRound(this.round, this.currentMultiplier()));
    }

    /** The curve's multiplier now, from the monotonic server clock. */
    private currentMultiplier(): number {
      return multiplierAt((performance.now() - this.runningSince) * deps.timing.timeScale);
    }

    private async bet(client: CrashClient, msg: CrashBetMessage, receivedAt: number) {
      const seat = this.seatOf(client);
      if (!this.round || this.round.phase !== 'betting')
        throw new DomainError('game/not_allowed', 'Bets are closed; wait for the next round.');
      assertWithinBetLimits(msg.amount, deps.betLimits, 'A bet');
      const draw = this.draw!;
      this.round = placeBet(this.round, { playerId: seat.userId, amount: msg.amount, autoCashout: msg.autoCashout ?? null }).round;
      this.lostBets.delete(seat.userId);
      const roundId = randomUUID();
      const marks: RoundMarks = { received: receivedAt, queued: 0 };
      const placing = deps.escrow.open({
        marks,
        roundId,
        userId: seat.userId,
        sessionId: seat.sessionId,
        game: 'crash',
        groupId: draw.crashRoundId,
        amount: msg.amount,
        fairness: deps.fairnessOf(draw),
        outcome: { auto_cashout: msg.autoCashout ?? null },
      });
      this.pendingBets.add(placing);
      try {
        const placed = await placing;
        this.live.set(seat.userId, { roundId: placed.roundId, sessionId: seat.sessionId, userId: seat.userId, amount: msg.amount });
        this.unmirrored.push({ userId: seat.userId, username: seat.username, amount: msg.amount, autoCashout: msg.autoCashout ?? 0 });
        this.mirrorTimer ??= this.clock.setTimeout(() => this.mirrorPlacedBets(), BET_MIRROR_MS);
        client.send('bet_placed', {
          ref: msg.ref,
          round_id: placed.roundId,
          crash_round_id: draw.crashRoundId,
          amount: msg.amount,
          auto_cashout: msg.autoCashout ?? null,
          balances: placed.balances,
        });
        this.probe?.crashBet?.(marks, performance.now());
      } catch (err) {
        if (this.round?.id === draw.crashRoundId)
          this.round = { ...this.round, bets: this.round.bets.filter((b) => b.playerId !== seat.userId) };
        this.refundIfWritten(err, () =>
          deps.escrow.refund({ roundId, userId: seat.userId, sessionId: seat.sessionId, amount: msg.amount }),
        );
        throw err;
      } finally {
        this.pendingBets.delete(placing);
      }
    }

    /** Shows the bets placed since the last time in the table state (their count, total and the biggest). */
    private mirrorPlacedBets() {
      this.mirrorTimer?.clear();
      this.mirrorTimer = undefined;
      for (const { userId, ...bet } of this.unmirrored) mirrorBetPlaced(this.state, userId, bet);
      this.unmirrored = [];
    }

    private async cashout(client: CrashClient, receivedAt: number) {
      const seat = this.seatOf(client);
      // a cash-out that arrives after the player's bet crashed is too late, even once later rounds opened or ran
      const lost = this.lostBets.get(seat.userId);
      if (lost) throw new DomainError('game/too_late', `The round crashed at ${(lost.crashPoint / 100).toFixed(2)}x before your cash-out.`);
      if (!this.round || this.round.phase !== 'running')
        throw new DomainError('game/not_allowed', 'There is no running round to cash out of.');
      const at = this.currentMultiplier();
      const marks: RoundMarks = { received: receivedAt, queued: performance.now() };
      const step = this.apply(cashOut(this.round, seat.userId, at));
      marks.batch = step.marks;
      const settled = await step.committed.catch((err: unknown) => {
        // the cash-out is decided and held by the table; only its commit waits for the database
        if (err instanceof DomainError)
          throw new DomainError(
            err.code,
            `Your cash-out at ${(at / 100).toFixed(2)}x is taken; ${err.message.toLowerCase()} A cashed_out message confirms the payment.`,
          );
        throw err;
      });
      const mine = settled.find((e) => e.playerId === seat.userId);
      if (mine?.reason === 'crashed')
        throw new DomainError('game/too_late', `The round crashed at ${(mine.crashPoint / 100).toFixed(2)}x before your cash-out.`);
      // its `cashed_out` went out with the commit's results, just before this resumed
      if (mine) this.probe?.crashCashout?.(marks, performance.now());
    }

    /**
     * Takes a rules step, mirrors it in the state, and commits its settlements (in order, retried while the database
     * is away). Steps taken while a commit runs are committed together after it, so a burst of cash-outs costs one
     * transaction, not one each. `committed` resolves with the step's settlements once committed; if the first try
     * meets an outage it rejects at once with `service/unavailable` (the retries go on). Callers that do not wait
     * ignore it: a failure is reported through `persisting`, and `committed` is never an unhandled rejection. `marks`
     * are the moments of the commit that carries the step (none when it writes nothing).
     */
    private apply(step: CrashStep): { committed: Promise<Array<SettledEvent & { crashPoint: number }>>; marks?: BatchMarks } {
      this.round = step.round;
      this.state.multiplier = step.round.multiplier;
      const { settled: events, refunded, status } = summarizeStep(step);
      const settled = events.map((e) => ({ ...e, crashPoint: step.round.crashPoint }));
      for (const e of settled) mirrorBetEnd(this.state, e.playerId, e.reason === 'crashed' ? 'lost' : 'cashed_out', e.multiplier, e.payout);
      for (const e of refunded) mirrorBetEnd(this.state, e.playerId, 'refunded', 0, 0);
      // the bets are taken now: the next round's betting may open (and clear `live`) before this commit runs
      const bets = settled.map((e) => ({ e, bet: this.live.get(e.playerId) })).filter((x): x is { e: typeof x.e; bet: LiveBet } => !!x.bet);
      const refunds = refunded.map(({ playerId }) => this.live.get(playerId)).filter((b): b is LiveBet => !!b);
      if (status === 'crashed') this.onCrash(step.round);
      // a tick that settled nothing writes nothing: it only waits for what is already queued
      if (bets.length === 0 && refunds.length === 0 && !status) return { committed: this.persisting.then(() => settled) };
      const outage = Promise.withResolvers<never>();
      const tellOutage = () => outage.reject(new DomainError('service/unavailable', 'The game database is briefly unavailable.'));
      // a commit queued behind one that is waiting for the database answers at once too
      if (this.databaseAway) tellOutage();
      const group = this.group ?? this.openGroup();
      group.steps.push({ round: step.round, bets, refunds, status });
      group.outageTellers.push(tellOutage);
      const committed = Promise.race([group.job.then(() => settled), outage.promise]);
      committed.catch(() => undefined); // reported through `persisting`; whoever awaits `committed` still sees the failure
      return { committed, marks: group.marks };
    }

    /** A new commit group, run after the commit in flight; it takes steps until it starts. */
    private openGroup(): CommitGroup {
      const group: CommitGroup = { steps: [], job: Promise.resolve(), marks: startBatch(), outageTellers: [] };
      group.job = this.persisting.then(() => {
        if (this.group === group) this.group = undefined;
        Object.assign(group.marks, startBatch());
        const target = {
          escrow: deps.escrow,
          chain: deps.chain,
          clients: this.clients,
          broadcastCrashed: (msg: CrashServerMessages['crashed']) => this.broadcast('crashed', msg),
        };
        return this.persist(
          'commit crash settlements',
          () => commitSteps(target, group.steps, group.marks),
          () => {
            this.databaseAway = true;
            group.outageTellers.forEach((tell) => tell());
          },
        );
      });
      group.job.then(
        () => {
          this.databaseAway = false;
        },
        () => undefined,
      );
      this.persisting = group.job.catch((err: unknown) => {
        this.reportFailure(err, 'commit crash settlements (restart recovery will settle or refund)');
      });
      this.group = group;
      return group;
    }

    private onCrash(round: CrashRound) {
      this.timer?.clear();
      this.tickStats.runningMs += performance.now() - this.runningSince;
      this.crashes += 1;
      for (const b of round.bets)
        if (b.settlement?.reason === 'crashed') this.lostBets.set(b.playerId, { crashPoint: round.crashPoint, crash: this.crashes });
      for (const [playerId, { crash }] of this.lostBets) if (crash <= this.crashes - LOST_BETS_KEPT) this.lostBets.delete(playerId);
      mirrorCrash(this.state, round);
      if (!this.disposed) this.timer = this.clock.setTimeout(() => this.spawn(this.openBetting(), 'open betting'), deps.timing.pauseMs);
    }
  };
}
