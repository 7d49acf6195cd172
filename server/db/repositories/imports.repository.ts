import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportKind, ImportStatus } from '../entities/import.entity.ts';

/** An import as the services read it. */
export interface ImportRecord {
  id: string;
  kind: ImportKind;
  filename: string;
  status: ImportStatus;
  rowCount: number;
  validCount: number;
  invalidCount: number;
  duplicateCount: number;
  errorCount: number;
  tookMs: number;
  createdBy: string;
  createdByName: string;
  operationIds: string[];
  jobId: string | null;
  error: string | null;
  createdAt: Date;
  appliedAt: Date | null;
}

/** Rows of JSON kept per chunk of `import_chunks`. */
export const CHUNK_SIZE = 1000;

const COLUMNS = `id, kind, filename, status, row_count, valid_count, invalid_count, duplicate_count, error_count, took_ms,
  created_by, created_by_name, operation_ids, job_id, error, created_at, applied_at`;

/** The `imports` and `import_chunks` tables. */
export const importsTable = {
  async insert(em: EntityManager, r: ImportRecord): Promise<void> {
    await em.execute(`insert into imports (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)`, [
      r.id,
      r.kind,
      r.filename,
      r.status,
      r.rowCount,
      r.validCount,
      r.invalidCount,
      r.duplicateCount,
      r.errorCount,
      r.tookMs,
      r.createdBy,
      r.createdByName,
      JSON.stringify(r.operationIds),
      r.jobId,
      r.error,
      r.createdAt,
      r.appliedAt,
    ]);
  },

  /** Stores `items` as chunks of CHUNK_SIZE (one statement, one parameter per chunk). */
  async insertChunks(em: EntityManager, importId: string, part: 'rows' | 'errors', items: unknown[]): Promise<void> {
    const chunks = jsonChunks(items, CHUNK_SIZE);
    if (chunks.length === 0) return;
    await em.execute(
      `insert into import_chunks (import_id, part, seq, data) values ${chunks.map(() => '(?, ?, ?, ?::jsonb)').join(', ')}`,
      chunks.flatMap((data, i) => [importId, part, i + 1, data]),
    );
  },

  /** Every item of a part, in order. */
  async readChunks<T>(em: EntityManager, importId: string, part: 'rows' | 'errors'): Promise<T[]> {
    const rows = await em.execute<Array<{ data: T[] | string }>>(
      `select data from import_chunks where import_id = ? and part = ? order by seq`,
      [importId, part],
    );
    return rows.flatMap((r) => (typeof r.data === 'string' ? (JSON.parse(r.data) as T[]) : r.data));
  },

  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<ImportRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${COLUMNS} from imports where id = ?${opts.lock ? ' for update' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Newest first, after the keyset `(created_at, id)` given as text. */
  async page(em: EntityManager, after: { value: string; id: string } | undefined, limit: number): Promise<ImportRecord[]> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${COLUMNS} from imports ${after ? 'where (created_at, id) < (?::timestamptz, ?::uuid)' : ''}
       order by created_at desc, id desc limit ?`,
      after ? [after.value, after.id, limit] : [limit],
    );
    return rows.map(toRecord);
  },

  async update(
    em: EntityManager,
    id: string,
    set: Partial<Pick<ImportRecord, 'status' | 'operationIds' | 'jobId' | 'error' | 'appliedAt'>>,
  ): Promise<void> {
    const columns: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, value: unknown, cast = '') => {
      columns.push(`${column} = ?${cast}`);
      params.push(value);
    };
    if (set.status !== undefined) add('status', set.status);
    if (set.operationIds !== undefined) add('operation_ids', JSON.stringify(set.operationIds), '::jsonb');
    if (set.jobId !== undefined) add('job_id', set.jobId);
    if (set.error !== undefined) add('error', set.error);
    if (set.appliedAt !== undefined) add('applied_at', set.appliedAt);
    if (columns.length === 0) return;
    await em.execute(`update imports set ${columns.join(', ')} where id = ?`, [...params, id]);
  },

  /** Players by username (case-insensitive) or id, in one query: each key found → the player's id and username. */
  async resolvePlayers(em: EntityManager, usernames: string[], ids: string[]): Promise<Array<{ id: string; username: string }>> {
    if (usernames.length === 0 && ids.length === 0) return [];
    const names = jsonChunks(usernames, CHUNK_SIZE);
    const idChunks = jsonChunks(ids, CHUNK_SIZE);
    return em.execute<Array<{ id: string; username: string }>>(
      `select id, username from users where role = 'player' and (username_key in (${textsOf(names.length)}) or id::text in (${textsOf(idChunks.length)}))`,
      [...names, ...idChunks],
    );
  },

  /** The id of the product with this SKU, or null. */
  async productIdBySku(em: EntityManager, sku: string): Promise<string | null> {
    const [row] = await em.execute<Array<{ id: string }>>(`select id from products where sku = ?`, [sku]);
    return row?.id ?? null;
  },

  /** Which of these SKUs name a product. */
  async existingSkus(em: EntityManager, skus: string[]): Promise<Set<string>> {
    if (skus.length === 0) return new Set();
    const rows = await em.execute<Array<{ sku: string }>>(
      `select sku from products where sku in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(skus)],
    );
    return new Set(rows.map((r) => r.sku));
  },
};

/**
 * A long list as JSON texts of `size` values each, one query parameter apiece: the driver quotes each parameter into
 * the SQL text, which takes time growing faster than its length (a 1.4 MB text: about a second; as 10 parts: 25 ms).
 */
function jsonChunks(values: unknown[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += size) out.push(JSON.stringify(values.slice(i, i + size)));
  return out;
}

/** `n` JSON-array parameters unnested to their text values (`select null` when there are none). */
function textsOf(n: number): string {
  if (n === 0) return 'select null';
  return `select jsonb_array_elements_text(j) from (values ${Array.from({ length: n }, () => '(?::jsonb)').join(', ')}) v(j)`;
}

function toRecord(r: Record<string, unknown>): ImportRecord {
  const ids = r.operation_ids;
  return {
    id: r.id as string,
    kind: r.kind as ImportKind,
    filename: r.filename as string,
    status: r.status as ImportStatus,
    rowCount: Number(r.row_count),
    validCount: Number(r.valid_count),
    invalidCount: Number(r.invalid_count),
    duplicateCount: Number(r.duplicate_count),
    errorCount: Number(r.error_count),
    tookMs: Number(r.took_ms),
    createdBy: r.created_by as string,
    createdByName: r.created_by_name as string,
    operationIds: (typeof ids === 'string' ? JSON.parse(ids) : ids) as string[],
    jobId: (r.job_id as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: new Date(r.created_at as string | Date),
    appliedAt: r.applied_at ? new Date(r.applied_at as string | Date) : null,
  };
}
