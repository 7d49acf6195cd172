import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../../domain/shared/errors.ts';
import { idempotencyKeys } from '../../db/repositories/idempotency.repository.ts';

/** The result of an idempotent operation, and whether it is the stored result of an earlier request with the same key. */
export interface Idempotent<T> {
  result: T;
  replayed: boolean;
}

/** A stable hash of a request's content (keys sorted), to tell a retry from a reused key. */
export function requestHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/**
 * Runs `run` at most once per (user, scope, key) inside the caller's transaction and stores its result. The key row
 * is inserted in the same transaction, so a concurrent request with the same key waits on it and then gets the stored
 * result (`replayed: true`); a failed attempt rolls the key back with everything else and may be retried.
 * Same key, other content → `idempotency/key_reuse`.
 */
export async function once<T>(
  em: EntityManager,
  k: { userId: string; scope: string; key: string; hash: string },
  run: () => Promise<T>,
): Promise<Idempotent<T>> {
  const key = `${k.scope}:${k.key}`;
  if (!(await idempotencyKeys.take(em, k.userId, key, k.hash))) {
    const stored = await idempotencyKeys.find(em, k.userId, key);
    if (stored.requestHash !== k.hash)
      throw new DomainError('idempotency/key_reuse', 'This Idempotency-Key was already used with a different request.');
    if (stored.result === null)
      throw new DomainError('idempotency/in_progress', 'A request with this Idempotency-Key is still being processed.');
    return { result: JSON.parse(stored.result) as T, replayed: true };
  }
  const text = JSON.stringify(await run());
  await idempotencyKeys.complete(em, k.userId, key, text);
  return { result: JSON.parse(text) as T, replayed: false };
}
