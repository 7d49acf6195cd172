import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/shared/errors.ts';
import type { AdminWriteService, WriteEffect } from '../services/admin/admin-write.service.ts';
import { requestHash } from '../services/shop/idempotency.ts';
import type { HandlerResult, RouteContext } from './api.ts';
import { requestInfo } from './admin-audit.ts';
import { parseIdempotencyKey } from './dto/idempotency.dto.ts';
import { ERROR_STATUS } from './error-status.ts';

/** How the audit log names a write and what it acts on. */
export interface WriteSpec {
  /** `area.verb`, e.g. `player.note.add` */
  action: string;
  target?: { type: string; id: string };
}

/** The signature of `adminWrite`: the route's context, what the write is, and the write itself (given the transaction). */
export type AdminWrite = (
  ctx: RouteContext<unknown, unknown, unknown>,
  spec: WriteSpec,
  run: (em: EntityManager) => Promise<WriteEffect>,
) => Promise<HandlerResult>;

/**
 * Builds `adminWrite(ctx, {action, target}, run)`, through which every admin POST/PATCH/DELETE goes: it requires an
 * Idempotency-Key (400 `request/invalid` naming the header), refuses while admin writes are switched off (503
 * `admin/writes_disabled`), runs `run(em)` in one transaction with the audit row and the stored response, and answers
 * a repeat with the stored response and `Idempotency-Status: replayed` (a different body: 409 `idempotency/key_reuse`;
 * the first still running: 409 `idempotency/in_progress`, `Retry-After: 1`).
 */
export function adminWriter(writes: AdminWriteService): AdminWrite {
  return async (ctx, spec, run) => {
    const { req, res, principal } = ctx;
    const key = requiredKey(req);
    const outcome = await writes.execute(
      {
        ...requestInfo(req),
        actor: { id: principal.userId, username: principal.username, role: principal.role },
        idempotencyKey: key,
        fingerprint: writeFingerprint({ method: req.method, path: req.baseUrl + req.path, ifMatch: req.get('if-match'), body: req.body }),
        action: spec.action,
        target: spec.target,
        failureStatus: (err) => {
          const status = ERROR_STATUS[err.code];
          return status >= 400 && status < 500 && status !== 429 ? status : undefined;
        },
      },
      run,
    );
    if (!outcome.replayed) return { status: outcome.status, body: outcome.body };
    res.set('Idempotency-Status', 'replayed');
    if (outcome.status >= 400) {
      const { error, message, ...details } = outcome.body as { error: DomainError['code']; message: string };
      throw new DomainError(error, message, details);
    }
    return { status: outcome.status, body: outcome.body };
  };
}

/**
 * What makes two admin writes the same request: method, path, If-Match (a retry against another version is another
 * request, not a replay) and the canonical body.
 */
export function writeFingerprint(w: { method: string; path: string; ifMatch?: string; body?: unknown }): string {
  return requestHash({ method: w.method, path: w.path, ifMatch: w.ifMatch ?? null, body: w.body ?? null });
}

function requiredKey(req: RouteContext<unknown, unknown, unknown>['req']): string {
  if (!req.get('idempotency-key')) {
    const message = 'is required on every admin write (a UUID per user action)';
    throw new DomainError('request/invalid', `The Idempotency-Key header ${message}.`, {
      issues: [{ path: 'headers.idempotency-key', message, code: 'invalid_type' }],
    });
  }
  return parseIdempotencyKey(req, { required: true });
}
