import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../domain/shared/clock.ts';
import type { Game } from '../../../domain/games/game.ts';
import type { FairnessService } from '../fairness/fairness.service.ts';
import { GroupCommit, type GroupCommitOptions, type Outcome } from '../../infra/group-commit.ts';
import { outboxWrites } from '../../db/repositories/outbox.repository.ts';
import { executeTogether } from '../../db/sql.ts';
import { settleRoundBatch, type RoundBatchDeps, type RoundRequest, type RoundResult } from './round-batch.ts';
import {
  addSessionTotals,
  closeOpenSession,
  sessionInsertWrite,
  type SessionTotals,
} from '../../db/repositories/game-session.repository.ts';
import type { WalletService } from '../wallet/wallet.service.ts';
import { startBatch } from './round-marks.ts';
import type { LimitsService } from '../limits/limits.service.ts';

/** A closed session handed to the session-end hooks, inside the transaction that closed it. */
export interface ClosedSession extends SessionTotals {
  id: string;
  userId: string;
  game: Game;
  status: 'closed' | 'recovered';
  startedAt: Date;
  endedAt: Date;
}

/**
 * Runs in the unit of work that closes a session (live-ops progress, XP, stats…). `afterCommit` queues work
 * (realtime pushes) to run once the transaction committed.
 */
export type SessionEndHook = (
  em: EntityManager,
  session: ClosedSession,
  afterCommit: (fn: () => Promise<void> | void) => void,
) => Promise<void>;

export type { RoundDecision, RoundRequest, RoundResult } from './round-batch.ts';

/** How instant rounds are grouped into transactions (see `GroupCommit`); `maxSize` 1 gives every round its own. */
export type RoundBatching = Omit<GroupCommitOptions, 'onCommitted'>;

/** The money of settled rounds: stakes, payouts and how many rounds had a stake (the n of an RTP band). */
export interface SettledMoney {
  /** the algorithm version; absent when the rounds do not record one (then the game's current one) */
  algorithm?: string;
  wagered: number;
  paid: number;
  staked: number;
}

/** Called once rounds committed: how many, and their money (Prometheus counters). */
export type OnSettled = (game: Game, rounds: number, money: SettledMoney) => void;

/**
 * Rounds and sessions. Instant rounds (slot spins, gacha pulls) are settled by group commit: the requests of
 * all rooms of the process are queued and settled many to a transaction (`settleRoundBatch`: nonces, bet,
 * round records, wins, session totals). A caller gets its result only after that transaction committed.
 */
export class GameService {
  private readonly hooks: SessionEndHook[] = [];
  private readonly orm: MikroORM;
  private readonly clock: Clock;
  /** this process's id: open sessions and rounds of dead processes are recovered on boot */
  readonly owner: string;
  private readonly batch: RoundBatchDeps;
  private readonly commits: GroupCommit<RoundRequest, RoundResult> | undefined;
  private readonly onSettled: OnSettled;
  private readonly onCommitted: (size: number) => void;

  constructor(d: {
    orm: MikroORM;
    wallet: WalletService;
    fairness: FairnessService;
    clock: Clock;
    owner: string;
    batching: RoundBatching;
    /** responsible-play limits, enforced in each round batch's transaction */
    limits?: Pick<LimitsService, 'batchRead' | 'forBatch'>;
    /** counts rounds once they committed (Prometheus) */
    onSettled?: OnSettled;
    /** observes how many round requests each commit carried (Prometheus) */
    onCommitted?: (size: number) => void;
  }) {
    this.orm = d.orm;
    this.clock = d.clock;
    this.owner = d.owner;
    this.batch = { orm: d.orm, wallet: d.wallet, fairness: d.fairness, clock: d.clock, owner: d.owner, limits: d.limits };
    this.onSettled = d.onSettled ?? (() => undefined);
    this.onCommitted = d.onCommitted ?? (() => undefined);
    this.commits =
      d.batching.maxSize > 1
        ? new GroupCommit(
            (reqs) => this.settleBatch(reqs),
            (req) => this.settleAlone(req),
            { ...d.batching, onCommitted: this.onCommitted },
          )
        : undefined;
  }

  /** Registers a hook run when a session closes (same transaction). */
  onSessionEnd(hook: SessionEndHook): void {
    this.hooks.push(hook);
  }

  async openSession(userId: string, game: Game, roomId: string): Promise<string> {
    const id = randomUUID();
    // the session and its outbox event in one statement: one round trip, atomic without a transaction around it
    await executeTogether(this.orm.em.fork() as EntityManager, [
      sessionInsertWrite({ id, userId, game, roomId, owner: this.owner, startedAt: this.clock.now() }),
      ...outboxWrites([{ type: 'session_start', userId, payload: { session_id: id, game, room_id: roomId } }]),
    ]);
    return id;
  }

  /** Plays an instant round; resolves once it committed (with other players' rounds, when batching). */
  async playRound(req: RoundRequest): Promise<RoundResult> {
    if (req.marks) req.marks.queued = performance.now();
    if (this.commits) return this.commits.submit(req);
    const result = await this.settleAlone(req);
    this.onCommitted(1);
    return result;
  }

  /** Settles what is queued and waits for every batch in flight (before the database pool closes). */
  async drain(): Promise<void> {
    await this.commits?.drain();
  }

  private async settleBatch(reqs: RoundRequest[]): Promise<Array<Outcome<RoundResult>>> {
    const marks = startBatch();
    for (const r of reqs) if (r.marks) r.marks.batch = marks;
    const outcomes = await settleRoundBatch(this.batch, reqs, marks);
    outcomes.forEach((o, i) => {
      if (!o.ok) return;
      const r = o.value;
      let paid = r.payout;
      for (const f of r.followUps) paid += f.payout;
      this.onSettled(reqs[i].game, 1 + r.followUps.length, { algorithm: r.algorithm, wagered: r.bet, paid, staked: r.bet > 0 ? 1 : 0 });
    });
    return outcomes;
  }

  /** One round in its own transaction (no batching, or the retry of a batch that failed). */
  private async settleAlone(req: RoundRequest): Promise<RoundResult> {
    const [outcome] = await this.settleBatch([req]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Adds a settled round's figures to its session's running totals (inside the caller's transaction). */
  async addToSession(
    em: EntityManager,
    sessionId: string,
    t: { rounds: number; wagered: number; won: number; multiplier: number; pulls?: number },
  ): Promise<void> {
    await addSessionTotals(em, sessionId, {
      rounds: t.rounds,
      wagered: t.wagered,
      won: t.won,
      wins: t.won > 0 ? 1 : 0,
      pulls: t.pulls ?? 0,
      biggestWin: t.won,
      biggestMultiplier: t.multiplier,
    });
  }

  /**
   * Closes a session and runs the session-end hooks in the same transaction. Closing twice (leave and
   * recovery racing, a retry) is a no-op the second time, so the hooks count a session once.
   */
  async closeSession(sessionId: string, status: 'closed' | 'recovered' = 'closed'): Promise<ClosedSession | null> {
    const after: Array<() => Promise<void> | void> = [];
    const closed = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const r = await closeOpenSession(em, sessionId, status, this.clock.now());
      if (!r) return null;
      const session: ClosedSession = {
        id: r.id,
        userId: r.userId,
        game: r.game,
        status,
        rounds: r.rounds,
        wagered: r.wagered,
        won: r.won,
        wins: r.wins,
        pulls: r.pulls,
        biggestWin: r.biggestWin,
        biggestMultiplier: r.biggestMultiplier,
        startedAt: r.startedAt,
        endedAt: r.endedAt!,
      };
      for (const hook of this.hooks) await hook(em, session, (fn) => after.push(fn));
      return session;
    });
    for (const fn of after) await Promise.resolve(fn()).catch(() => undefined);
    return closed;
  }
}
