import type { AuditFilter, AuditService } from '../../../services/admin/audit.service.ts';
import type { ApiRouter } from '../../api.ts';
import { AUDIT_CSV_COLUMNS, AuditFilterQuery, AuditPage, AuditQuery, auditRow, csvField } from '../../dto/admin/audit.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';

/** GET /admin/audit (keyset pages) and /admin/audit.csv (the same filters, streamed). */
export function adminAuditRoutes(api: ApiRouter, audit: AuditService) {
  api.route(
    {
      method: 'get',
      path: '/admin/audit',
      permission: 'audit:read',
      summary: 'The audit log, newest first: every admin write and every denied attempt',
      query: AuditQuery,
      responses: { 200: { description: 'a page of entries', schema: AuditPage }, 400: 'request/invalid (names the field)' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await audit.page(filterOf(query), query.cursor, query.limit), auditRow) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/audit.csv',
      permission: 'audit:read',
      summary: 'The audit log as CSV (header row, RFC 4180 quoting), with the same filters, streamed',
      query: AuditFilterQuery,
      responses: { 200: 'text/csv', 400: 'request/invalid (names the field)' },
    },
    async ({ query, res }) => {
      res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit.csv"' });
      res.write(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
      for await (const rows of audit.all(filterOf(query))) {
        const chunk = rows.map((r) => {
          const row = auditRow(r);
          return `${AUDIT_CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
        });
        if (!res.write(chunk.join(''))) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    },
  );
}

function filterOf(q: { actor?: string; action?: string; target?: string; result?: AuditFilter['result']; from?: string; to?: string }) {
  return {
    actor: q.actor,
    action: q.action,
    target: q.target,
    result: q.result,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}
