import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import type { ImportKind } from '../../../db/entities/import.entity.ts';
import { importsTable, type ImportRecord } from '../../../db/repositories/imports.repository.ts';
import type { Actor } from '../audit.service.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import { applyRows } from './apply.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import type { ImportOperations } from './ports.ts';
import type { ImportRowParsers, RawRow, RowProblem, StoredRow } from './rows.ts';
import { validateRows } from './validate.ts';

export type { ImportRecord };

/** The problems a validation report lists (every one is in the errors CSV). */
export const REPORT_PROBLEMS = 1000;

/** An upload validated and stored: the import and its first problems. */
export interface ImportReport {
  import: ImportRecord;
  problems: RowProblem[];
}

/**
 * CSV imports of player tags, grants and products: each upload is validated row by row on the server and stored (its
 * valid rows and every problem), then applied once (imports/apply.ts).
 */
export class ImportsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly d: { operations: ImportOperations; jobs: Pick<JobsService, 'create'> },
  ) {}

  /** Validates an upload and stores it as a `validated` import (in the admin write's transaction). */
  async validate(
    em: EntityManager,
    actor: Actor,
    upload: { kind: ImportKind; filename: string; rows: RawRow[] },
    parsers: ImportRowParsers,
  ): Promise<ImportReport> {
    const started = performance.now();
    const v = await validateRows(em, upload.kind, upload.rows, parsers);
    const record: ImportRecord = {
      id: randomUUID(),
      kind: upload.kind,
      filename: upload.filename,
      status: 'validated',
      rowCount: upload.rows.length,
      validCount: v.valid.length,
      invalidCount: v.invalid,
      duplicateCount: v.duplicates,
      errorCount: v.problems.length,
      tookMs: 0,
      createdBy: actor.id,
      createdByName: actor.username,
      operationIds: [],
      jobId: null,
      error: null,
      createdAt: this.clock.now(),
      appliedAt: null,
    };
    record.tookMs = Math.round(performance.now() - started);
    await importsTable.insert(em, record);
    await importsTable.insertChunks(em, record.id, 'rows', v.valid);
    await importsTable.insertChunks(em, record.id, 'errors', v.problems);
    return { import: record, problems: v.problems.slice(0, REPORT_PROBLEMS) };
  }

  /**
   * Applies a validated import once (in the admin write's transaction): tags and grants become operation drafts on
   * lists of players, products a job (imports/apply.ts). 409 `import/not_validated` when it was applied already,
   * `import/nothing_valid` when no row is valid.
   */
  async apply(em: EntityManager, actor: Actor, id: string): Promise<{ before: ImportRecord; after: ImportRecord }> {
    const before = await importsTable.byId(em, id, { lock: true });
    if (!before) throw notFound();
    if (before.status !== 'validated') {
      throw new DomainError('import/not_validated', `This import is ${before.status}: an import applies once.`, { status: before.status });
    }
    if (before.validCount === 0) throw new DomainError('import/nothing_valid', 'This import has no valid row to apply.');
    const rows = await importsTable.readChunks<StoredRow>(em, id, 'rows');
    const applied = await applyRows(em, this.d, actor, before, rows);
    const after: ImportRecord = {
      ...before,
      operationIds: applied.operationIds,
      jobId: applied.jobId,
      status: applied.jobId ? 'applying' : 'applied',
      appliedAt: applied.jobId ? null : this.clock.now(),
    };
    await importsTable.update(em, id, {
      status: after.status,
      operationIds: after.operationIds,
      jobId: after.jobId,
      appliedAt: after.appliedAt,
    });
    return { before, after };
  }

  /** A page of imports, newest first. */
  async list(cursor: string | undefined, limit: number): Promise<Page<ImportRecord>> {
    const after = decodeCursor(cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await importsTable.page(this.em(), after, limit + 1);
    return pageOf(rows, limit, (r) => ({ value: r.createdAt.toISOString(), id: r.id }));
  }

  /** One import with its first problems; 404 when unknown. */
  async get(id: string): Promise<ImportReport> {
    const em = this.em();
    const record = await importsTable.byId(em, id);
    if (!record) throw notFound();
    const problems = await importsTable.readChunks<RowProblem>(em, id, 'errors');
    return { import: record, problems: problems.slice(0, REPORT_PROBLEMS) };
  }

  /** Every problem of an import, in row order; 404 when unknown. */
  async problems(id: string): Promise<RowProblem[]> {
    const em = this.em();
    if (!(await importsTable.byId(em, id))) throw notFound();
    return importsTable.readChunks<RowProblem>(em, id, 'errors');
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

function notFound() {
  return new DomainError('resource/not_found', 'No import has this id.');
}
