import { z } from 'zod';
import { DomainError } from '../../../../domain/shared/errors.ts';

/** `?cursor=&limit=` of every admin list (keyset paging). */
export const PageQuery = z.object({
  cursor: z.string().max(400).optional().describe('opaque: the `next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An opaque cursor: base64url of the last row's sort key and id. */
export function encodeCursor(key: string | number, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/** The sort key and id inside a cursor; 400 `request/invalid` naming `query.cursor` when it is not one of ours. */
export function decodeCursor(cursor: string): { key: string | number; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && typeof v[1] === 'string') {
      return { key: v[0], id: v[1] };
    }
  } catch {
    // not JSON: answered below
  }
  const message = 'is not a cursor this list returned';
  throw new DomainError('request/invalid', `Invalid request query: query.cursor ${message}.`, {
    issues: [{ path: 'query.cursor', message, code: 'invalid_format' }],
  });
}

/** A page on the wire: `{items, next_cursor}` (null on the last page). */
export function pageBody<T, R>(rows: T[], limit: number, item: (row: T) => R, cursorOf: (row: T) => string) {
  return { items: rows.map(item), next_cursor: rows.length === limit ? cursorOf(rows[rows.length - 1]) : null };
}
