// The gacha and the shop in a real browser (Debian Chromium, WebGL): pulls on the standard banner revealed card by
// card, checked against the committed round, the wallet and the stored pity; a refused pull on the GEM banner; a
// hard-pity legendary and another player's legendary announced; shop
// purchases with GOLD (a quantity, a one-time product that then shows as owned) and a premium USD pack paid through the
// test payment provider dialog. Every shown balance is compared with GET /api/wallet.
/// <reference lib="dom" />
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { RARITIES } from '../../domain/games/gacha/banners.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import {
  canvasColours,
  hookInfo,
  launchBrowser,
  openGame,
  pageAuth,
  renderer,
  screenshot,
  screenshotIfFailed,
  shownGold,
  waitForScene,
  type GamePage,
} from '../helpers/browser.ts';

describe('browser: gacha and shop', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let g: GamePage;
  let player: Awaited<ReturnType<typeof signup>>;
  const em = () => server.orm.em.fork() as EntityManager;

  before(async () => {
    server = await startTestServer('browser_shop_gacha');
    await seedProducts(em(), DEMO_CATALOG);
    player = await signup(server.http, uniqueName('sg'));
    // 1,000 GOLD from signing up + 4,000: enough for a 1× and a 10× pull and the GOLD products
    await server.services.wallet.apply([
      credit({ userId: player.userId, currency: 'GOLD', amount: 4000, reason: 'admin_adjust', actor: 'test' }),
    ]);
    browser = await launchBrowser();
    g = await openGame(browser, server.url);
    await waitForScene(g.page, 'auth');
    // log in as that player the way a returning player is: tokens in localStorage before the app starts
    await g.page.evaluate(
      (auth) => {
        localStorage.setItem('neon.auth', JSON.stringify(auth));
        location.hash = '#/gacha';
      },
      { userId: player.userId, username: player.username, accessToken: player.access, refreshToken: player.refresh },
    );
    await g.page.reload();
  });
  after(async () => {
    await g?.context.close();
    await browser?.close();
    await server?.stop();
  });
  afterEach(async function () {
    expect(g.errors, 'page errors / console.error').to.deep.equal([]);
    await screenshotIfFailed(this.currentTest, g.page);
  });

  const token = async () => (await pageAuth(g.page)).accessToken;
  const wallet = async () =>
    (await server.http.get('/api/wallet', { token: await token() })).body.balances as { GOLD: number; GEM: number };
  const shownGem = async (page: Page) =>
    Number(((await page.getByTestId('balance-gem').first().textContent()) ?? '').replace(/[^\d]/g, ''));
  const shownPity = async (page: Page) => Number(await page.getByTestId('gacha-pity').textContent());
  const storedPity = async (banner: string) => {
    const rows = await em().execute<{ state: { sinceTop: number } | string }[]>(
      'select state from gacha_pity where user_id = ? and banner_id = ?',
      [player.userId, banner],
    );
    if (!rows.length) return 0;
    const state = typeof rows[0].state === 'string' ? JSON.parse(rows[0].state) : rows[0].state;
    return state.sinceTop as number;
  };
  const waitPulls = (page: Page, n: number) =>
    page.waitForFunction((k) => (window as any).__neon.info.pulls === k && (window as any).__neon.info.pulling === false, n);

  /** The shown rarities, pity and balance after a pull equal the committed round, the stored pity and the wallet. */
  async function checkPull(page: Page, count: number) {
    const rarities = (await hookInfo<string>(page, 'lastRarities')).split(',');
    expect(rarities).to.have.length(count);
    for (const r of rarities) expect(RARITIES).to.include(r);
    const round = (await server.http.get(`/api/fairness/rounds/${await hookInfo<string>(page, 'lastRound')}`)).body;
    expect(round.game).to.equal('gacha');
    expect(round.outcome.pulls.map((p: { rarity: string }) => p.rarity)).to.deep.equal(rarities);
    const rows = page.getByTestId('gacha-results').locator('[data-rarity]');
    expect(await rows.count()).to.equal(count);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-rarity')))).to.deep.equal(rarities);
    const pity = await shownPity(page);
    expect(pity).to.equal(round.outcome.pity_after);
    expect(pity).to.equal(await storedPity('neon-standard'));
    expect(await shownGold(page)).to.equal((await wallet()).GOLD);
    if (round.outcome.converted.shards > 0) {
      expect(await page.getByTestId('gacha-converted').textContent()).to.include(
        `${round.outcome.converted.shards.toLocaleString('en-US')} shard`,
      );
    }
  }

  it('gacha: a 1× pull on the standard banner reveals the committed round; GOLD and pity are the server’s', async () => {
    const { page } = g;
    await waitForScene(page, 'gacha');
    await page.waitForSelector('body[data-info-banner="neon-standard"]');
    expect(await renderer(page)).to.equal('WEBGL');
    expect(await shownPity(page)).to.equal(await storedPity('neon-standard'));
    expect(await page.getByTestId('gacha-rate-legendary').textContent()).to.include('0.60%');
    expect(await shownGold(page)).to.equal(5000);
    await screenshot(page, 'gacha-start');

    await page.getByTestId('gacha-pull-1').click();
    await waitPulls(page, 1);
    await checkPull(page, 1);
  });

  it('gacha: a 10× pull from the keyboard (Escape fast-forwards the reveal) deals ten cards; the screenshot shows them', async () => {
    const { page } = g;
    await page.keyboard.press('0');
    await page.keyboard.press('Escape');
    await waitPulls(page, 2);
    await checkPull(page, 10);
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, 'gacha');
  });

  it('gacha: the GEM banner joins its own room and refuses a pull the player cannot afford, with a clear message', async () => {
    const { page } = g;
    await page.getByTestId('gacha-tab-cyber-premium').click();
    await page.waitForSelector('body[data-info-banner="cyber-premium"]');
    expect(await page.getByTestId('gacha-tab-cyber-premium').getAttribute('aria-selected')).to.equal('true');
    expect(await page.getByTestId('gacha-rate-legendary').textContent()).to.include('1.0%');
    expect(await shownPity(page)).to.equal(await storedPity('cyber-premium'));
    await page.keyboard.press('1');
    await page
      .getByTestId('gacha-error')
      .filter({ hasText: /Not enough GEM: this pull costs 160 GEM and you have 0/ })
      .waitFor();
    await page.waitForFunction(() => (window as any).__neon.info.pulling === false);
    expect(await hookInfo(page, 'pulls')).to.equal(2);
    expect(await shownGem(page)).to.equal((await wallet()).GEM);
    await screenshot(page, 'gacha-refused');
    // back with the keyboard: the banner tabs follow the arrow keys
    await page.getByTestId('gacha-tab-cyber-premium').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('body[data-info-banner="neon-standard"]');
    expect(await page.getByTestId('gacha-tab-neon-standard').getAttribute('aria-selected')).to.equal('true');
    expect(await shownPity(page)).to.equal(await storedPity('neon-standard'));
  });

  it('gacha: at hard pity the pull is legendary (it glows, pity resets); another player’s legendary is announced', async () => {
    const { page } = g;
    // 89 pulls without a legendary, stored as the server keeps it: the next pull is the 90th, always legendary
    const setPity = (userId: string, n: number) =>
      em().execute(
        `insert into gacha_pity (user_id, banner_id, state, pulls, updated_at) values (?, 'neon-standard', ?, ?, now())
       on conflict (user_id, banner_id) do update set state = excluded.state`,
        [userId, JSON.stringify({ sinceTop: n }), n],
      );
    await setPity(player.userId, 89);
    await page.keyboard.press('1');
    await page.mouse.click(640, 560); // a click on the stage fast-forwards the reveal (harmless once it is over)
    await waitPulls(page, 3);
    expect(await hookInfo(page, 'lastRarities')).to.equal('legendary');
    await checkPull(page, 1);
    expect(await shownPity(page)).to.equal(0);
    await page.getByTestId('gacha-legendaries').filter({ hasText: player.username }).waitFor();
    await screenshot(page, 'gacha-legendary');

    const other = await signup(server.http, uniqueName('sg2'));
    await setPity(other.userId, 89);
    const room = await joinAs(server.url, other.access, 'gacha', { banner: 'neon-standard' });
    try {
      const inbox = new Inbox(room);
      await inbox.next('banner');
      room.send('pull', { count: 1, ref: 'x' });
      const result = await inbox.next('pull_result', (m) => m.ref === 'x');
      expect(result.pulls[0].rarity).to.equal('legendary');
      await page
        .getByTestId('toast-reward')
        .filter({ hasText: `${other.username} pulled a legendary` })
        .waitFor();
      await page.getByTestId('gacha-legendaries').filter({ hasText: other.username }).waitFor();
    } finally {
      await room.leave();
    }
  });

  it('shop: buys GOLD products (one with a quantity); balances equal the API and the items are in the inventory', async () => {
    const { page } = g;
    await page.getByTestId('nav-shop').click();
    await waitForScene(page, 'shop');
    const cards = page.getByTestId('shop-catalog').locator('article');
    expect(await cards.count()).to.equal(DEMO_CATALOG.length);
    expect(await page.getByTestId('badge-discount-xp_booster').textContent()).to.equal('-25%');
    expect(await page.getByTestId('badge-once-starter_bundle').isVisible()).to.equal(true);
    expect(await page.getByTestId('badge-limited-lucky_charm').textContent()).to.match(/10\/10 left/);
    expect(await page.getByTestId('badge-bonus-gem_pack_500').textContent()).to.include('50 GEM');
    expect(await shownGold(page)).to.equal((await wallet()).GOLD);

    await page.getByTestId('shop-buy-xp_booster').click();
    await page.waitForSelector('[data-testid="shop-card-xp_booster"][data-state="success"]');
    expect(await shownGold(page)).to.equal((await wallet()).GOLD);
    const inventory = async () =>
      (await server.http.get('/api/inventory', { token: await token() })).body.items as Array<{ item_id: string; quantity: number }>;
    expect((await inventory()).find((i) => i.item_id === 'xp-booster-1h')?.quantity).to.equal(1);
    await page.getByTestId('item-xp-booster-1h').waitFor();

    await page.getByTestId('shop-qty-lucky_charm').fill('2');
    await page.getByTestId('shop-buy-lucky_charm').click();
    await page.waitForSelector('[data-testid="shop-card-lucky_charm"][data-state="success"][data-can-buy="false"]');
    expect(await page.getByTestId('shop-buy-lucky_charm').isDisabled()).to.equal(true);
    expect(await page.getByTestId('shop-buy-lucky_charm').textContent()).to.equal('Limit reached');
    expect(await page.getByTestId('badge-limited-lucky_charm').textContent()).to.match(/8\/10 left/);
    expect((await inventory()).find((i) => i.item_id === 'lucky-charm')?.quantity).to.equal(2);
    expect(await shownGold(page)).to.equal((await wallet()).GOLD);
  });

  it('shop: a one-time product bought once then shows as owned and cannot be bought again', async () => {
    const { page } = g;
    await page.getByTestId('shop-buy-starter_bundle').click();
    await page.waitForSelector('[data-testid="shop-card-starter_bundle"][data-owned="true"]');
    expect(await page.getByTestId('shop-buy-starter_bundle').isDisabled()).to.equal(true);
    expect(await page.getByTestId('badge-owned-starter_bundle').isVisible()).to.equal(true);
    expect(await page.getByTestId('shop-status-starter_bundle').textContent()).to.match(/Bought/);
    const catalog = (await server.http.get('/api/shop/catalog', { token: await token() })).body.products as Array<{
      sku: string;
      owned: boolean;
      can_buy: boolean;
      reason: string;
    }>;
    expect(catalog.find((p) => p.sku === 'starter_bundle')).to.include({ owned: true, can_buy: false, reason: 'already_owned' });
    const w = await wallet();
    expect(await shownGold(page)).to.equal(w.GOLD);
    expect(await shownGem(page)).to.equal(w.GEM);
    expect(w.GEM).to.equal(50);
  });

  it('shop: a premium USD pack goes pending, is paid in the test payment provider, and the GEM shown is the API’s', async () => {
    const { page } = g;
    await page.getByTestId('shop-buy-gem_pack_500').click();
    const dialog = page.getByTestId('pay-sim');
    await dialog.waitFor();
    await page.waitForSelector('[data-testid="shop-card-gem_pack_500"][data-state="pending"]');
    const receipt = (await page.getByTestId('pay-sim-receipt').textContent())!;
    expect(receipt).to.match(/^R[0-9A-F]{16}$/);
    const purchases = async () =>
      (await server.http.get('/api/shop/purchases', { token: await token() })).body.purchases as Array<{
        sku: string;
        status: string;
        receipt_code: string | null;
      }>;
    expect((await purchases()).find((p) => p.receipt_code === receipt)?.status).to.equal('pending');
    await page.locator(`[data-testid="shop-history"] [data-sku="gem_pack_500"][data-status="pending"]`).waitFor();
    expect(await shownGem(page)).to.equal(50);
    await screenshot(page, 'shop-payment');

    // the Pay button has the focus: the keyboard pays
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="pay-sim"][data-state="succeeded"]');
    expect((await purchases()).find((p) => p.receipt_code === receipt)?.status).to.equal('succeeded');
    const w = await wallet();
    expect(w.GEM).to.equal(50 + 550);
    expect(await shownGem(page)).to.equal(w.GEM);
    expect(await shownGold(page)).to.equal(w.GOLD);
    await page.waitForSelector('[data-testid="shop-card-gem_pack_500"][data-state="success"]');
    await page.locator(`[data-testid="shop-history"] [data-sku="gem_pack_500"][data-status="succeeded"]`).waitFor();
    await page.getByTestId('pay-sim-close').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, 'shop');
  });
});
