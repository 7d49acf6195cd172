import type { NextFunction, Request, Response } from 'express';
import { can, isOperatorRole, type Permission } from '../../../domain/admin/rbac.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Principal, TokenService } from '../../services/auth/token.service.ts';

/** The cookie the admin login sets for the server-rendered admin pages (`/admin/monitor`, `/admin/queues`). */
export const ADMIN_SESSION_COOKIE = 'neon_admin_session';
const COOKIE_PATH = '/admin';

/** Sets the admin session cookie (HttpOnly, SameSite=Strict, Path=/admin) holding the access token, for its lifetime. */
export function setAdminSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(ADMIN_SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    secure: req.secure,
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearAdminSessionCookie(req: Request, res: Response): void {
  res.clearCookie(ADMIN_SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH, secure: req.secure });
}

/** The admin session's token: the Bearer header, else the admin session cookie. */
export function adminSessionToken(req: Request): string | undefined {
  const bearer = req.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ADMIN_SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Builds `requireAdminSession(permission)`: express middleware for the admin pages that are not API routes. Without a
 * valid session it answers 401 `auth/unauthenticated`, without the permission 403 `auth/forbidden` (and reports the
 * denial to `onDenied`, e.g. `auditDeniedPage(services.audit)` for the audit log); otherwise the operator is at `res.locals.operator`.
 */
export function adminSessionGuard(
  tokens: TokenService,
  onDenied?: (req: Request, principal: Principal, permission: Permission) => Promise<void>,
) {
  return function requireAdminSession(permission: Permission) {
    return async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = await tokens.verifyAccessToken(adminSessionToken(req));
        if (!isOperatorRole(principal.role) || !can(principal.role, permission)) {
          await onDenied?.(req, principal, permission);
          throw new DomainError('auth/forbidden', 'Your role does not allow this action.');
        }
        res.locals.operator = principal;
        next();
      } catch (err) {
        next(err);
      }
    };
  };
}
