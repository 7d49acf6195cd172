import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { GameService } from './game.service.ts';
import type { ProcessRegistry } from '../../infra/process-registry.ts';
import { fromJson } from '../../db/sql.ts';
import type { EscrowService } from './escrow.service.ts';

export interface RecoveryReport {
  refunded: number;
  settled: number;
  sessions: number;
  crashRoundsVoided: number;
}

/**
 * Restart recovery: open rounds left by this instance's previous life (or by instances whose heartbeat
 * stopped) are settled when their outcome was committed, refunded otherwise; their open sessions are closed
 * as `recovered` so the session-end hooks still run. Each step is idempotent (ledger keys, status guards).
 */
export class RecoveryService {
  constructor(
    private readonly orm: MikroORM,
    private readonly escrow: EscrowService,
    private readonly games: GameService,
    private readonly registry: ProcessRegistry,
    private readonly logger: Logger,
  ) {}

  async recover(): Promise<RecoveryReport> {
    const em = this.orm.em.fork() as EntityManager;
    const owners = (
      await em.execute<{ owner: string }[]>(
        `select owner from game_rounds where status = 'open' union select owner from game_sessions where status = 'open'
       union select owner from crash_rounds where status in ('betting', 'running')`,
      )
    ).map((r) => r.owner);
    const stale = [...owners.filter((o) => o === this.registry.id), ...(await this.registry.deadAmong(owners))];
    const report: RecoveryReport = { refunded: 0, settled: 0, sessions: 0, crashRoundsVoided: 0 };
    if (stale.length === 0) return report;

    const rounds = await em.execute<
      { id: string; user_id: string; currency: 'GOLD' | 'GEM'; bet: string; session_id: string | null; outcome: unknown }[]
    >(`select id, user_id, currency, bet, session_id, outcome from game_rounds where status = 'open' and owner in (?)`, [stale]);
    for (const r of rounds) {
      const base = { roundId: r.id, userId: r.user_id, sessionId: r.session_id, amount: Number(r.bet), currency: r.currency };
      const outcome = fromJson<Record<string, unknown>>(r.outcome) ?? {};
      if (typeof outcome.payout === 'number') {
        const payout = outcome.payout;
        const [done] = await this.escrow.settle([
          {
            ...base,
            payout,
            multiplier: Number(r.bet) > 0 ? Math.floor((payout * 100) / Number(r.bet)) : 0,
            outcome: { ...outcome, recovered: true },
          },
        ]);
        if (done) report.settled++;
      } else if (await this.escrow.refund(base)) {
        report.refunded++;
      }
    }
    report.crashRoundsVoided = (
      await em.execute<unknown[]>(
        `update crash_rounds set status = 'voided', crashed_at = now() where status in ('betting', 'running') and owner in (?) returning id`,
        [stale],
      )
    ).length;
    const sessions = await em.execute<{ id: string }[]>(`select id from game_sessions where status = 'open' and owner in (?)`, [stale]);
    for (const s of sessions) if (await this.games.closeSession(s.id, 'recovered')) report.sessions++;
    if (report.refunded + report.settled + report.sessions + report.crashRoundsVoided > 0)
      this.logger.warn({ report, owners: stale }, 'recovered unfinished rounds and sessions');
    return report;
  }
}
