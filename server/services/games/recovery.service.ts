import { toMultiplierHundredths } from '../../../domain/games/payout.ts';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { GameService } from './game.service.ts';
import type { ProcessRegistry } from '../../infra/process-registry.ts';
import { openRoundsOf, ownersOfUnfinishedWork } from '../../db/repositories/game-round.repository.ts';
import { openSessionIdsOf } from '../../db/repositories/game-session.repository.ts';
import { voidCrashRoundsOf } from '../../db/repositories/crash-chain.repository.ts';
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
    const owners = await ownersOfUnfinishedWork(em);
    const stale = [...owners.filter((o) => o === this.registry.id), ...(await this.registry.deadAmong(owners))];
    const report: RecoveryReport = { refunded: 0, settled: 0, sessions: 0, crashRoundsVoided: 0 };
    if (stale.length === 0) return report;

    for (const r of await openRoundsOf(em, stale)) {
      const base = { roundId: r.id, userId: r.userId, sessionId: r.sessionId, amount: r.bet, currency: r.currency };
      const outcome = r.outcome;
      if (typeof outcome.payout === 'number') {
        const payout = outcome.payout;
        const [done] = await this.escrow.settle([
          {
            ...base,
            payout,
            multiplier: toMultiplierHundredths(payout, Number(r.bet)),
            outcome: { ...outcome, recovered: true },
          },
        ]);
        if (done) report.settled++;
      } else if (await this.escrow.refund(base)) {
        report.refunded++;
      }
    }
    report.crashRoundsVoided = await voidCrashRoundsOf(em, stale);
    for (const id of await openSessionIdsOf(em, stale)) if (await this.games.closeSession(id, 'recovered')) report.sessions++;
    if (report.refunded + report.settled + report.sessions + report.crashRoundsVoided > 0)
      this.logger.warn({ report, owners: stale }, 'recovered unfinished rounds and sessions');
    return report;
  }
}
