import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type Currency, type Movement } from '../../domain/economy/currency.ts';
import type { FairInput } from '../../domain/rng/fair.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { Game } from '../../domain/games/game.ts';
import type { FairnessService, SeedDraw } from './fairness.service.ts';
import { writeOutbox } from './outbox.ts';
import type { Balances, WalletService } from './wallet.service.ts';

/** A closed session handed to the session-end hooks, inside the transaction that closed it. */
export interface ClosedSession {
  id: string;
  userId: string;
  game: Game;
  status: 'closed' | 'recovered';
  rounds: number;
  wagered: number;
  won: number;
  /** rounds that paid something */
  wins: number;
  /** gacha pulls */
  pulls: number;
  biggestWin: number;
  biggestMultiplier: number;
  startedAt: Date;
  endedAt: Date;
}

/**
 * Runs in the unit of work that closes a session (live-ops progress, XP, stats…). `afterCommit` queues work
 * (realtime pushes) to run once the transaction committed.
 */
export type SessionEndHook = (em: EntityManager, session: ClosedSession, afterCommit: (fn: () => Promise<void> | void) => void) => Promise<void>;

/** What a game's rules decided for one round. */
export interface RoundDecision {
  payout: number;
  /** hundredths (payout / bet), for the biggest-multiplier stat */
  multiplier: number;
  outcome: Record<string, unknown>;
  /** extra fairness data (algorithm version, floats used, …) */
  fairness?: Record<string, unknown>;
  /** gacha pulls this round made (for the `pulls` metric) */
  pulls?: number;
  /** other balance changes of the round (e.g. gacha duplicates converted to GOLD), ledgered in the same transaction */
  extraMovements?: Movement[];
  /** further rounds played in the same transaction (slot free spins): bet 0, their own nonce */
  followUps?: Array<{ payout: number; outcome: Record<string, unknown>; draw: SeedDraw; fairness?: Record<string, unknown> }>;
}

export interface RoundRequest {
  userId: string;
  sessionId: string;
  game: Game;
  currency?: Currency;
  bet: number;
  /** decides the outcome from the drawn seed, inside the transaction (may read/write rows, e.g. pity) */
  decide: (ctx: { em: EntityManager; roundId: string; draw: SeedDraw; nextDraw: () => Promise<SeedDraw> }) => Promise<RoundDecision> | RoundDecision;
}

export interface RoundResult {
  roundId: string;
  bet: number;
  payout: number;
  outcome: Record<string, unknown>;
  followUps: Array<{ roundId: string; payout: number; outcome: Record<string, unknown>; nonce: number }>;
  fairness: { server_seed_hash: string; client_seed: string; nonce: number };
  balances: Balances;
}

/**
 * Rounds and sessions. An instant round (slot spin, gacha pull) is one transaction: draw the nonce, decide,
 * debit the bet, record the round, credit the payout, update the session totals. The caller shows the result
 * only after this returns, i.e. after the commit.
 */
export class GameService {
  private readonly hooks: SessionEndHook[] = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly fairness: FairnessService,
    private readonly clock: Clock,
    /** this process's id: open sessions and rounds of dead processes are recovered on boot */
    readonly owner: string,
    /** counts rounds once they committed (Prometheus) */
    private readonly onSettled: (game: Game, rounds: number) => void = () => undefined,
  ) {}

  /** Registers a hook run when a session closes (same transaction). */
  onSessionEnd(hook: SessionEndHook): void {
    this.hooks.push(hook);
  }

  async openSession(userId: string, game: Game, roomId: string): Promise<string> {
    const id = randomUUID();
    await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      await em.execute(
        `insert into game_sessions (id, user_id, game, room_id, owner, status, started_at) values (?, ?, ?, ?, ?, 'open', ?)`,
        [id, userId, game, roomId, this.owner, this.clock.now()]);
      await writeOutbox(em, { type: 'session_start', userId, payload: { session_id: id, game, room_id: roomId } });
    });
    return id;
  }

  async playRound(req: RoundRequest): Promise<RoundResult> {
    const result = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const draw = await this.fairness.draw(em, req.userId);
      const roundId = randomUUID();
      const decision = await req.decide({ em, roundId, draw, nextDraw: () => this.fairness.draw(em, req.userId) });
      const currency = req.currency ?? 'GOLD';
      const movements: Movement[] = [];
      if (req.bet > 0) movements.push(debit({ userId: req.userId, currency, amount: req.bet, reason: 'bet', refType: 'round', refId: roundId, idempotencyKey: `round:${roundId}:bet` }));
      if (decision.payout > 0) movements.push(credit({ userId: req.userId, currency, amount: decision.payout, reason: 'win', refType: 'round', refId: roundId, idempotencyKey: `round:${roundId}:win` }));
      const followUps = (decision.followUps ?? []).map((f) => ({ ...f, roundId: randomUUID() }));
      for (const f of followUps) {
        if (f.payout > 0) movements.push(credit({ userId: req.userId, currency, amount: f.payout, reason: 'win', refType: 'round', refId: f.roundId, idempotencyKey: `round:${f.roundId}:win` }));
      }
      movements.push(...(decision.extraMovements ?? []));
      await this.wallet.applyInTransaction(em, movements, { freshKeys: true });
      await this.insertRound(em, { id: roundId, req, currency, bet: req.bet, payout: decision.payout, multiplier: decision.multiplier, outcome: decision.outcome, draw, fairness: decision.fairness });
      for (const f of followUps) {
        await this.insertRound(em, { id: f.roundId, req, currency, bet: 0, payout: f.payout, multiplier: 0, outcome: f.outcome, draw: f.draw, fairness: f.fairness });
      }
      const totalPayout = decision.payout + followUps.reduce((s, f) => s + f.payout, 0);
      await writeOutbox(em, { type: 'round_settled', userId: req.userId, payload: { round_id: roundId, game: req.game, bet: req.bet, payout: totalPayout, currency } });
      await this.addToSession(em, req.sessionId, { rounds: 1 + followUps.length, wagered: req.bet, won: totalPayout, multiplier: req.bet > 0 ? Math.floor((totalPayout * 100) / req.bet) : 0, pulls: decision.pulls });
      return {
        roundId, bet: req.bet, payout: decision.payout, outcome: decision.outcome,
        followUps: followUps.map((f) => ({ roundId: f.roundId, payout: f.payout, outcome: f.outcome, nonce: f.draw.nonce })),
        fairness: { server_seed_hash: draw.serverSeedHash, client_seed: draw.clientSeed, nonce: draw.nonce },
        balances: await this.wallet.balances(em, req.userId),
      };
    });
    this.onSettled(req.game, 1 + result.followUps.length);
    return result;
  }

  /** Adds a settled round's figures to its session's running totals (inside the caller's transaction). */
  async addToSession(em: EntityManager, sessionId: string, t: { rounds: number; wagered: number; won: number; multiplier: number; pulls?: number }): Promise<void> {
    await em.execute(
      `update game_sessions set rounds = rounds + ?, wagered = wagered + ?, won = won + ?, wins = wins + ?, pulls = pulls + ?,
         biggest_win = greatest(biggest_win, ?), biggest_multiplier = greatest(biggest_multiplier, ?) where id = ?`,
      [t.rounds, t.wagered, t.won, t.won > 0 ? 1 : 0, t.pulls ?? 0, t.won, t.multiplier, sessionId]);
  }

  /**
   * Closes a session and runs the session-end hooks in the same transaction. Closing twice (leave and
   * recovery racing, a retry) is a no-op the second time, so the hooks count a session once.
   */
  async closeSession(sessionId: string, status: 'closed' | 'recovered' = 'closed'): Promise<ClosedSession | null> {
    const after: Array<() => Promise<void> | void> = [];
    const closed = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const rows = await em.execute<Array<Record<string, unknown>>>(
        `update game_sessions set status = ?, ended_at = ? where id = ? and status = 'open'
         returning id, user_id, game, rounds, wagered, won, wins, pulls, biggest_win, biggest_multiplier, started_at, ended_at`,
        [status, this.clock.now(), sessionId]);
      if (rows.length === 0) return null;
      const r = rows[0];
      const session: ClosedSession = {
        id: String(r.id), userId: String(r.user_id), game: r.game as Game, status,
        rounds: Number(r.rounds), wagered: Number(r.wagered), won: Number(r.won), wins: Number(r.wins), pulls: Number(r.pulls),
        biggestWin: Number(r.biggest_win), biggestMultiplier: Number(r.biggest_multiplier),
        startedAt: new Date(String(r.started_at)), endedAt: new Date(String(r.ended_at)),
      };
      for (const hook of this.hooks) await hook(em, session, (fn) => after.push(fn));
      return session;
    });
    for (const fn of after) await Promise.resolve(fn()).catch(() => undefined);
    return closed;
  }

  private async insertRound(em: EntityManager, r: {
    id: string; req: RoundRequest; currency: Currency; bet: number; payout: number; multiplier: number;
    outcome: Record<string, unknown>; draw: FairInput & { seedId: string; serverSeedHash: string }; fairness?: Record<string, unknown>;
  }): Promise<void> {
    const fairness = { server_seed_hash: r.draw.serverSeedHash, client_seed: r.draw.clientSeed, nonce: r.draw.nonce, ...r.fairness };
    await em.execute(
      `insert into game_rounds (id, game, user_id, session_id, currency, bet, payout, multiplier, outcome, fairness, seed_id, status, owner, created_at, settled_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'settled', ?, ?, ?)`,
      [r.id, r.req.game, r.req.userId, r.req.sessionId, r.currency, r.bet, r.payout, r.multiplier, JSON.stringify(r.outcome), JSON.stringify(fairness),
        r.draw.seedId, this.owner, this.clock.now(), this.clock.now()]);
  }
}
