import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { can, PERMISSIONS } from '../../domain/admin/rbac.ts';
import { adminSessionGuard } from '../../server/http/middleware/admin-session.ts';
import { errorHandler } from '../../server/http/middleware/error-handler.ts';
import { createOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('admin login', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('admin_auth', { ADMIN_ACCESS_TTL_SECONDS: 300, LOGIN_MAX_FAILURES: 3 });
  });
  after(async () => {
    await s?.stop();
  });

  it('logs an operator in with a short-lived token carrying the role and its permissions', async () => {
    const op = await createOperator(s, 'support');
    const res = await s.http.post('/api/admin/auth/login', { username: op.username, password: op.password });
    expect(res.status).to.equal(200);
    expect(res.body.expires_in).to.equal(300);
    expect(res.body.operator).to.deep.equal({
      id: op.id,
      username: op.username,
      role: 'support',
      permissions: PERMISSIONS.filter((p) => can('support', p)),
    });
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.role).to.equal('support');
    expect(claims.exp - claims.iat).to.equal(300);

    const me = await s.http.get('/api/admin/me', { token: res.body.access_token });
    expect(me.status).to.equal(200);
    expect(me.body).to.deep.equal(res.body.operator);
  });

  it('sets an HttpOnly, SameSite=Strict admin session cookie on /admin', async () => {
    const op = await createOperator(s, 'viewer');
    const res = await s.http.post('/api/admin/auth/login', { username: op.username, password: op.password });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).to.match(/^neon_admin_session=[^;]+;/);
    expect(cookie).to.match(/Path=\/admin/);
    expect(cookie).to.match(/HttpOnly/);
    expect(cookie).to.match(/SameSite=Strict/);
    expect(cookie).to.match(/Max-Age=300/);
  });

  it('refuses a player with 403 auth/forbidden, at login and at refresh', async () => {
    const u = await signup(s.http);
    const login = await s.http.post('/api/admin/auth/login', { username: u.username, password: u.password });
    expect(login.status).to.equal(403);
    expect(login.body.error).to.equal('auth/forbidden');
    const refresh = await s.http.post('/api/admin/auth/refresh', { refresh_token: u.refresh });
    expect(refresh.status).to.equal(403);
    expect(refresh.body.error).to.equal('auth/forbidden');
    // the player's refresh token was not spent by the refused attempt
    expect((await s.http.post('/api/auth/refresh', { refresh_token: u.refresh })).status).to.equal(200);
    const me = await s.http.get('/api/admin/me', { token: u.access });
    expect(me.status).to.equal(403);
    expect(me.body.error).to.equal('auth/forbidden');
  });

  it('answers 401 without a token and to a wrong password', async () => {
    expect((await s.http.get('/api/admin/me')).status).to.equal(401);
    const op = await createOperator(s, 'viewer');
    const res = await s.http.post('/api/admin/auth/login', { username: op.username, password: 'wrong password' });
    expect(res.status).to.equal(401);
    expect(res.body.error).to.equal('auth/invalid_credentials');
  });

  it('locks an operator out after repeated failures, like a player', async () => {
    const op = await createOperator(s, 'operator');
    for (let i = 0; i < 3; i++) await s.http.post('/api/admin/auth/login', { username: op.username, password: 'nope nope' });
    const res = await s.http.post('/api/admin/auth/login', { username: op.username, password: op.password });
    expect(res.status).to.equal(429);
    expect(res.body.error).to.equal('auth/locked');
  });

  it('refuses a banned or suspended operator', async () => {
    for (const status of ['banned', 'suspended']) {
      const op = await createOperator(s, 'admin');
      await s.orm.em.fork().getConnection().execute(`update users set status = ? where id = ?`, [status, op.id]);
      const res = await s.http.post('/api/admin/auth/login', { username: op.username, password: op.password });
      expect(res.status, status).to.equal(403);
      expect(res.body.error).to.equal('auth/account_disabled');
    }
  });

  it('rotates the refresh token with the admin lifetime, and logout ends the session', async () => {
    const op = await createOperator(s, 'admin');
    const refreshed = await s.http.post('/api/admin/auth/refresh', { refresh_token: op.refresh });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.expires_in).to.equal(300);
    expect(refreshed.body.operator.role).to.equal('admin');
    const token = refreshed.body.access_token;
    const out = await s.http.post('/api/admin/auth/logout', undefined, { token });
    expect(out.status).to.equal(204);
    expect(out.headers.get('set-cookie')).to.match(/neon_admin_session=;/);
    expect((await s.http.get('/api/admin/me', { token })).status).to.equal(401);
  });
});

describe('requireAdminSession (admin pages outside the API)', () => {
  let s: TestServer;
  let base: string;
  let close: () => void;
  before(async () => {
    s = await startTestServer('admin_session');
    const app = express();
    const requireAdminSession = adminSessionGuard(s.services.tokens);
    app.get('/admin/monitor', requireAdminSession('monitor:use'), (_req, res) => {
      res.send('monitor');
    });
    app.use(errorHandler(s.logger));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(async () => {
    close?.();
    await s?.stop();
  });

  it('answers 401 without a session, 403 without the permission, and lets the cookie or a Bearer token in', async () => {
    expect((await fetch(`${base}/admin/monitor`)).status).to.equal(401);
    const viewer = await createOperator(s, 'viewer');
    expect((await fetch(`${base}/admin/monitor`, { headers: { authorization: `Bearer ${viewer.access}` } })).status).to.equal(403);

    const op = await createOperator(s, 'operator');
    const login = await s.http.post('/api/admin/auth/login', { username: op.username, password: op.password });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const res = await fetch(`${base}/admin/monitor`, { headers: { cookie } });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('monitor');
    expect((await fetch(`${base}/admin/monitor`, { headers: { authorization: `Bearer ${op.access}` } })).status).to.equal(200);
  });
});
