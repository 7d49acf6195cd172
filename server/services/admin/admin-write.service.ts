import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../domain/shared/clock.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { adminIdempotencyKeys } from '../../db/repositories/admin-idempotency.repository.ts';
import type { Actor, AuditService, RequestInfo } from './audit.service.ts';
import type { AdminSettingsService } from './settings.service.ts';

/** What a write did: the answer (status 200 unless given) and the state before and after, for the audit log. */
export interface WriteEffect {
  status?: number;
  body: unknown;
  before?: unknown;
  after?: unknown;
  /** the target, when only the write knows it (e.g. a created resource) */
  target?: { type: string; id: string };
}

/** One admin write request. */
export interface WriteRequest extends RequestInfo {
  actor: Actor;
  idempotencyKey: string;
  /** hash of method + path + canonical body: the same key with another fingerprint is a reused key */
  fingerprint: string;
  /** what the audit log calls it, `area.verb` */
  action: string;
  target?: { type: string; id: string };
  /** the status a rule violation answers, or undefined when it must not be stored (a 5xx: the retry may succeed) */
  failureStatus: (err: DomainError) => number | undefined;
}

/** The answer to give: the write's own, or the stored one of an earlier request with the same key (`replayed`). */
export interface WriteOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** A `running` key older than this belongs to a request whose process died: a retry may take it over. */
const STALE_MS = 5 * 60_000;

/**
 * Runs admin writes at most once per (operator, Idempotency-Key): the effect, its audit row and the stored response
 * commit in one transaction; a repeat gets the stored response, a concurrent repeat 409 `idempotency/in_progress`.
 */
export class AdminWriteService {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly settings: AdminSettingsService,
    private readonly clock: Clock,
  ) {}

  async execute(w: WriteRequest, run: (em: EntityManager) => Promise<WriteEffect>): Promise<WriteOutcome> {
    if (!(await this.settings.writesEnabled())) {
      throw new DomainError('admin/writes_disabled', 'Admin writes are switched off; reads keep working.');
    }
    const em = this.orm.em.fork() as EntityManager;
    const now = this.clock.now();
    const claimed = await adminIdempotencyKeys.claim(
      em,
      w.actor.id,
      w.idempotencyKey,
      w.fingerprint,
      now,
      new Date(now.getTime() - STALE_MS),
    );
    if (!claimed) return this.replay(em, w);
    try {
      return await em.transactional(async (tx) => {
        const effect = await run(tx as EntityManager);
        const status = effect.status ?? 200;
        await this.audit.record(tx as EntityManager, {
          ...w,
          target: effect.target ?? w.target,
          before: effect.before,
          after: effect.after,
          result: 'ok',
        });
        await this.store(tx as EntityManager, w, status, effect.body);
        return { status, body: effect.body, replayed: false };
      });
    } catch (err) {
      const status = err instanceof DomainError ? w.failureStatus(err) : undefined;
      if (status === undefined) {
        await adminIdempotencyKeys.release(this.orm.em.fork() as EntityManager, w.actor.id, w.idempotencyKey);
        throw err;
      }
      const failure = err as DomainError;
      await this.orm.em.fork().transactional(async (tx) => {
        await this.audit.record(tx as EntityManager, { ...w, result: 'failed', error: failure.code });
        await this.store(tx as EntityManager, w, status, { error: failure.code, message: failure.message, ...failure.details });
      });
      throw failure;
    }
  }

  private async replay(em: EntityManager, w: WriteRequest): Promise<WriteOutcome> {
    const stored = await adminIdempotencyKeys.find(em, w.actor.id, w.idempotencyKey);
    if (stored && stored.fingerprint !== w.fingerprint) {
      throw new DomainError('idempotency/key_reuse', 'This Idempotency-Key was already used with a different request.');
    }
    if (!stored || stored.status === 'running' || stored.responseStatus === null || stored.responseBody === null) {
      throw new DomainError('idempotency/in_progress', 'A request with this Idempotency-Key is still being processed.', {
        retry_after: 1,
      });
    }
    return { status: stored.responseStatus, body: JSON.parse(stored.responseBody), replayed: true };
  }

  private store(em: EntityManager, w: WriteRequest, status: number, body: unknown) {
    return adminIdempotencyKeys.complete(em, w.actor.id, w.idempotencyKey, status, JSON.stringify(body ?? null), this.clock.now());
  }
}
