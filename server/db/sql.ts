import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Transaction } from 'kysely';

/** A json/jsonb column from a raw query: the driver may hand it over parsed or as text. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * `json_to_recordset(?::json) as v(definition)` for `count` rows, as a FROM item to join a table with. PostgreSQL plans
 * any set-returning function for 100 rows, so an UPDATE … FROM one of a batch of one or two rows scanned the whole
 * table and hashed it (3–6 ms against 7,000 game sessions); the LIMIT gives it the real count, and it looks the rows
 * up by index. `count` must be the number of rows in the JSON (more would be cut off).
 */
export function jsonRecordset(definition: string, count: number, alias = 'v'): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`jsonRecordset: bad row count ${count}`);
  return `(select * from json_to_recordset(?::json) as ${alias}(${definition}) limit ${count}) as ${alias}`;
}

/** A data-modifying statement (INSERT/UPDATE) to be run together with others by `executeTogether`. */
export interface WritePart {
  sql: string;
  params: unknown[];
  /** the statement has a RETURNING clause whose rows the caller wants back */
  returning?: boolean;
}

/**
 * Runs several data-modifying statements as one (each becomes a CTE): one round trip instead of one per
 * statement. They all see the same snapshot, so no two of them may touch the same rows. Returns, per part in
 * order, its RETURNING rows (empty for parts without).
 */
export async function executeTogether(em: EntityManager, parts: WritePart[]): Promise<Array<Array<Record<string, unknown>>>> {
  if (parts.length === 0) return [];
  const ctes = parts.map((p, i) => `w${i} as (${p.sql})`).join(',\n');
  const outputs = parts
    .map((p, i) => (p.returning ? `(select coalesce(json_agg(w${i}), '[]'::json) from w${i})` : `'[]'::json`) + ` as r${i}`)
    .join(', ');
  const row = await firstRowBound(
    em,
    `with ${ctes}\nselect ${outputs}`,
    parts.flatMap((p) => p.params),
  );
  return parts.map((_, i) => fromJson<Array<Record<string, unknown>>>(row[`r${i}`]));
}

/**
 * The first row of `sql`, its `?` placeholders sent as bound parameters ($1, $2 …) on the transaction's connection:
 * `em.execute` would copy every value into the statement's text, escaping it character by character (the rounds' JSON
 * is most of a batch). Values other than strings, numbers, booleans, null and Dates, or a statement outside a
 * transaction, go through `em.execute` as before.
 */
async function firstRowBound(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>> {
  const tx = em.getTransactionContext<Transaction<unknown>>();
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (!tx || n !== params.length || !params.every(bindable)) return (await em.execute<Array<Record<string, unknown>>>(sql, params))[0];
  const bound = params.map((v) => (v instanceof Date ? v.toISOString() : v));
  const res = await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, bound));
  return res.rows[0];
}

const bindable = (v: unknown) => v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * A SELECT and the mapping of its rows: run alone (`runRead`) or with others as one statement (`readTogether`). The
 * mapping must read a row either way: from the driver, bigint and numeric columns come as text and timestamps in
 * PostgreSQL's text form; through `readTogether` (JSON) numbers come as numbers and timestamps in ISO form. So a part
 * converts numbers with `Number()` and selects each timestamp it uses as `::text`.
 */
export interface ReadPart<T> {
  sql: string;
  params: unknown[];
  map(rows: Array<Record<string, unknown>>): T;
}

/** Runs one read. */
export async function runRead<T>(em: EntityManager, part: ReadPart<T>): Promise<T> {
  return part.map(await em.execute<Array<Record<string, unknown>>>(part.sql, part.params));
}

type ReadResults<P extends readonly ReadPart<unknown>[]> = { -readonly [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

/**
 * Runs several reads as one statement (each one's rows aggregated to JSON in a column of one row): one round trip
 * and one statement instead of one per read, all from the same snapshot. A part's ORDER BY is kept: each is
 * aggregated from its own subquery, which PostgreSQL reads in its order.
 */
export async function readTogether<const P extends readonly ReadPart<unknown>[]>(em: EntityManager, parts: P): Promise<ReadResults<P>> {
  const columns = parts.map((p, i) => `(select coalesce(json_agg(q${i}), '[]'::json) from (${p.sql}) as q${i}) as r${i}`);
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `select ${columns.join(',\n')}`,
    parts.flatMap((p) => p.params),
  );
  return parts.map((p, i) => p.map(fromJson<Array<Record<string, unknown>>>(row[`r${i}`]))) as ReadResults<P>;
}
