import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('admin: shop products', function () {
  this.timeout(60_000);
  let s: TestServer;
  let operator: TestOperator;
  let viewer: TestOperator;
  let admin: TestOperator;
  const em = () => s.orm.em.fork() as EntityManager;
  const send = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.http.request(method, path, { token, body, headers: { ...writeHeaders(), ...headers } });
  const productBySku = async (sku: string) => {
    const all = await s.http.get('/api/admin/shop/products?limit=200', { token: operator.access });
    return all.body.items.find((p: { sku: string }) => p.sku === sku);
  };

  before(async () => {
    s = await startTestServer('admin_shop');
    await seedProducts(em(), DEMO_CATALOG);
    operator = await createOperator(s, 'operator');
    viewer = await createOperator(s, 'viewer');
    admin = await createOperator(s, 'admin');
  });
  after(async () => {
    await s?.stop();
  });

  it('lists every product, inactive ones too, with keyset paging', async () => {
    const first = await s.http.get('/api/admin/shop/products?limit=2', { token: viewer.access });
    expect(first.status).to.equal(200);
    expect(first.body.items).to.have.length(2);
    expect(first.body.next_cursor).to.be.a('string');
    const second = await s.http.get(`/api/admin/shop/products?limit=2&cursor=${first.body.next_cursor}`, { token: viewer.access });
    expect(second.body.items[0].id).to.not.equal(first.body.items[1].id);
    const one = await s.http.get(`/api/admin/shop/products/${first.body.items[0].id}`, { token: viewer.access });
    expect(one.body).to.deep.equal(first.body.items[0]);
    expect(one.body.price).to.be.a('number');
    expect((await s.http.get('/api/admin/shop/products?cursor=nope', { token: viewer.access })).status).to.equal(400);
  });

  it('toggle: 200 changed (the player shop drops it, hubs hear catalog_update), 403 role, 404 unknown, 409 stale version', async () => {
    const player = await signup(s.http);
    const hub = await joinAs(s.url, player.access, 'hub');
    const inbox = new Inbox(hub);
    await inbox.next('welcome');
    const p = await productBySku('xp_booster');
    const catalog = async () =>
      (await s.http.get('/api/shop/catalog', { token: player.access })).body.products.map((x: { sku: string }) => x.sku) as string[];
    expect(await catalog()).to.include('xp_booster');

    const off = await send(
      'POST',
      `/api/admin/shop/products/${p.id}/active`,
      operator.access,
      { active: false },
      { 'if-match': `"${p.version}"` },
    );
    expect(off.status).to.equal(200);
    expect(off.body.changed).to.equal(true);
    expect(off.body.product).to.include({ active: false, version: p.version + 1 });
    expect(await catalog()).to.not.include('xp_booster');
    const audit = await s.http.get(`/api/admin/audit?action=shop.product.deactivate&target=${p.id}`, { token: admin.access });
    expect(audit.body.items).to.have.length(1);
    expect(audit.body.items[0]).to.include({ actor_id: operator.id, target_type: 'product', target_id: p.id, result: 'ok' });
    expect([audit.body.items[0].before.active, audit.body.items[0].after.active]).to.deep.equal([true, false]);
    const pushed = await inbox.next('catalog_update', (m) => m.sku === 'xp_booster');
    expect(pushed.version).to.equal(p.version + 1);
    await hub.leave();

    // the same version again is stale now; a repeat without If-Match changes nothing
    const stale = await send(
      'POST',
      `/api/admin/shop/products/${p.id}/active`,
      operator.access,
      { active: true },
      { 'if-match': String(p.version) },
    );
    expect(stale.status).to.equal(409);
    expect(stale.body).to.include({ error: 'shop/stale_version', current_version: p.version + 1 });
    const again = await send(
      'POST',
      `/api/admin/shop/products/${p.id}/active`,
      operator.access,
      { active: false },
      { 'idempotency-key': 'toggle-1' },
    );
    expect(again.body.changed).to.equal(false);
    const replay = await send(
      'POST',
      `/api/admin/shop/products/${p.id}/active`,
      operator.access,
      { active: false },
      { 'idempotency-key': 'toggle-1' },
    );
    expect(replay.headers.get('idempotency-status')).to.equal('replayed');
    expect(replay.body).to.deep.equal(again.body);
    const keyless = await s.http.post(`/api/admin/shop/products/${p.id}/active`, { active: true }, { token: operator.access });
    expect(keyless.status).to.equal(400);

    const denied = await send('POST', `/api/admin/shop/products/${p.id}/active`, viewer.access, { active: true });
    expect(denied.status).to.equal(403);
    expect(denied.body.error).to.equal('auth/forbidden');
    const unknown = await send('POST', '/api/admin/shop/products/00000000-0000-4000-8000-000000000000/active', operator.access, {
      active: true,
    });
    expect(unknown.status).to.equal(404);
    expect((await send('POST', `/api/admin/shop/products/${p.id}/active`, player.access, { active: true })).status).to.equal(403);

    const on = await send('POST', `/api/admin/shop/products/${p.id}/active`, operator.access, { active: true });
    expect(on.body.changed).to.equal(true);
    expect(await catalog()).to.include('xp_booster');
  });

  it('creates and edits products: discount clamped to 90 %, stock keeps what was sold, bad input names the field', async () => {
    const created = await send('POST', '/api/admin/shop/products', operator.access, {
      sku: 'admin_pack',
      name: 'Admin Pack',
      kind: 'currency_pack',
      price: 1000,
      currency: 'GOLD',
      discount_pct: 99,
      grants: { currencies: { GEM: 5 } },
      stock_total: 10,
      per_user_cap: 3,
      rank: 500,
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({
      sku: 'admin_pack',
      discount_pct: 90,
      final_price: 100,
      stock_total: 10,
      stock_remaining: 10,
      active: true,
    });
    const id = created.body.id;
    await em().execute('update products set stock_remaining = 7 where id = ?', [id]); // three sold

    const edited = await send('PATCH', `/api/admin/shop/products/${id}`, operator.access, {
      price: 2000,
      discount_pct: -5,
      stock_total: 20,
      bonus: { GOLD: 50 },
      one_time: true,
      sale_starts_at: '2026-01-01T00:00:00Z',
      sale_ends_at: '2030-01-01T00:00:00Z',
    });
    expect(edited.status).to.equal(200);
    expect(edited.body).to.include({ price: 2000, discount_pct: 0, stock_total: 20, stock_remaining: 17, one_time: true });
    expect(edited.body.bonus).to.deep.equal({ GOLD: 50 });
    expect(edited.body.sale_ends_at).to.equal('2030-01-01T00:00:00.000Z');

    const player = await signup(s.http);
    const entry = (await s.http.get('/api/shop/catalog', { token: player.access })).body.products.find(
      (x: { sku: string }) => x.sku === 'admin_pack',
    );
    expect(entry).to.include({ price: 2000, one_time: true });

    const bad = await send('PATCH', `/api/admin/shop/products/${id}`, operator.access, { price: 0 });
    expect(bad.status).to.equal(400);
    expect(bad.body.issues[0].path).to.equal('body.price');
    const window = await send('PATCH', `/api/admin/shop/products/${id}`, operator.access, { sale_ends_at: '2025-01-01T00:00:00Z' });
    expect(window.status).to.equal(400);
    expect(window.body.issues[0].path).to.equal('body.sale_ends_at');
    const taken = await send('POST', '/api/admin/shop/products', operator.access, { ...created.body, id: undefined });
    expect(taken.status).to.equal(400);
    const dup = await send('POST', '/api/admin/shop/products', operator.access, {
      sku: 'admin_pack',
      name: 'Again',
      kind: 'item',
      price: 5,
      currency: 'GEM',
      grants: {},
    });
    expect(dup.status).to.equal(400);
    expect(dup.body.issues[0].path).to.equal('body.sku');
    const staleEdit = await send('PATCH', `/api/admin/shop/products/${id}`, operator.access, { rank: 1 }, { 'if-match': '1' });
    expect(staleEdit.status).to.equal(409);
  });
});
