import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type Currency } from '../../../domain/economy/currency.ts';
import { payoutAt } from '../../../domain/games/crash/exposure.ts';
import type { Game } from '../../../domain/games/game.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import type { GameService } from './game.service.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { insertOpenRound, refundOpenRound, settleOpenRound } from '../../db/repositories/game-round.repository.ts';
import type { Balances, WalletService } from '../wallet/wallet.service.ts';

export interface OpenStake {
  /** the round's id, chosen by the caller so it can refund a stake whose commit was cut off (outcome unknown) */
  roundId?: string;
  userId: string;
  sessionId: string;
  game: Game;
  /** the shared round (crash round, RPS duel) the stake belongs to */
  groupId: string;
  amount: number;
  currency?: Currency;
  fairness: Record<string, unknown>;
  outcome?: Record<string, unknown>;
}

export interface Settlement {
  roundId: string;
  userId: string;
  /** null for a round without a session (then no session totals change) */
  sessionId: string | null;
  /** stake (minor units) */
  amount: number;
  /** hundredths of the stake paid back (0 = lost); the payout is floor(amount × multiplier / 100) unless `payout` is given */
  multiplier: number;
  payout?: number;
  outcome: Record<string, unknown>;
  /** merged into the round's fairness record (e.g. the RPS house pick's seed and nonce) */
  fairness?: Record<string, unknown>;
  seedId?: string;
  currency?: Currency;
}

export type SettleResult = { roundId: string; payout: number; balances: Balances } | null;

/**
 * Stakes of shared rounds (crash bets, RPS duels): debited and recorded `open` when placed, then settled or
 * refunded exactly once. Each step is one transaction; the status guard makes a second settlement a no-op.
 */
export class EscrowService {
  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly games: GameService,
    private readonly clock: Clock,
    /** counts rounds once they committed (Prometheus) */
    private readonly onSettled: (game: Game, rounds: number) => void = () => undefined,
  ) {}

  /** Debits the stake and records the open round; returns its id and the balances after. */
  async open(s: OpenStake): Promise<{ roundId: string; balances: Balances }> {
    const roundId = s.roundId ?? randomUUID();
    const currency = s.currency ?? 'GOLD';
    return this.tx(async (em) => {
      await this.wallet.applyInTransaction(
        em,
        [
          debit({
            userId: s.userId,
            currency,
            amount: s.amount,
            reason: 'bet',
            refType: 'round',
            refId: roundId,
            idempotencyKey: `round:${roundId}:bet`,
          }),
        ],
        { freshKeys: true },
      );
      await insertOpenRound(em, {
        id: roundId,
        game: s.game,
        userId: s.userId,
        sessionId: s.sessionId,
        groupId: s.groupId,
        currency,
        bet: s.amount,
        outcome: s.outcome ?? {},
        fairness: s.fairness,
        owner: this.games.owner,
        createdAt: this.clock.now(),
      });
      await this.games.addToSession(em, s.sessionId, { rounds: 1, wagered: s.amount, won: 0, multiplier: 0 });
      return { roundId, balances: await this.wallet.balances(em, s.userId) };
    });
  }

  /** Settles stakes in one transaction, in order; already-settled ones come back as null. */
  async settle(list: Settlement[], game?: Game): Promise<SettleResult[]> {
    if (list.length === 0) return [];
    const out = await this.tx(async (em) => {
      const results: SettleResult[] = [];
      for (const s of list) results.push(await this.settleIn(em, s));
      return results;
    });
    if (game) this.onSettled(game, out.filter((r) => r !== null).length);
    return out;
  }

  /** Returns an open stake (a round that never ran). Null when it was already settled. */
  async refund(r: {
    roundId: string;
    userId: string;
    sessionId: string | null;
    amount: number;
    currency?: Currency;
  }): Promise<Balances | null> {
    return this.tx(async (em) => {
      if (!(await refundOpenRound(em, r.roundId, this.clock.now()))) return null;
      await this.wallet.applyInTransaction(em, [
        credit({
          userId: r.userId,
          currency: r.currency ?? 'GOLD',
          amount: r.amount,
          reason: 'refund',
          refType: 'round',
          refId: r.roundId,
          idempotencyKey: `round:${r.roundId}:refund`,
        }),
      ]);
      if (r.sessionId) await this.games.addToSession(em, r.sessionId, { rounds: -1, wagered: -r.amount, won: 0, multiplier: 0 });
      return this.wallet.balances(em, r.userId);
    });
  }

  private async settleIn(em: EntityManager, s: Settlement): Promise<SettleResult> {
    const payout = s.payout ?? payoutAt(s.amount, s.multiplier);
    const claimed = await settleOpenRound(em, {
      id: s.roundId,
      payout,
      multiplier: s.multiplier,
      outcome: { ...s.outcome, payout },
      fairness: s.fairness ?? {},
      seedId: s.seedId ?? null,
      at: this.clock.now(),
    });
    if (!claimed) return null;
    await writeOutbox(em, {
      type: 'round_settled',
      userId: s.userId,
      payload: { round_id: s.roundId, bet: s.amount, payout, multiplier: s.multiplier },
    });
    if (payout > 0) {
      await this.wallet.applyInTransaction(em, [
        credit({
          userId: s.userId,
          currency: s.currency ?? 'GOLD',
          amount: payout,
          reason: 'win',
          refType: 'round',
          refId: s.roundId,
          idempotencyKey: `round:${s.roundId}:win`,
        }),
      ]);
      if (s.sessionId) await this.games.addToSession(em, s.sessionId, { rounds: 0, wagered: 0, won: payout, multiplier: s.multiplier });
    }
    return { roundId: s.roundId, payout, balances: await this.wallet.balances(em, s.userId) };
  }

  private tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional((em) => fn(em as EntityManager));
  }
}
