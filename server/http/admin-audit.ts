import type { Request } from 'express';
import type { Permission } from '../../domain/admin/rbac.ts';
import type { AuditService, RequestInfo } from '../services/admin/audit.service.ts';
import type { Principal } from '../services/auth/token.service.ts';
import type { Denial } from './api.ts';
import { getRequestId } from './middleware/request-id.ts';

/** What the audit log records of a request's origin: request id, Idempotency-Key, IP and user agent. */
export function requestInfo(req: Request): RequestInfo {
  return {
    requestId: getRequestId(req),
    idempotencyKey: req.get('idempotency-key') || undefined,
    ip: req.ip,
    userAgent: req.get('user-agent'),
  };
}

/** Records a refused admin attempt (a `denied` row, outside any transaction; a failed insert is only logged). */
export function auditDenied(audit: AuditService) {
  return async ({ req, principal, permission, operationId }: Denial): Promise<void> => {
    await audit.recordAlone(deniedEntry(req, principal, permission, operationId));
  };
}

/** The same for the admin pages outside the API (`requireAdminSession`). */
export function auditDeniedPage(audit: AuditService) {
  return async (req: Request, principal: Principal, permission: Permission): Promise<void> => {
    await audit.recordAlone(deniedEntry(req, principal, permission, `${req.method} ${req.baseUrl}${req.path}`));
  };
}

function deniedEntry(req: Request, principal: Principal, permission: Permission, action: string) {
  return {
    ...requestInfo(req),
    actor: { id: principal.userId, username: principal.username, role: principal.role },
    action,
    result: 'denied' as const,
    error: 'auth/forbidden',
    after: { permission },
  };
}
