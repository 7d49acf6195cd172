import { z } from 'zod';
import { AUDIT_RESULTS } from '../../../db/entities/admin.entity.ts';
import type { AuditRecord } from '../../../services/admin/audit.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

/** The audit log's filters (the CSV export takes the same). */
export const AuditFilterQuery = z.object({
  actor: z.string().min(1).max(80).optional().describe("an operator's id or username"),
  action: z.string().min(1).max(80).optional().describe('e.g. `player.note.add`'),
  target: z.string().min(1).max(80).optional().describe("the target's id"),
  result: z.enum(AUDIT_RESULTS).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('inclusive'),
  to: z.iso.datetime({ offset: true }).optional().describe('exclusive'),
});

export const AuditQuery = AuditFilterQuery.extend(PageQuery.shape);

export const AuditRow = z.object({
  id: z.uuid(),
  at: z.string(),
  actor_id: z.uuid().nullable(),
  actor_name: z.string().nullable(),
  actor_role: z.string().nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  result: z.enum(AUDIT_RESULTS),
  error: z.string().nullable(),
  request_id: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  job_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
});

export const AuditPage = pageResponse(AuditRow);

/** An audit entry on the wire. */
export function auditRow(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor_id: r.actorId,
    actor_name: r.actorName,
    actor_role: r.actorRole,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    before: r.before,
    after: r.after,
    result: r.result,
    error: r.error,
    request_id: r.requestId,
    idempotency_key: r.idempotencyKey,
    job_id: r.jobId,
    ip: r.ip,
    user_agent: r.userAgent,
  };
}

export type AuditRowBody = ReturnType<typeof auditRow>;

/** The CSV export's columns, in order (the wire row's keys). */
export const AUDIT_CSV_COLUMNS = Object.keys(AuditRow.shape) as Array<keyof AuditRowBody>;

/** One CSV field: quoted when needed (RFC 4180), JSON for objects; a leading `= + - @` is defused for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
