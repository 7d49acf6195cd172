import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { IMPORT_KINDS, type ImportKind } from '../../../domain/admin/imports.ts';

export { IMPORT_KINDS, type ImportKind };
export const IMPORT_STATUSES = ['validated', 'applying', 'applied', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_PARTS = ['rows', 'errors'] as const;

/**
 * A CSV import an operator uploaded: its kind, the validation counts, and what applying it made (operations for tags
 * and grants, a job for products). `validated` until applied once; `applying` while its job runs.
 */
export const AdminImport = defineEntity({
  name: 'AdminImport',
  tableName: 'imports',
  indexes: [{ name: 'imports_created_idx', properties: ['createdAt', 'id'] }],
  properties: {
    id: p.uuid().primary(),
    kind: p.enum([...IMPORT_KINDS]),
    filename: p.string().length(255),
    status: p.enum([...IMPORT_STATUSES]),
    /** data rows sent (the header excluded) */
    rowCount: p.integer(),
    validCount: p.integer(),
    invalidCount: p.integer(),
    duplicateCount: p.integer(),
    /** problems found (a row may have several) */
    errorCount: p.integer(),
    tookMs: p.integer(),
    createdBy: p.uuid(),
    createdByName: p.string().length(20),
    /** the operations applying it made (tags, grants) */
    operationIds: p.json<string[]>(),
    /** the job applying it (products) */
    jobId: p.uuid().nullable(),
    /** why applying failed */
    error: p.string().length(255).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    appliedAt: p.datetime().nullable(),
  },
});
export type IAdminImport = InferEntity<typeof AdminImport>;

/** An import's valid rows (`rows`) or its problems (`errors`), 1,000 to a chunk, as JSON arrays. */
export const AdminImportChunk = defineEntity({
  name: 'AdminImportChunk',
  tableName: 'import_chunks',
  properties: {
    importId: p.uuid().primary(),
    part: p.enum([...IMPORT_PARTS]).primary(),
    seq: p.integer().primary(),
    data: p.json<unknown[]>(),
  },
});
