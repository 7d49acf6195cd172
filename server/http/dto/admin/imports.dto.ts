import { z } from 'zod';
import { IMPORT_KINDS, MAX_IMPORT_ROWS } from '../../../../domain/admin/imports.ts';
import type { ImportRecord, ImportReport } from '../../../services/admin/imports/imports.service.ts';
import type { RowProblem } from '../../../services/admin/imports/rows.ts';
import { csvField } from './audit.dto.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

/** `POST /admin/imports`: the kind, the file's name, and its rows with the columns already mapped (cells as text). */
export const ImportRequest = z
  .object({
    kind: z.enum(IMPORT_KINDS),
    filename: z.string().trim().min(1).max(255),
    rows: z
      .array(z.record(z.string().max(64), z.string().max(2000)))
      .min(1)
      .max(MAX_IMPORT_ROWS)
      .describe('one object per data row: mapped column name → cell text'),
  })
  .strict();
export const ImportParams = z.object({ id: z.uuid() });
export const ImportsQuery = PageQuery;

const Problem = z.object({ row: z.number().int().describe('the data row, the first is 1'), column: z.string(), problem: z.string() });
/** An import on the wire: counts, status, what applying it made. */
export const ImportSummary = z.object({
  id: z.uuid(),
  kind: z.enum(IMPORT_KINDS),
  filename: z.string(),
  status: z.enum(['validated', 'applying', 'applied', 'failed']),
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  error_count: z.number().int(),
  took_ms: z.number().int(),
  created_by: z.uuid(),
  created_by_name: z.string(),
  operation_ids: z.array(z.uuid()),
  job_id: z.uuid().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  applied_at: z.string().nullable(),
});
export const ImportsPage = pageResponse(ImportSummary);
export const ImportReportResponse = ImportSummary.extend({
  import_id: z.uuid(),
  errors: z.array(Problem).describe('the first 1,000 problems; errors.csv has every one'),
});

/** An import on the wire (list rows). */
export function importBody(r: ImportRecord) {
  return {
    id: r.id,
    kind: r.kind,
    filename: r.filename,
    status: r.status,
    rows: r.rowCount,
    valid: r.validCount,
    invalid: r.invalidCount,
    duplicates: r.duplicateCount,
    error_count: r.errorCount,
    took_ms: r.tookMs,
    created_by: r.createdBy,
    created_by_name: r.createdByName,
    operation_ids: r.operationIds,
    job_id: r.jobId,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    applied_at: r.appliedAt?.toISOString() ?? null,
  };
}
export type ImportBody = ReturnType<typeof importBody>;

/** The validation report: the import, its id again as `import_id`, and its first problems. */
export function importReportBody(r: ImportReport) {
  return { import_id: r.import.id, ...importBody(r.import), errors: r.problems };
}
export type ImportReportBody = ReturnType<typeof importReportBody>;

/** Problems as CSV (`row,column,problem`, RFC 4180, spreadsheet formulas defused). */
export function problemsCsv(problems: RowProblem[]): string {
  return ['row,column,problem\r\n', ...problems.map((p) => `${[p.row, p.column, p.problem].map(csvField).join(',')}\r\n`)].join('');
}
