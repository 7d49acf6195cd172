import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { expect } from 'chai';
import express from 'express';
import { ApiRouter, type Denial } from '../../server/http/api.ts';
import { errorHandler } from '../../server/http/middleware/error-handler.ts';
import { createOperator } from '../helpers/admin.ts';
import { HttpClient, signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** The `permission` of a route spec: authentication, 403 for a player or a role without it, documented 401/403. */
describe('admin guard (RouteSpec.permission)', () => {
  let s: TestServer;
  let http: HttpClient;
  let close: () => void;
  const registry = new OpenAPIRegistry();
  const denials: Denial[] = [];
  before(async () => {
    s = await startTestServer('admin_guard');
    const api = new ApiRouter(
      {
        registry,
        authenticate: (req) => s.services.tokens.verifyAccessToken(req.get('authorization')?.replace(/^Bearer /, '')),
        onDenied: async (d) => {
          denials.push(d);
        },
      },
      '/api',
    );
    api.route({ method: 'get', path: '/admin/things', summary: 'Things', permission: 'audit:read', responses: { 200: 'things' } }, () => ({
      status: 200,
      body: { ok: true },
    }));
    const app = express();
    app.use('/api', api.router);
    app.use(errorHandler(s.logger));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    http = new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    close = () => server.close();
  });
  after(async () => {
    close?.();
    await s?.stop();
  });

  it('answers 401 without a token, 403 auth/forbidden to a player and to a role without the permission', async () => {
    expect((await http.get('/api/admin/things')).status).to.equal(401);
    const player = await signup(s.http);
    const asPlayer = await http.get('/api/admin/things', { token: player.access });
    expect(asPlayer.status).to.equal(403);
    expect(asPlayer.body.error).to.equal('auth/forbidden');
    const viewer = await createOperator(s, 'viewer');
    expect((await http.get('/api/admin/things', { token: viewer.access })).status).to.equal(403);
    expect(denials.map((d) => [d.principal.role, d.permission, d.operationId])).to.deep.equal([
      ['player', 'audit:read', 'getAdminThings'],
      ['viewer', 'audit:read', 'getAdminThings'],
    ]);
  });

  it('lets a role holding the permission through', async () => {
    const support = await createOperator(s, 'support');
    const res = await http.get('/api/admin/things', { token: support.access });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ ok: true });
  });

  it('documents bearer auth, 401, 403, the tag `admin` and the permission', () => {
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
    });
    const op = doc.paths!['/api/admin/things'].get! as Record<string, unknown> & { responses: object };
    expect(op.tags).to.deep.equal(['admin']);
    expect(op.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(op.responses).to.have.keys('200', '401', '403');
    expect(op['x-permission']).to.equal('audit:read');
  });
});
