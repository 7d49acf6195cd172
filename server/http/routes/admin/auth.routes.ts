import { OPERATOR_ROLES } from '../../../../domain/admin/rbac.ts';
import { operatorOf, type AdminAuthService } from '../../../services/admin/admin-auth.service.ts';
import type { ApiRouter } from '../../api.ts';
import {
  AdminLoginRequest,
  AdminLoginResponse,
  adminLoginBody,
  AdminRefreshRequest,
  operatorBody,
  OperatorResponse,
} from '../../dto/admin/auth.dto.ts';
import { clearAdminSessionCookie, setAdminSessionCookie } from '../../middleware/admin-session.ts';

/** POST /admin/auth/login, /admin/auth/refresh, /admin/auth/logout; GET /admin/me. */
export function adminAuthRoutes(api: ApiRouter, adminAuth: AdminAuthService) {
  const tags = ['admin'];
  const operators = [...OPERATOR_ROLES];
  api.route(
    {
      method: 'post',
      path: '/admin/auth/login',
      tags,
      summary: 'Operator log-in: a short-lived access token carrying the role (also set as the admin session cookie)',
      body: AdminLoginRequest,
      responses: {
        200: { description: 'logged in', schema: AdminLoginResponse },
        401: 'auth/invalid_credentials',
        403: 'auth/forbidden (not an operator account), auth/account_disabled',
        429: 'auth/locked (with retry_after seconds)',
      },
    },
    async ({ body, req, res }) => {
      const login = await adminAuth.login(body.username, body.password, { ip: req.ip, userAgent: req.get('user-agent') });
      setAdminSessionCookie(req, res, login.accessToken, login.expiresIn);
      return { status: 200, body: adminLoginBody(login) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/auth/refresh',
      tags,
      summary: 'Rotate an operator refresh token (and renew the admin session cookie)',
      body: AdminRefreshRequest,
      responses: {
        200: { description: 'a new token pair', schema: AdminLoginResponse },
        401: 'auth/invalid_refresh_token',
        403: 'auth/forbidden (not an operator account), auth/account_disabled',
      },
    },
    async ({ body, req, res }) => {
      const login = await adminAuth.refresh(body.refresh_token);
      setAdminSessionCookie(req, res, login.accessToken, login.expiresIn);
      return { status: 200, body: adminLoginBody(login) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/auth/logout',
      tags,
      summary: 'End this operator session (tokens and the admin session cookie stop working)',
      auth: operators,
      responses: { 204: 'logged out' },
    },
    async ({ principal, req, res }) => {
      await adminAuth.logout(principal.sessionId);
      clearAdminSessionCookie(req, res);
      return { status: 204 };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/me',
      tags,
      summary: 'The logged-in operator, their role and its permissions',
      auth: operators,
      responses: { 200: { description: 'the operator', schema: OperatorResponse } },
    },
    ({ principal }) => ({ status: 200, body: operatorBody(operatorOf(principal)) }),
  );
}
