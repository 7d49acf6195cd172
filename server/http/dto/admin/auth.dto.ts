import { z } from 'zod';
import { OPERATOR_ROLES, PERMISSIONS } from '../../../../domain/admin/rbac.ts';
import type { AdminLogin, Operator } from '../../../services/admin/admin-auth.service.ts';

export { LoginRequest as AdminLoginRequest, RefreshRequest as AdminRefreshRequest } from '../auth.dto.ts';

export const OperatorResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  role: z.enum(OPERATOR_ROLES),
  permissions: z.array(z.enum(PERMISSIONS)).describe('what this role may do (the RBAC table)'),
});

export const AdminLoginResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number().int().describe('seconds until the access token (and the admin session cookie) expires'),
  operator: OperatorResponse,
});

/** An operator on the wire (`GET /admin/me`, and inside a login's answer). */
export function operatorBody(o: Operator) {
  return { id: o.id, username: o.username, role: o.role, permissions: o.permissions };
}

/** An admin login's answer (log-in and refresh). */
export function adminLoginBody(r: AdminLogin) {
  return { access_token: r.accessToken, refresh_token: r.refreshToken, expires_in: r.expiresIn, operator: operatorBody(r.operator) };
}

export type OperatorBody = ReturnType<typeof operatorBody>;
export type AdminLoginBody = ReturnType<typeof adminLoginBody>;
