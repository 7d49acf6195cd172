import { DomainError } from '../../../domain/shared/errors.ts';

/**
 * Keyset paging of the admin lists, in one place. A cursor is opaque on the wire: base64url of the JSON array
 * `[sort value, id]` of a page's last row, both as text. Decoding checks each against the kind of its column before
 * it reaches a SQL cast (a forged cursor is a 400 naming `query.cursor`, never a 500), and a page is read with
 * `limit + 1` rows so the last page's `nextCursor` is null.
 */

/** Where a page starts: the previous page's last sort value and id, as text (each cast by the SQL that reads it). */
export interface Keyset {
  value: string;
  id: string;
}

/** A page of a list: its rows and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The SQL type a cursor's sort value or id must fit: `int` (int4), `bigint` (int8), `timestamp` (timestamptz), `uuid`. */
export type KeyKind = 'int' | 'bigint' | 'timestamp' | 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2})(?::?(\d{2}))?)?$/;
const INTEGER = /^-?\d{1,19}$/;
const RANGES = { int: [-(2n ** 31n), 2n ** 31n - 1n], bigint: [-(2n ** 63n), 2n ** 63n - 1n] } as const;

/** Whether `text` is a value PostgreSQL casts to `kind` without an error. */
function fitsKind(text: string, kind: KeyKind): boolean {
  if (kind === 'uuid') return UUID.test(text);
  if (kind === 'timestamp') return isTimestamp(text);
  if (!INTEGER.test(text)) return false;
  const n = BigInt(text);
  return n >= RANGES[kind][0] && n <= RANGES[kind][1];
}

function isTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 15 && Number(m[10] ?? 0) <= 59);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

/** The opaque cursor of a row: base64url of `[sort value, id]`. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.value, key.id])).toString('base64url');
}

/** Reads a cursor made by `encodeCursor` for a list keyed by `kinds`; anything else is a 400 naming `query.cursor`. */
export function decodeCursor(cursor: string | undefined, kinds: { value: KeyKind; id: KeyKind }): Keyset | undefined {
  if (!cursor) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
    if (fitsKind(v[0], kinds.value) && fitsKind(v[1], kinds.id)) return { value: v[0], id: v[1] };
  }
  throw invalidCursor();
}

/** Splits `limit + 1` rows into the page and the cursor of its last row (null when no row follows). */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

function invalidCursor(): DomainError {
  const message = 'is not a cursor this list returned';
  return new DomainError('request/invalid', `Invalid request query: query.cursor ${message}.`, {
    issues: [{ path: 'query.cursor', message, code: 'custom' }],
  });
}
