import { can, isOperatorRole, PERMISSIONS, type OperatorRole, type Permission } from '../../../domain/admin/rbac.ts';
import type { AuthResult, AuthService, ClientInfo, LoginPolicy } from '../auth/auth.service.ts';
import type { Principal } from '../auth/token.service.ts';

/** An operator as the admin console sees them: who, which role, and what that role may do. */
export interface Operator {
  id: string;
  username: string;
  role: OperatorRole;
  permissions: Permission[];
}

/** An admin login: the token pair of the normal login flow, with the operator it speaks for. */
export interface AdminLogin {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  operator: Operator;
}

/**
 * Operator log-in on top of the players' AuthService (same passwords, lockout, sessions and refresh-token families):
 * only operator roles get in, and their access tokens live `accessTtlSeconds`.
 */
export class AdminAuthService {
  private readonly policy: LoginPolicy;

  constructor(
    private readonly auth: AuthService,
    accessTtlSeconds: number,
  ) {
    this.policy = { allowRole: isOperatorRole, accessTtlSeconds };
  }

  async login(username: string, password: string, client: ClientInfo = {}): Promise<AdminLogin> {
    return toAdminLogin(await this.auth.login(username, password, client, this.policy));
  }

  async refresh(refreshToken: string): Promise<AdminLogin> {
    return toAdminLogin(await this.auth.refresh(refreshToken, this.policy));
  }

  logout(sessionId: string): Promise<void> {
    return this.auth.logout(sessionId);
  }
}

/** The operator an access token speaks for (its role is one of the operator roles: the guard checked it). */
export function operatorOf(p: Pick<Principal, 'userId' | 'username' | 'role'>): Operator {
  const role = p.role as OperatorRole;
  return { id: p.userId, username: p.username, role, permissions: PERMISSIONS.filter((perm) => can(role, perm)) };
}

function toAdminLogin(r: AuthResult): AdminLogin {
  return {
    accessToken: r.accessToken,
    refreshToken: r.refreshToken,
    expiresIn: r.expiresIn,
    operator: operatorOf({ userId: r.user.id, username: r.user.username, role: r.user.role }),
  };
}
