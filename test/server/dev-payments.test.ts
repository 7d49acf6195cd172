// The development payment provider endpoint (server/http/routes/dev-payments.routes.ts): it completes the caller's own
// pending USD purchase through the signed-webhook path, pushes the result to the buyer's hub, and does not exist in
// production. The route is mounted here on its own ApiRouter over the real services of a test server, so the test does
// not depend on how app.ts wires it.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { ApiRouter } from '../../server/http/api.ts';
import { errorHandler, notFound } from '../../server/http/middleware/error-handler.ts';
import { devPaymentRoutes } from '../../server/http/routes/dev-payments.routes.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';
import { HttpClient, signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('dev payment provider endpoint', function () {
  this.timeout(60_000);
  let s: TestServer;
  const listeners: Server[] = [];
  const em = () => s.orm.em.fork() as EntityManager;
  let keySeq = 0;

  /** An app holding only the dev route (and the API's error handling), for a config with this NODE_ENV. */
  async function mount(nodeEnv: 'development' | 'test' | 'production'): Promise<{ http: HttpClient; registered: boolean }> {
    const api = new ApiRouter(
      {
        registry: new OpenAPIRegistry(),
        authenticate: (req) => s.services.tokens.verifyAccessToken(req.get('authorization')?.replace(/^Bearer\s+/i, '')),
      },
      '/api',
    );
    const registered = devPaymentRoutes(api, {
      config: { ...s.config, NODE_ENV: nodeEnv },
      shop: s.services.shop,
      payments: s.services.payments,
    });
    const app = express();
    app.use('/api', express.json());
    app.use('/api', api.router);
    app.use(notFound);
    app.use(errorHandler(s.logger));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    listeners.push(server);
    return { http: new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), registered };
  }

  async function pendingPurchase(sku = 'gem_pack_500') {
    const u = await signup(s.http);
    const res = await s.http.post(
      '/api/shop/purchase',
      { sku, quantity: 1 },
      { token: u.access, headers: { 'idempotency-key': `dev-pay-${process.pid}-${++keySeq}` } },
    );
    expect(res.status).to.equal(202);
    return { u, receipt: res.body.receipt_code as string, purchaseId: res.body.purchase_id as string };
  }
  const statusOf = async (id: string) => (await em().execute(`select status from purchases where id = ?`, [id]))[0].status as string;
  const gem = async (userId: string) => (await s.services.wallet.balances(em(), userId)).GEM;

  before(async () => {
    s = await startTestServer('devpay');
    await seedProducts(em(), DEMO_CATALOG);
  });
  after(async () => {
    for (const l of listeners) l.close();
    await s?.stop();
  });

  it('pays a pending purchase once through the signed webhook and pushes purchase_update to the buyer', async () => {
    const { http, registered } = await mount('test');
    expect(registered).to.equal(true);
    const { u, receipt, purchaseId } = await pendingPurchase();
    const hub = await joinAs(s.url, u.access, 'hub');
    const inbox = new Inbox(hub);
    try {
      const res = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'success' }, { token: u.access });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ purchase_id: purchaseId, purchase_status: 'succeeded', applied: true, duplicate: false });
      expect(res.body.event_id).to.match(/^evt_dev_/);
      expect(await statusOf(purchaseId)).to.equal('succeeded');
      expect(await gem(u.userId)).to.equal(550);
      const push = await inbox.next('purchase_update', (p) => p.status === 'succeeded');
      expect(push).to.include({ purchase_id: purchaseId, sku: 'gem_pack_500' });
      expect(push.balances.GEM).to.equal(550);

      // a second completion is a new provider event for a purchase that is no longer pending: nothing more is granted
      const again = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'success' }, { token: u.access });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({ purchase_status: 'succeeded', applied: false });
      expect(await gem(u.userId)).to.equal(550);
      const [events] = await em().execute(`select count(*)::int as n from payment_events where receipt_code = ?`, [receipt]);
      expect(events.n).to.equal(2);
    } finally {
      await hub.leave();
    }
  });

  it('declines a pending purchase: failed, nothing granted, limited stock returned', async () => {
    const { http } = await mount('development');
    const stock = async () =>
      (await em().execute(`select stock_remaining from products where sku = 'gem_chest_limited'`))[0].stock_remaining as number;
    const before = await stock();
    const { u, receipt, purchaseId } = await pendingPurchase('gem_chest_limited');
    expect(await stock()).to.equal(before - 1);
    const res = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'failed' }, { token: u.access });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ purchase_status: 'failed', applied: true });
    expect(await statusOf(purchaseId)).to.equal('failed');
    expect(await gem(u.userId)).to.equal(0);
    expect(await stock()).to.equal(before);
  });

  it("only completes the caller's own receipts, needs a login and a valid status", async () => {
    const { http } = await mount('test');
    const { u, receipt, purchaseId } = await pendingPurchase();
    const stranger = await signup(s.http);
    const other = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'success' }, { token: stranger.access });
    expect(other.status).to.equal(404);
    expect(other.body.error).to.equal('payment/unknown_receipt');
    const unknown = await http.post('/api/dev/payments/RNOSUCHRECEIPT/complete', { status: 'success' }, { token: stranger.access });
    expect(unknown.status).to.equal(404);
    const anonymous = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'success' });
    expect(anonymous.status).to.equal(401);
    const bad = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'maybe' }, { token: u.access });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('request/invalid');
    expect(await statusOf(purchaseId)).to.equal('pending');
  });

  it('does not exist in production', async () => {
    const { http, registered } = await mount('production');
    expect(registered).to.equal(false);
    const { u, receipt, purchaseId } = await pendingPurchase();
    const res = await http.post(`/api/dev/payments/${receipt}/complete`, { status: 'success' }, { token: u.access });
    expect(res.status).to.equal(404);
    expect(res.body.error).to.equal('resource/not_found');
    expect(await statusOf(purchaseId)).to.equal('pending');
    expect(await gem(u.userId)).to.equal(0);
  });
});
