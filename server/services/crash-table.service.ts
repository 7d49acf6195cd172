import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit } from '../../domain/economy/currency.ts';
import { payoutAt } from '../../domain/games/crash/exposure.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { CrashRoundDraw } from './crash-chain.service.ts';
import type { GameService } from './game.service.ts';
import type { Balances, WalletService } from './wallet.service.ts';

/** Money for crash bets: a bet is debited and recorded `open` when placed, and settled once (cash-out, crash or refund). */
export class CrashTableService {
  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly games: GameService,
    private readonly clock: Clock,
  ) {}

  /** Debits the bet and records it as an open round of the crash round; returns the round id and balances. */
  async placeBet(b: { userId: string; sessionId: string; round: CrashRoundDraw; amount: number; autoCashout: number | null }): Promise<{ roundId: string; balances: Balances }> {
    const roundId = randomUUID();
    return this.tx(async (em) => {
      await this.wallet.applyInTransaction(em, [debit({ userId: b.userId, currency: 'GOLD', amount: b.amount, reason: 'bet', refType: 'round', refId: roundId, idempotencyKey: `round:${roundId}:bet` })]);
      const fairness = { version: 'crash-v1', chain_id: b.round.chainId, position: b.round.position, salt: b.round.salt, round_hash: b.round.roundHash };
      await em.execute(
        `insert into game_rounds (id, game, user_id, session_id, group_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
         values (?, 'crash', ?, ?, ?, 'GOLD', ?, 0, 0, ?, ?, 'open', ?, ?)`,
        [roundId, b.userId, b.sessionId, b.round.crashRoundId, b.amount, JSON.stringify({ auto_cashout: b.autoCashout }), JSON.stringify(fairness), this.games.owner, this.clock.now()]);
      await this.games.addToSession(em, b.sessionId, { rounds: 1, wagered: b.amount, won: 0, multiplier: 0 });
      return { roundId, balances: await this.wallet.balances(em, b.userId) };
    });
  }

  /**
   * Settles one bet at a multiplier (hundredths; 0 = lost). Returns null when it was already settled, so a
   * cash-out racing the crash (or a retry) pays at most once.
   */
  async settle(s: { roundId: string; userId: string; sessionId: string; amount: number; multiplier: number; crashPoint: number; reason: 'cashout' | 'auto_cashout' | 'cap' | 'crashed' }): Promise<{ payout: number; balances: Balances } | null> {
    return this.tx((em) => this.settleIn(em, s));
  }

  private async settleIn(em: EntityManager, s: Parameters<CrashTableService['settle']>[0]): Promise<{ payout: number; balances: Balances } | null> {
    const payout = payoutAt(s.amount, s.multiplier);
    const claimed = await em.execute<unknown[]>(
      `update game_rounds set status = 'settled', payout = ?, multiplier = ?, outcome = ?, settled_at = ? where id = ? and status = 'open' returning id`,
      [payout, s.multiplier, JSON.stringify({ cashed_out_at: s.multiplier || null, crash_point: s.crashPoint, reason: s.reason, payout }), this.clock.now(), s.roundId]);
    if (claimed.length === 0) return null;
    if (payout > 0) {
      await this.wallet.applyInTransaction(em, [credit({ userId: s.userId, currency: 'GOLD', amount: payout, reason: 'win', refType: 'round', refId: s.roundId, idempotencyKey: `round:${s.roundId}:win` })]);
      await this.games.addToSession(em, s.sessionId, { rounds: 0, wagered: 0, won: payout, multiplier: s.multiplier });
    }
    return { payout, balances: await this.wallet.balances(em, s.userId) };
  }

  /** Settles several bets in one transaction (the crash settles every loser at once); skips already-settled ones. */
  async settleMany(list: Array<Parameters<CrashTableService['settle']>[0]>): Promise<Array<{ roundId: string; payout: number; balances: Balances } | null>> {
    if (list.length === 0) return [];
    return this.tx(async (em) => {
      const out: Array<{ roundId: string; payout: number; balances: Balances } | null> = [];
      for (const s of list) {
        const r = await this.settleIn(em, s);
        out.push(r && { roundId: s.roundId, ...r });
      }
      return out;
    });
  }

  /** Refunds an open bet (a round that never ran). Null when it was already settled. */
  async refund(r: { roundId: string; userId: string; sessionId: string; amount: number }): Promise<Balances | null> {
    return this.tx(async (em) => {
      const claimed = await em.execute<unknown[]>(`update game_rounds set status = 'refunded', settled_at = ? where id = ? and status = 'open' returning id`, [this.clock.now(), r.roundId]);
      if (claimed.length === 0) return null;
      await this.wallet.applyInTransaction(em, [credit({ userId: r.userId, currency: 'GOLD', amount: r.amount, reason: 'refund', refType: 'round', refId: r.roundId, idempotencyKey: `round:${r.roundId}:refund` })]);
      await this.games.addToSession(em, r.sessionId, { rounds: -1, wagered: -r.amount, won: 0, multiplier: 0 });
      return this.wallet.balances(em, r.userId);
    });
  }

  /** Moves the shared round to a new status (running, crashed, voided). */
  async markRound(crashRoundId: string, status: 'running' | 'crashed' | 'voided'): Promise<void> {
    await (this.orm.em.fork() as EntityManager).execute(
      `update crash_rounds set status = ?, crashed_at = case when ? in ('crashed', 'voided') then now() else crashed_at end where id = ?`,
      [status, status, crashRoundId]);
  }

  private tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional((em) => fn(em as EntityManager));
  }
}
