import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { signedHeaders, signWebhook } from '../../server/lib/webhook-signature.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { restartTestServer, signup, startTestServer, TEST_SECRETS, type TestServer } from '../helpers/test-server.ts';

let keySeq = 0;
const newKey = () => `test-key-${process.pid}-${++keySeq}-${Date.now()}`;

describe('shop and payments', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  const buy = (token: string, body: unknown, key: string | null = newKey()) =>
    s.http.post('/api/shop/purchase', body, { token, headers: key ? { 'idempotency-key': key } : {} });
  const webhook = (body: string, headers: Record<string, string>) =>
    s.http.request('POST', '/api/shop/webhook/payment', { raw: body, headers });

  before(async () => {
    s = await startTestServer('shop', { SHOP_HOLD_SECONDS: 1 });
    await seedProducts(em(), [
      ...DEMO_CATALOG,
      {
        sku: 'test_limited_10',
        name: 'Ten Only',
        description: '',
        kind: 'item',
        price: 5,
        priceCurrency: 'GOLD',
        grants: { currencies: {}, items: [{ item_id: 'ten-only', quantity: 1 }] },
        stock: 10,
        rank: 99,
      },
    ]);
  });
  after(async () => {
    await s?.stop();
  });

  it('shows the catalog with prices after discount, badges and what this player may do', async () => {
    const u = await signup(s.http);
    const res = await s.http.get('/api/shop/catalog', { token: u.access });
    expect(res.status).to.equal(200);
    const by = Object.fromEntries(res.body.products.map((p: { sku: string }) => [p.sku, p]));
    expect(by.xp_booster).to.include({ price: 400, discount_pct: 25, final_price: 300, can_buy: true });
    expect(by.starter_bundle).to.include({ one_time: true, owned: false });
    expect(by.lucky_charm.limited).to.deep.equal({ total: 10, remaining: 10 });
    expect(by.lucky_charm).to.include({ per_user_cap: 2, cap_left: 2 });
    expect(by.gem_pack_500).to.include({ currency: 'USD', final_price: 499 });
  });

  it('buys with GOLD: debit and grant in one transaction; the same key and body answers the same, even after a restart', async () => {
    const u = await signup(s.http);
    const key = newKey();
    const first = await buy(u.access, { sku: 'xp_booster', quantity: 2 }, key);
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({ status: 'succeeded', paid: { amount: 600, currency: 'GOLD' } });
    expect(first.body.balances.GOLD).to.equal(400);
    const again = await buy(u.access, { sku: 'xp_booster', quantity: 2 }, key);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');

    // a restarted server on the same database replays the stored answer too
    await s.stop();
    s = await restartTestServer(s.config);
    const after = await buy(u.access, { sku: 'xp_booster', quantity: 2 }, key);
    expect(after.body).to.deep.equal(first.body);
    const inv = await s.http.get('/api/inventory', { token: u.access });
    expect(inv.body.items.find((i: { item_id: string }) => i.item_id === 'xp-booster-1h')?.quantity).to.equal(2);
    const reuse = await buy(u.access, { sku: 'xp_booster', quantity: 1 }, key);
    expect(reuse.status).to.equal(409);
    expect(reuse.body.error).to.equal('idempotency/key_reuse');
    expect((await buy(u.access, { sku: 'xp_booster', quantity: 1 }, null)).body.error).to.equal('idempotency/key_missing');
  });

  it('the same key 20× in parallel makes one purchase and 20 identical responses', async () => {
    const u = await signup(s.http);
    const key = newKey();
    const responses = await Promise.all(Array.from({ length: 20 }, () => buy(u.access, { sku: 'xp_booster', quantity: 1 }, key)));
    expect(new Set(responses.map((r) => r.status))).to.deep.equal(new Set([200]));
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).to.equal(1);
    const [n] = await em().execute(`select count(*)::int as n from purchases where user_id = ?`, [u.userId]);
    expect(n.n).to.equal(1);
    expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(700);
  });

  it('sells a limited item of stock 10 to exactly 10 of 100 concurrent buyers', async () => {
    const users = [];
    for (let i = 0; i < 100; i++) users.push(await signup(s.http));
    const res = await Promise.all(users.map((u) => buy(u.access, { sku: 'test_limited_10', quantity: 1 })));
    expect(res.filter((r) => r.status === 200)).to.have.length(10);
    const refused = res.filter((r) => r.status !== 200);
    expect(refused).to.have.length(90);
    for (const r of refused) expect(r.body).to.include({ error: 'shop/sold_out' });
    const [p] = await em().execute(`select stock_remaining from products where sku = 'test_limited_10'`);
    expect(p.stock_remaining).to.equal(0);
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('sells a one-time bundle once even to eight parallel requests, and enforces per-player caps under parallel buys', async () => {
    const u = await signup(s.http);
    const tries = await Promise.all(Array.from({ length: 8 }, () => buy(u.access, { sku: 'starter_bundle', quantity: 1 })));
    expect(tries.map((r) => r.status).sort()).to.deep.equal([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of tries.filter((t) => t.status === 409)) expect(r.body.error).to.equal('shop/already_owned');
    const bal = await s.services.wallet.balances(em(), u.userId);
    expect(bal).to.deep.equal({ GOLD: 1000 - 300 + 100, GEM: 50 });
    // lucky_charm: at most 2 per player; 6 parallel single buys by another player → exactly 2 go through
    const v = await signup(s.http);
    const charms = await Promise.all(Array.from({ length: 6 }, () => buy(v.access, { sku: 'lucky_charm', quantity: 1 })));
    expect(charms.filter((r) => r.status === 200)).to.have.length(2);
    for (const r of charms.filter((t) => t.status !== 200)) expect(r.body).to.include({ error: 'shop/cap_reached' });
    expect((await buy(u.access, { sku: 'lucky_charm', quantity: 2 })).status).to.equal(200);
    const capped = await buy(u.access, { sku: 'lucky_charm', quantity: 1 });
    expect(capped.status).to.equal(409);
    expect(capped.body).to.include({ error: 'shop/cap_reached', cap_left: 0 });
  });

  it('answers 402 when the wallet is short, changing nothing', async () => {
    const u = await signup(s.http);
    const res = await buy(u.access, { sku: 'gold_pack_small', quantity: 1 });
    expect(res.status).to.equal(402);
    expect(res.body).to.include({ error: 'wallet/insufficient_funds' });
    expect(await s.services.wallet.balances(em(), u.userId)).to.deep.equal({ GOLD: 1000, GEM: 0 });
    const [n] = await em().execute(`select count(*)::int as n from purchases where user_id = ?`, [u.userId]);
    expect(n.n).to.equal(0);
  });

  describe('premium packs through the payment webhook', () => {
    async function pending(sku = 'gem_pack_500') {
      const u = await signup(s.http);
      const res = await buy(u.access, { sku, quantity: 1 });
      expect(res.status).to.equal(202);
      expect(res.body).to.include({ status: 'pending', currency: 'USD' });
      return { u, receipt: res.body.receipt_code as string, purchaseId: res.body.purchase_id as string };
    }
    const event = (receipt: string, status = 'success', id = `evt-${newKey()}`) =>
      JSON.stringify({ event_id: id, receipt_code: receipt, status });

    it('grants once on a signed success; a repeated event id returns the first result', async () => {
      const { u, receipt } = await pending();
      const body = event(receipt);
      const first = await webhook(body, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, body));
      expect(first.status).to.equal(200);
      expect(first.body).to.include({ purchase_status: 'succeeded', applied: true, duplicate: false });
      const retry = await webhook(body, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, body));
      expect(retry.status).to.equal(200);
      expect(retry.body).to.include({ duplicate: true, purchase_status: 'succeeded' });
      expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(550);
      const other = event(receipt, 'success');
      const late = await webhook(other, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, other));
      expect(late.body).to.include({ applied: false });
      expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(550);
    });

    it('rejects a bad signature (401), a stale timestamp (401) and a replayed nonce (409)', async () => {
      const { u, receipt } = await pending();
      const body = event(receipt);
      const good = signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, body);
      const forged = await webhook(body, {
        ...good,
        'x-signature': signWebhook('wrong-secret', good['x-timestamp'], good['x-nonce'], body),
      });
      expect(forged.status).to.equal(401);
      expect(forged.body.error).to.equal('payment/invalid_signature');
      const tampered = await webhook(body.replace('success', 'failed'), good);
      expect(tampered.status).to.equal(401);
      const stale = await webhook(body, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, body, Date.now() - 6 * 60 * 1000));
      expect(stale.status).to.equal(401);
      expect(stale.body.error).to.equal('payment/stale_timestamp');
      expect((await webhook(body, good)).status).to.equal(200);
      const replay = await webhook(body, good);
      expect(replay.status).to.equal(409);
      expect(replay.body.error).to.equal('payment/replayed_nonce');
      expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(550);
    });

    it('releases the held stock when the payment fails, and when the hold expires (BullMQ delayed job)', async () => {
      const stock = async () =>
        (await em().execute(`select stock_remaining from products where sku = 'gem_chest_limited'`))[0].stock_remaining as number;
      const before = await stock();
      const failedOne = await pending('gem_chest_limited');
      expect(await stock()).to.equal(before - 1);
      const body = event(failedOne.receipt, 'failed');
      expect((await webhook(body, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, body))).body).to.include({
        purchase_status: 'failed',
      });
      expect(await stock()).to.equal(before);

      const expiring = await pending('gem_chest_limited');
      expect(await stock()).to.equal(before - 1);
      const [row] = await eventually(
        () => em().execute(`select status from purchases where id = ?`, [expiring.purchaseId]),
        (r) => r[0]?.status === 'voided',
        10_000,
      );
      expect(row.status).to.equal('voided');
      expect(await stock()).to.equal(before);
      const late = event(expiring.receipt);
      const res = await webhook(late, signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, late));
      expect(res.body).to.include({ purchase_status: 'voided', applied: false });
      expect((await s.services.wallet.balances(em(), expiring.u.userId)).GEM).to.equal(0);
    });
  });

  it("pushes purchase_update and profile_update to the buyer's hub", async () => {
    const u = await signup(s.http);
    const hub = await joinAs(s.url, u.access, 'hub');
    const inbox = new Inbox(hub);
    try {
      const res = await buy(u.access, { sku: 'xp_booster', quantity: 1 });
      const update = await inbox.next('purchase_update');
      expect(update).to.include({ purchase_id: res.body.purchase_id, status: 'succeeded' });
      const profile = await inbox.next('profile_update');
      expect(profile.balances).to.deep.equal(res.body.balances);
      expect(profile.gold).to.equal(res.body.balances.GOLD);
    } finally {
      await hub.leave();
    }
  });

  it('lists purchases and inventory, and funds a GEM purchase', async () => {
    const u = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GEM', amount: 200, reason: 'admin_adjust' })]);
    const res = await buy(u.access, { sku: 'gold_pack_big', quantity: 1 });
    expect(res.status).to.equal(200);
    expect(res.body.paid).to.deep.equal({ amount: 180, currency: 'GEM' });
    expect(res.body.balances).to.deep.equal({ GOLD: 7000, GEM: 20 });
    const list = await s.http.get('/api/shop/purchases', { token: u.access });
    expect(list.body.purchases.map((p: { sku: string }) => p.sku)).to.deep.equal(['gold_pack_big']);
  });
});
