/// <reference lib="dom" />
// The console's shop, transactions and KPI pages in Debian's Chromium: an operator disables a product and a player's
// open shop drops it without a reload (catalog_update over the hub); a stale version is refused with a toast and the
// row reloads; a viewer sees the shop without edit controls; a purchase made through the API is found by its id on
// the Transactions page, paired; after some rounds the KPI page shows its cards, the RTP table and charts with data,
// live over the stream, without overflowing 1280×800.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, openGame, screenshot, waitForScene, adminPages } from '../helpers/browser.ts';

/** Nothing wider than the window (no horizontal scroll). */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('browser: admin shop, transactions and KPIs', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  const em = () => server.orm.em.fork() as EntityManager;
  const pages = adminPages(() => ({ browser, url: server.url }), { allow: /status of 409/ });
  const admin = pages.open;

  before(async () => {
    server = await startTestServer('browser_admin_ops');
    await seedProducts(em(), DEMO_CATALOG);
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('disables a product after a confirmation naming it; the player’s open shop drops it without a reload; a stale version is refused', async () => {
    const product = DEMO_CATALOG.find((p) => p.sku === 'xp_booster')!;
    const player = await signup(server.http, uniqueName('ops'));
    const game = await openGame(browser, server.url);
    await waitForScene(game.page, 'auth');
    await game.page.evaluate(
      (auth) => {
        localStorage.setItem('neon.auth', JSON.stringify(auth));
        location.hash = '#/shop';
      },
      { userId: player.userId, username: player.username, accessToken: player.access, refreshToken: player.refresh },
    );
    await game.page.reload();
    await waitForScene(game.page, 'shop');
    const card = game.page.getByTestId(`shop-card-${product.sku}`);
    await card.waitFor();
    await game.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const { page } = await admin(operator, '/admin/shop');
    expect(await page.getByTestId('nav-monitor').getAttribute('href')).to.equal('/admin/monitor');
    expect(await page.getByTestId('nav-queues').getAttribute('href')).to.equal('/admin/queues');
    await page.getByTestId(`product-${product.sku}`).waitFor();
    await page.getByTestId(`toggle-${product.sku}`).click();
    expect(await page.getByTestId('confirm-dialog').getByRole('heading').textContent()).to.equal(`Disable product ${product.name}?`);
    await page.getByTestId('confirm').click();
    await page
      .getByTestId('toast-success')
      .filter({ hasText: `${product.name} is disabled` })
      .waitFor();
    await page.waitForSelector(`[data-testid="toggle-${product.sku}"][aria-checked="false"]`);
    await card.waitFor({ state: 'detached', timeout: 5000 });
    expect(await game.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).to.equal(true);
    await screenshot(page, 'admin-shop-1280');

    // someone else edits it meanwhile: the row's version is stale, the toggle is refused, the row reloads
    const id = (await server.http.get('/api/admin/shop/products?limit=200', { token: operator.access })).body.items.find(
      (p: { sku: string }) => p.sku === product.sku,
    );
    const patched = await server.http.request('PATCH', `/api/admin/shop/products/${id.id}`, {
      body: { rank: id.rank + 1 },
      token: operator.access,
      headers: { ...writeHeaders(), 'if-match': String(id.version) },
    });
    expect(patched.status).to.equal(200);
    await page.getByTestId(`toggle-${product.sku}`).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('toast-error').filter({ hasText: 'changed by someone else' }).waitFor();
    await page.locator(`[data-testid="toggle-${product.sku}"][data-version="${patched.body.version}"]`).click();
    expect(await page.getByTestId('confirm-dialog').textContent()).to.include(`Version ${patched.body.version}`);
    await page.getByTestId('confirm').click();
    await page.waitForSelector(`[data-testid="toggle-${product.sku}"][aria-checked="true"]`);
    await card.waitFor({ timeout: 5000 });

    // the drawer's form edits the discount under the version it shows (If-Match)
    const ifMatch: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH') ifMatch.push(r.headers()['if-match'] ?? '');
    });
    await page.getByTestId(`product-${product.sku}`).click();
    const form = page.getByTestId('product-form');
    await form.getByLabel('Discount %').fill('30');
    await screenshot(page, 'admin-shop-edit-1280');
    await form.getByTestId('product-save').click();
    await page
      .getByTestId('toast-success')
      .filter({ hasText: `${product.name} saved` })
      .waitFor();
    expect(ifMatch).to.deep.equal([String(patched.body.version + 1)]);
    await page
      .getByTestId('drawer')
      .getByText(`version ${patched.body.version + 2}`)
      .first()
      .waitFor();
    await game.page.getByTestId(`badge-discount-${product.sku}`).filter({ hasText: '-30%' }).waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');

    // a new product, on sale at once, appears in the player's shop
    await page.getByTestId('product-new').click();
    const create = page.getByTestId('product-form');
    await create.getByLabel('SKU').fill('ops_gold_crate');
    await create.getByLabel('Name').fill('Ops Gold Crate');
    await create.getByLabel('Price', { exact: true }).fill('120');
    await create.getByLabel('Grants GOLD').fill('500');
    await create.getByTestId('product-save').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Ops Gold Crate created' }).waitFor();
    await page.getByTestId('product-ops_gold_crate').waitFor();
    await game.page.getByTestId('shop-card-ops_gold_crate').waitFor({ timeout: 5000 });
    expect(game.errors).to.deep.equal([]);
    await game.context.close();
  });

  it('shows a viewer the shop without edit controls', async () => {
    const { page } = await admin(viewer, '/admin/shop');
    await page.getByTestId('product-xp_booster').waitFor();
    expect(await page.locator('[data-testid^="toggle-"]').count()).to.equal(0);
    expect(await page.getByTestId('product-new').count()).to.equal(0);
    expect(await page.getByTestId('nav-monitor').count()).to.equal(0);
    await page.getByTestId('product-xp_booster').click();
    await page.getByTestId('product-facts').waitFor();
    expect(await page.getByTestId('product-form').count()).to.equal(0);
  });

  it('finds a purchase by its id on the Transactions page, paired, with its pair and data lag', async () => {
    const player = await signup(server.http, uniqueName('buy'));
    const bought = await server.http.post(
      '/api/shop/purchase',
      { sku: 'lucky_charm', quantity: 1 },
      { token: player.access, headers: { 'idempotency-key': `k-${Date.now()}` } },
    );
    expect(bought.status).to.equal(200);
    const purchaseId = bought.body.purchase_id as string;
    const { page } = await admin(viewer, '/admin/transactions');
    await page.getByLabel('Purchase id').fill(purchaseId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`purchase_id=${purchaseId}`));
    // the latest entries stay shown until the search's answer replaces them: that answer is one row
    await page.waitForFunction(
      () =>
        document.querySelector('table[aria-label="Ledger entries"]')?.getAttribute('aria-busy') === 'false' &&
        document.querySelectorAll('tbody tr').length === 1,
    );
    expect(await page.locator('tbody [data-testid="pairing-status"]').getAttribute('data-status')).to.equal('paired');
    await page.locator('tbody tr').first().click();
    const drawer = page.getByTestId('drawer');
    expect(await drawer.getByTestId('entry-pair').textContent()).to.include(purchaseId);
    expect(await drawer.getByTestId('pairing-status').textContent()).to.equal('paired');
    expect(await drawer.getByTestId('entry-lag').textContent()).to.include('Outbox published');
    await screenshot(page, 'admin-transactions-1280');
    await page.keyboard.press('Escape');
    await page.getByTestId('tab-reconciliation').click();
    await page.getByTestId('reconciliation-summary').waitFor();
    expect(await page.getByTestId('reconciliation-summary').textContent()).to.include('wallets');
    expect(await page.getByTestId('chain-summary').textContent()).to.match(/[\d,]+ wallet chains verified: every entry’s hash matches/);
    await screenshot(page, 'admin-reconciliation-1280');
    // one entry's actor changed behind the ledger's back: that wallet's chain is listed as broken at that entry
    const em = () => server.orm.em.fork() as EntityManager;
    const [last] = await em().execute<Array<{ id: string; actor: string }>>(
      `select id, actor from ledger_entries order by id desc limit 1`,
    );
    await em().execute(`update ledger_entries set actor = 'tampered' where id = ?`, [last.id]);
    try {
      await page.reload();
      const broken = page.getByTestId('broken-chains');
      await broken.waitFor();
      expect(await broken.locator('tbody tr').count()).to.equal(1);
      expect(await broken.locator('tbody tr').first().textContent())
        .to.include(`#${last.id}`)
        .and.include('hash_mismatch');
      await screenshot(page, 'admin-reconciliation-broken-1280');
    } finally {
      await em().execute(`update ledger_entries set actor = ? where id = ?`, [last.actor, last.id]);
    }
  });

  it('shows the KPI cards, realized vs theoretical RTP and charts with data after some rounds, live, within 1280×800', async () => {
    const u = await signup(server.http, uniqueName('kpi'));
    await server.services.wallet.apply([
      credit({ userId: u.userId, currency: 'GOLD', amount: 50_000, reason: 'admin_adjust', actor: 'test' }),
    ]);
    const sessionId = await server.services.games.openSession(u.userId, 'slot', 'kpi-room');
    for (let i = 0; i < 20; i++)
      await server.services.slot.spin({ userId: u.userId, sessionId, machine: SLOT_V1, betPerLine: SLOT_V1.betLevels[0] });

    const { page } = await admin(viewer, '/admin/kpis');
    await page.getByTestId('kpi-cards').waitFor();
    expect(Number((await page.getByTestId('kpi-wagered').locator('strong').textContent())!.replace(/\D/g, ''))).to.be.above(0);
    expect(await page.locator('[data-testid="kpi-games"] tr[data-game="slot"]').getAttribute('data-rtp-status')).to.be.oneOf([
      'inside',
      'outside',
    ]);
    await page.waitForSelector('[data-testid="chart"]:not([data-peak="0"]) canvas');
    expect(await page.getByTestId('chart').count()).to.equal(4);
    await page.waitForSelector('[data-testid="kpi-live"]:text("live")', { timeout: 10_000 });
    expect(await fitsWidth(page)).to.equal(true);
    await screenshot(page, 'admin-kpis-1280');
    await page.getByTestId('range-24h').click();
    await page.waitForURL(/range=24h/);
    await page.waitForSelector('[data-testid="chart"]:not([data-peak="0"]) canvas');
    expect(await fitsWidth(page)).to.equal(true);
    // the charts follow their container's width
    const before = (await page.locator('[data-testid="chart"] canvas').first().boundingBox())!.width;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForFunction((w) => document.querySelector('[data-testid="chart"] canvas')!.getBoundingClientRect().width > w, before);
    expect(await fitsWidth(page)).to.equal(true);
    await screenshot(page, 'admin-kpis-1920');
  });
});
