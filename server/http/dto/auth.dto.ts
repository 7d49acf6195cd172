import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../../../domain/auth/credentials.ts';
import { ROLES } from '../../db/entities/user.entity.ts';
import type { AuthResult, PublicUser, UserWithBalances } from '../../services/auth/auth.service.ts';

export const SignupRequest = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'must be 3-20 characters: letters, digits or _'),
    password: z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH),
  })
  .strict();

export const LoginRequest = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .strict();

export const RefreshRequest = z.object({ refresh_token: z.string().min(10).max(200) }).strict();

export const UserResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  role: z.enum(ROLES),
  status: z.string(),
  level: z.number().int(),
  xp: z.number().int(),
  created_at: z.string(),
});

export const Balances = z.object({ GOLD: z.number().int(), GEM: z.number().int() });

export const AuthResponse = z.object({
  user: UserResponse,
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('seconds until the access token expires'),
});

export const MeResponse = UserResponse.extend({ balances: Balances });

/** A user on the wire. */
export function userBody(u: PublicUser) {
  return { id: u.id, username: u.username, role: u.role, status: u.status, level: u.level, xp: u.xp, created_at: u.createdAt };
}

/** A login's answer (sign-up, log-in and refresh). */
export function authBody(r: AuthResult) {
  return {
    user: userBody(r.user),
    access_token: r.accessToken,
    refresh_token: r.refreshToken,
    token_type: 'Bearer' as const,
    expires_in: r.expiresIn,
  };
}

/** `GET /auth/me`: the user with balances. */
export function meBody(u: UserWithBalances) {
  return { ...userBody(u), balances: u.balances };
}

/** Wire shapes of these answers, for clients (`import type`). */
export type UserBody = ReturnType<typeof userBody>;
export type AuthBody = ReturnType<typeof authBody>;
export type MeBody = ReturnType<typeof meBody>;
