import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import type { Logger } from '../lib/logger.ts';
import type { GameService } from './game.service.ts';
import type { ProcessRegistry } from './process-registry.ts';
import type { WalletService } from './wallet.service.ts';

export interface RecoveryReport { refunded: number; settled: number; sessions: number; crashRoundsVoided: number }

/**
 * Restart recovery: open rounds left by this instance's previous life (or by instances whose heartbeat
 * stopped) are settled when their outcome was committed, refunded otherwise; their open sessions are closed
 * as `recovered` so the session-end hooks still run. Each step is idempotent (ledger keys, status guards).
 */
export class RecoveryService {
  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly games: GameService,
    private readonly registry: ProcessRegistry,
    private readonly logger: Logger,
  ) {}

  async recover(): Promise<RecoveryReport> {
    const em = this.orm.em.fork() as EntityManager;
    const owners = (await em.execute<{ owner: string }[]>(
      `select owner from game_rounds where status = 'open' union select owner from game_sessions where status = 'open'
       union select owner from crash_rounds where status in ('betting', 'running')`)).map((r) => r.owner);
    const stale = [...owners.filter((o) => o === this.registry.id), ...(await this.registry.deadAmong(owners))];
    const report: RecoveryReport = { refunded: 0, settled: 0, sessions: 0, crashRoundsVoided: 0 };
    if (stale.length === 0) return report;

    const rounds = await em.execute<{ id: string; user_id: string; currency: 'GOLD' | 'GEM'; bet: string; session_id: string | null; outcome: Record<string, unknown> }[]>(
      `select id, user_id, currency, bet, session_id, outcome from game_rounds where status = 'open' and owner in (?)`, [stale]);
    for (const r of rounds) {
      const decided = typeof r.outcome?.payout === 'number';
      if (decided) report.settled += await this.settle(r, Number(r.outcome.payout));
      else report.refunded += await this.refund(r);
    }
    report.crashRoundsVoided = (await em.execute<unknown[]>(
      `update crash_rounds set status = 'voided', crashed_at = now() where status in ('betting', 'running') and owner in (?) returning id`, [stale])).length;
    const sessions = await em.execute<{ id: string }[]>(`select id from game_sessions where status = 'open' and owner in (?)`, [stale]);
    for (const s of sessions) if (await this.games.closeSession(s.id, 'recovered')) report.sessions++;
    if (report.refunded + report.settled + report.sessions + report.crashRoundsVoided > 0) this.logger.warn({ report, owners: stale }, 'recovered unfinished rounds and sessions');
    return report;
  }

  /** Refunds an open round's bet once (status guard + ledger idempotency key). */
  private async refund(r: { id: string; user_id: string; currency: 'GOLD' | 'GEM'; bet: string; session_id: string | null }): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const claimed = await em.execute<unknown[]>(`update game_rounds set status = 'refunded', settled_at = now() where id = ? and status = 'open' returning id`, [r.id]);
      if (claimed.length === 0) return 0;
      if (Number(r.bet) > 0) {
        await this.wallet.applyInTransaction(em, [credit({ userId: r.user_id, currency: r.currency, amount: Number(r.bet), reason: 'refund', refType: 'round', refId: r.id, idempotencyKey: `round:${r.id}:refund` })]);
      }
      if (r.session_id) await this.games.addToSession(em, r.session_id, { rounds: -1, wagered: -Number(r.bet), won: 0, multiplier: 0 });
      return 1;
    });
  }

  /** Settles an open round whose outcome (payout) was committed before the crash. */
  private async settle(r: { id: string; user_id: string; currency: 'GOLD' | 'GEM'; session_id: string | null }, payout: number): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const claimed = await em.execute<unknown[]>(`update game_rounds set status = 'settled', payout = ?, settled_at = now() where id = ? and status = 'open' returning id`, [payout, r.id]);
      if (claimed.length === 0) return 0;
      if (payout > 0) {
        await this.wallet.applyInTransaction(em, [credit({ userId: r.user_id, currency: r.currency, amount: payout, reason: 'win', refType: 'round', refId: r.id, idempotencyKey: `round:${r.id}:win` })]);
      }
      if (r.session_id) await this.games.addToSession(em, r.session_id, { rounds: 0, wagered: 0, won: payout, multiplier: 0 });
      return 1;
    });
  }
}
