import { DomainError } from '../../../domain/shared/errors.ts';

/** Where a keyset page starts: the previous page's last sort value (as text) and id. */
export interface Keyset {
  value: string;
  id: string;
}

/** The opaque cursor of a page's last row: base64url of its sort value and id. */
export function encodeCursor(value: string, id: string | number): string {
  return Buffer.from(JSON.stringify([value, String(id)])).toString('base64url');
}

/** What a cursor's sort value and id must look like before they reach SQL (a cast that fails would be a 500). */
export type KeyKind = 'timestamp' | 'integer' | 'uuid';

const KEY_PATTERNS: Record<KeyKind, RegExp> = {
  timestamp: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  integer: /^-?\d{1,18}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** Reads a cursor made by `encodeCursor`; anything else is a 400 naming the `cursor` query field. */
export function decodeCursor(cursor: string | undefined, kinds: { value: KeyKind; id: KeyKind }): Keyset | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      KEY_PATTERNS[kinds.value].test(v[0]) &&
      KEY_PATTERNS[kinds.id].test(v[1])
    ) {
      return { value: v[0], id: v[1] };
    }
  } catch {
    // falls through to the 400
  }
  throw new DomainError('request/invalid', 'Invalid request query: query.cursor is not a cursor this list returned.', {
    issues: [{ path: 'query.cursor', message: 'not a cursor this list returned', code: 'custom' }],
  });
}

/** Splits `limit + 1` rows into the page and the cursor of the next page (null on the last page). */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || !last) return { items, nextCursor: null };
  const k = keyOf(last);
  return { items, nextCursor: encodeCursor(k.value, k.id) };
}
