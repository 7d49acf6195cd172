import type { Request } from 'express';
import { z } from 'zod';
import { DomainError } from '../../../domain/shared/errors.ts';

/**
 * Longest Idempotency-Key. Keys are stored as `<scope>:<key>` in `idempotency_keys.key` (varchar 200); the longest
 * scope, `claim:mission:<uuid>`, takes 51 characters, so 128 leaves room for any scope added later.
 */
export const IDEMPOTENCY_KEY_MAX = 128;

const MESSAGE = `The Idempotency-Key header must be 1-${IDEMPOTENCY_KEY_MAX} visible ASCII characters (no spaces), e.g. a UUID.`;

/** An Idempotency-Key: 1-128 visible ASCII characters (0x21-0x7E), the same rule on every route that reads one. */
export const IdempotencyKey = z.string().regex(new RegExp(`^[\\x21-\\x7E]{1,${IDEMPOTENCY_KEY_MAX}}$`), MESSAGE);

/** The header as documented in OpenAPI (required on purchases, optional on claims). */
export const IdempotencyHeader = z.object({
  'idempotency-key': IdempotencyKey.describe('required: a retry with the same key and body returns the same response'),
});
export const OptionalIdempotencyHeader = z.object({
  'idempotency-key': IdempotencyKey.optional().describe('optional: a retry with the same key returns the same result'),
});

/**
 * The request's Idempotency-Key, validated (400 `request/invalid` otherwise). An absent or empty header is
 * `undefined`, or 400 `idempotency/key_missing` when the route requires one.
 */
export function parseIdempotencyKey(req: Request, opts: { required: true }): string;
export function parseIdempotencyKey(req: Request, opts?: { required?: boolean }): string | undefined;
export function parseIdempotencyKey(req: Request, opts: { required?: boolean } = {}): string | undefined {
  const key = req.get('idempotency-key');
  if (!key) {
    if (opts.required) throw new DomainError('idempotency/key_missing', 'The Idempotency-Key header is required.');
    return undefined;
  }
  if (!IdempotencyKey.safeParse(key).success) {
    throw new DomainError('request/invalid', MESSAGE, {
      issues: [{ path: 'headers.idempotency-key', message: MESSAGE, code: 'invalid_format' }],
    });
  }
  return key;
}
