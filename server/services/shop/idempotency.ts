import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../../domain/shared/errors.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
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
 * Runs `run` at most once per (user, scope, key) inside the caller's transaction. The key row is inserted in the
 * same transaction, so a concurrent request with the same key waits on it and then replays the stored response;
 * a failed attempt rolls the key back with everything else and may be retried. Same key, other content → 409.
 */
export async function once(
  em: EntityManager,
  k: { userId: string; scope: string; key: string; hash: string },
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const key = `${k.scope}:${k.key}`;
  const inserted = await em.execute<unknown[]>(
    `insert into idempotency_keys (user_id, key, request_hash, created_at) values (?, ?, ?, now()) on conflict do nothing returning key`,
    [k.userId, key, k.hash],
  );
  if (inserted.length === 0) {
    const [row] = await em.execute<{ request_hash: string; status_code: number | null; response: unknown }[]>(
      'select request_hash, status_code, response from idempotency_keys where user_id = ? and key = ?',
      [k.userId, key],
    );
    if (row.request_hash !== k.hash)
      throw new DomainError('idempotency/key_reuse', 'This Idempotency-Key was already used with a different request.');
    if (row.status_code === null)
      throw new DomainError('idempotency/in_progress', 'A request with this Idempotency-Key is still being processed.');
    return { status: row.status_code, body: JSON.parse(String(row.response)), replayed: true };
  }
  const result = await run();
  const text = JSON.stringify(result.body);
  await em.execute('update idempotency_keys set status_code = ?, response = ? where user_id = ? and key = ?', [
    result.status,
    text,
    k.userId,
    key,
  ]);
  return { status: result.status, body: JSON.parse(text), replayed: false };
}
