import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../domain/shared/clock.ts';
import { adminSettings } from '../../db/repositories/admin-settings.repository.ts';
import type { Actor, AuditService, RequestInfo } from './audit.service.ts';

const WRITES_ENABLED = 'writes_enabled';

/** Console-wide switches kept in PostgreSQL and read at each request, so flipping one needs no restart. */
export class AdminSettingsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Whether admin writes are allowed (on unless switched off). */
  async writesEnabled(em: EntityManager = this.orm.em.fork() as EntityManager): Promise<boolean> {
    return (await adminSettings.get<boolean>(em, WRITES_ENABLED)) ?? true;
  }

  /**
   * Turns admin writes on or off, with an audit row in the same transaction (`actor` null: the command line, which
   * leaves no audit row because it has no operator).
   */
  async setWritesEnabled(enabled: boolean, actor: Actor | null, info: RequestInfo = {}): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const before = await this.writesEnabled(em);
      await adminSettings.set(em, WRITES_ENABLED, enabled, actor?.id ?? null, this.clock.now());
      if (!actor) return;
      await this.audit.record(em, {
        ...info,
        actor,
        action: 'settings.writes.set',
        target: { type: 'setting', id: WRITES_ENABLED },
        before: { enabled: before },
        after: { enabled },
        result: 'ok',
      });
    });
  }
}
