import type { ImportsService } from '../../../services/admin/imports/imports.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter } from '../../api.ts';
import { importRowParsers } from '../../dto/admin/import-rows.dto.ts';
import {
  importBody,
  ImportParams,
  importReportBody,
  ImportReportResponse,
  ImportRequest,
  ImportsPage,
  ImportsQuery,
  ImportSummary,
  problemsCsv,
} from '../../dto/admin/imports.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** CSV imports: upload and validate, list, one import, its problems as CSV (reads `liveops:read`, writes `imports:write`). */
export function adminImportsRoutes(api: ApiRouter, deps: { imports: ImportsService; adminWrite: AdminWrite }) {
  const svc = deps.imports;

  api.route(
    {
      method: 'post',
      path: '/admin/imports',
      permission: 'imports:write',
      summary: 'Upload a CSV import (rows already mapped to columns): every row validated, duplicates removed and counted',
      body: ImportRequest,
      headers: IdempotencyHeader,
      responses: {
        201: { description: 'the validation report', schema: ImportReportResponse },
        400: 'request/invalid (the body: kind, filename, 1–50,000 rows), request/too_large',
        409: 'idempotency/key_reuse, idempotency/in_progress',
        503: 'admin/writes_disabled',
      },
    },
    (ctx) =>
      deps.adminWrite(ctx, { action: 'import.validate' }, async (em) => {
        const { principal: p, body } = ctx;
        const report = await svc.validate(em, { id: p.userId, username: p.username, role: p.role }, body, importRowParsers);
        const after = importBody(report.import);
        return { status: 201, body: importReportBody(report), before: null, after, target: { type: 'import', id: report.import.id } };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/imports/:id/apply',
      permission: 'imports:write',
      summary:
        'Apply a validated import once: tags and grants become operation drafts (one per tag and action, one per currency) to preview, shadow and apply; products a job creating or updating each',
      params: ImportParams,
      headers: IdempotencyHeader,
      responses: {
        200: { description: 'the import with its operation ids or job id', schema: ImportSummary },
        400: 'request/invalid (an operation refused the list, e.g. an amount above its maximum)',
        404: 'resource/not_found',
        409: 'import/not_validated (applied already), import/nothing_valid, idempotency/key_reuse, idempotency/in_progress',
        503: 'admin/writes_disabled',
      },
    },
    (ctx) =>
      deps.adminWrite(ctx, { action: 'import.apply', target: { type: 'import', id: ctx.params.id } }, async (em) => {
        const p = ctx.principal;
        const { before, after } = await svc.apply(em, { id: p.userId, username: p.username, role: p.role }, ctx.params.id);
        return { status: 200, body: importBody(after), before: importBody(before), after: importBody(after) };
      }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/imports',
      permission: 'liveops:read',
      summary: 'Past imports, newest first (keyset paging)',
      query: ImportsQuery,
      responses: { 200: { description: 'a page of imports', schema: ImportsPage }, 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await svc.list(query.cursor, query.limit), importBody) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/imports/:id',
      permission: 'liveops:read',
      summary: 'One import: its counts, status, what applying it made, and its first 1,000 problems',
      params: ImportParams,
      responses: { 200: { description: 'the import', schema: ImportReportResponse }, 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: importReportBody(await svc.get(params.id)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/imports/:id/errors.csv',
      permission: 'liveops:read',
      summary: "Every problem of an import as CSV (row, column, problem), the rows numbered from the file's first data row",
      params: ImportParams,
      responses: { 200: 'text/csv', 404: 'resource/not_found' },
    },
    async ({ params, res }) => {
      const csv = problemsCsv(await svc.problems(params.id));
      res
        .status(200)
        .set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="import-${params.id}-errors.csv"` })
        .send(csv);
    },
  );
}
