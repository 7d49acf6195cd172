import { DomainError } from '../../../domain/shared/errors.ts';

/** An opaque keyset cursor: base64url of the last row's sort key and id (a JSON array). */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key and id a cursor holds; 400 `request/invalid` naming `query.cursor` when it is not one of ours. */
export function decodeCursor(cursor: string | undefined, length: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === length) return key;
  } catch {
    // falls through to the refusal below
  }
  throw new DomainError('request/invalid', 'Invalid request query: query.cursor is not a cursor this list returned.', {
    issues: [{ path: 'query.cursor', message: 'not a cursor this list returned', code: 'custom' }],
  });
}

/** One page of `limit` out of `rows` (fetched with one extra row), with the cursor of its last row when more follow. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
