import type { ApiRouter } from '../api.ts';
import type { AuthService } from '../../services/auth/auth.service.ts';
import { authBody, AuthResponse, LoginRequest, meBody, MeResponse, RefreshRequest, SignupRequest } from '../dto/auth.dto.ts';

/** POST /auth/signup, /auth/login, /auth/refresh, /auth/logout; GET /auth/me. */
export function authRoutes(api: ApiRouter, auth: AuthService) {
  const tags = ['auth'];
  api.route(
    {
      method: 'post',
      path: '/auth/signup',
      tags,
      summary: 'Create an account (+ ledgered GOLD signup bonus) and log in',
      body: SignupRequest,
      responses: { 201: { description: 'created', schema: AuthResponse }, 400: 'invalid username or password', 409: 'auth/username_taken' },
    },
    async ({ body, req }) => ({
      status: 201,
      body: authBody(await auth.signup(body.username, body.password, { ip: req.ip, userAgent: req.get('user-agent') })),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/auth/login',
      tags,
      summary: 'Log in',
      body: LoginRequest,
      responses: {
        200: { description: 'logged in', schema: AuthResponse },
        401: 'auth/invalid_credentials',
        403: 'auth/account_disabled',
        429: 'auth/locked (with retry_after seconds)',
      },
    },
    async ({ body, req }) => ({
      status: 200,
      body: authBody(await auth.login(body.username, body.password, { ip: req.ip, userAgent: req.get('user-agent') })),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/auth/refresh',
      tags,
      summary: 'Rotate the refresh token; reusing a rotated token revokes the session',
      body: RefreshRequest,
      responses: { 200: { description: 'a new token pair', schema: AuthResponse }, 401: 'auth/invalid_refresh_token' },
    },
    async ({ body }) => ({ status: 200, body: authBody(await auth.refresh(body.refresh_token)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/auth/logout',
      tags,
      summary: 'End this session (refresh and access tokens stop working)',
      auth: true,
      responses: { 204: 'logged out', 401: 'auth/unauthenticated' },
    },
    async ({ principal }) => {
      await auth.logout(principal.sessionId);
      return { status: 204 };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/auth/me',
      tags,
      summary: 'The logged-in user with balances',
      auth: true,
      responses: { 200: { description: 'the user', schema: MeResponse }, 401: 'auth/unauthenticated' },
    },
    async ({ principal }) => ({ status: 200, body: meBody(await auth.me(principal.userId)) }),
  );
}
