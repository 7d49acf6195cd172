import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../domain/shared/clock.ts';
import type { AuditResult } from '../../db/entities/admin.entity.ts';
import { auditLog, type AuditAfter, type AuditFilter, type AuditRecord } from '../../db/repositories/audit.repository.ts';
import type { Logger } from '../../lib/logger.ts';
import { decodeCursor, pageOf, type Keyset, type Page } from './keyset.ts';

/** Who acted: an operator (or, for a denied attempt, whoever held the token). */
export interface Actor {
  id: string;
  username: string;
  role: string;
}

/** Where a request came from, as the audit log records it. */
export interface RequestInfo {
  requestId?: string;
  idempotencyKey?: string;
  jobId?: string;
  ip?: string;
  userAgent?: string;
}

/** One entry to record. */
export interface AuditEntry extends RequestInfo {
  actor: Actor | null;
  action: string;
  target?: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  result: AuditResult;
  error?: string;
}

export type { AuditAfter, AuditFilter, AuditRecord };

/** Writes and reads the admin audit log. */
export class AuditService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  /** Records an entry inside the caller's transaction (it commits or rolls back with the change it describes). */
  async record(em: EntityManager, e: AuditEntry): Promise<string> {
    return auditLog.insert(em, {
      at: this.clock.now(),
      actorId: e.actor?.id ?? null,
      actorName: e.actor?.username.slice(0, 20) ?? null,
      actorRole: e.actor?.role ?? null,
      action: e.action.slice(0, 80),
      targetType: e.target?.type ?? null,
      targetId: e.target?.id.slice(0, 80) ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      result: e.result,
      error: e.error ?? null,
      requestId: e.requestId?.slice(0, 128) ?? null,
      idempotencyKey: e.idempotencyKey?.slice(0, 128) ?? null,
      jobId: e.jobId ?? null,
      ip: e.ip?.slice(0, 64) ?? null,
      userAgent: e.userAgent?.slice(0, 255) ?? null,
    });
  }

  /** Records an entry on its own, outside any transaction; a failure is logged as a warning, never thrown. */
  async recordAlone(e: AuditEntry): Promise<void> {
    try {
      await this.record(this.orm.em.fork() as EntityManager, e);
    } catch (err) {
      this.logger?.warn({ err, action: e.action, requestId: e.requestId }, 'audit log entry could not be written');
    }
  }

  /** A page of the entries matching `filter`, newest first, from `cursor` (the previous page's `nextCursor`). */
  async page(filter: AuditFilter, cursor: string | undefined, limit: number): Promise<Page<AuditRecord>> {
    const after = decodeCursor(cursor, { value: 'timestamp', id: 'bigint' });
    return pageOf(await this.list(filter, after, limit + 1), limit, keyOf);
  }

  /** Entries matching `filter`, newest first, after `after`. */
  list(filter: AuditFilter, after: AuditAfter | undefined, limit: number): Promise<AuditRecord[]> {
    return auditLog.list(this.orm.em.fork() as EntityManager, filter, after, limit);
  }

  /** Every entry matching `filter`, newest first, read `pageSize` rows at a time (for the CSV export). */
  async *all(filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditRecord[]> {
    let after: AuditAfter | undefined;
    for (;;) {
      const rows = await this.list(filter, after, pageSize);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = keyOf(rows[rows.length - 1]);
    }
  }
}

function keyOf(r: AuditRecord): Keyset {
  return { value: r.at.toISOString(), id: r.seq };
}
