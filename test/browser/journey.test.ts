// The player's journey in a real browser (Debian Chromium, WebGL): sign up, lobby, slot, crash, a mission claimed,
// a purchase, the inventory, and a past round verified on the fairness page. Each step checks the shown numbers
// against the API, and every test checks the renderer, page errors and a non-blank canvas.
/// <reference lib="dom" />
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../../server/db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../../server/db/seeders/seed-data.ts';
import { startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
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

describe('browser: a new player’s journey', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let g: GamePage;
  const username = uniqueName('web');
  const password = 'correct horse battery';
  let slotRound = '';

  before(async () => {
    server = await startTestServer('browser_journey', { CRASH_BETTING_MS: 2500, CRASH_PAUSE_MS: 500, CRASH_TIME_SCALE: 4 });
    const em = server.orm.em.fork();
    await seedProducts(em, DEMO_CATALOG);
    await seedLiveOps(em, DEMO_EVENTS, DEMO_MISSIONS, new Date());
    browser = await launchBrowser();
    g = await openGame(browser, server.url);
  });
  after(async () => {
    await g?.context.close();
    await browser?.close();
    await server?.stop();
  });
  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, g.page);
    expect(g.errors, 'page errors / console.error').to.deep.equal([]);
    expect(await renderer(g.page)).to.equal('WEBGL');
    expect(await canvasColours(g.page), 'distinct colours on the canvas').to.be.greaterThan(20);
  });

  const token = async () => (await pageAuth(g.page)).accessToken;
  const walletGold = async () => (await server.http.get('/api/wallet', { token: await token() })).body.balances.GOLD as number;

  it('shows a loading bar while the art loads', async () => {
    const { page } = g;
    await waitForScene(page, 'auth');
    // the first load happened before this test could look; reload with the art slowed down to watch the bar
    await page.route('**/assets/sym-*.svg', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.reload();
    await page.waitForFunction(() => {
      const n = (window as any).__neon;
      return n.scene === 'preload' && n.info.loadProgress > 0 && n.info.loadProgress < 100;
    });
    await screenshot(page, '00-loading');
    await waitForScene(page, 'auth');
    await page.unroute('**/assets/sym-*.svg');
  });

  it('signs up and lands in the lobby with 1000 GOLD, on WebGL, with a drawn canvas', async () => {
    const { page } = g;
    await waitForScene(page, 'auth');
    expect(await renderer(page)).to.equal('WEBGL');
    await screenshot(page, '01-login');
    await page.getByTestId('tab-signup').click();
    await page.getByLabel('Username').fill('x');
    await page.getByLabel('Password').fill('short');
    await page.getByTestId('auth-submit').click();
    await page
      .getByTestId('auth-error')
      .filter({ hasText: /username|password/i })
      .waitFor();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter');
    await waitForScene(page, 'lobby');
    expect(await shownGold(page)).to.equal(1000);
    await page.getByTestId('missions').getByTestId('mission-d_play_2').waitFor();
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, '02-lobby');
  });

  it('plays three slot spins; after each the shown balance equals GET /api/wallet', async () => {
    const { page } = g;
    await page.getByTestId('play-slot').click();
    await waitForScene(page, 'slot');
    for (let i = 1; i <= 3; i++) {
      if (i === 2) await page.keyboard.press('Space');
      else await page.getByTestId('slot-spin').click();
      await page.waitForFunction((n) => (window as any).__neon.info.spins === n && (window as any).__neon.info.spinning === false, i);
      expect(await shownGold(page)).to.equal(await walletGold());
    }
    slotRound = await hookInfo<string>(page, 'lastRound');
    expect(slotRound).to.match(/^[0-9a-f-]{36}$/);
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, '03-slot');
  });

  it('reloading mid-game rejoins the same slot seat and the hub', async () => {
    const { page } = g;
    await page.reload();
    await waitForScene(page, 'slot');
    await page.waitForSelector('body[data-hub="true"]');
    await page.getByTestId('slot-spin').click();
    await page.waitForFunction(() => (window as any).__neon.info.spins === 1 && (window as any).__neon.info.spinning === false);
    expect(await shownGold(page)).to.equal(await walletGold());
    const sessions = (await server.http.get('/api/games/sessions/recent', { token: await token() })).body.sessions as Array<{
      game: string;
      rounds: number;
      status: string;
    }>;
    // four paid spins, and the free spins any of them won (each is a round): the same open session before and after
    const [played] = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ paid: number; all: number }>>(
        `select count(*) filter (where r.bet > 0)::int as paid, count(*)::int as "all"
           from game_rounds r join users u on u.id = r.user_id where u.username = ? and r.game = 'slot'`,
        [username],
      );
    expect(played.paid).to.equal(4);
    expect(sessions.map((s) => [s.game, s.status, s.rounds])).to.deep.equal([['slot', 'open', played.all]]);
  });

  it('bets on crash and cashes out while the curve rises; the balance shown is the server’s', async () => {
    const { page } = g;
    await page.getByTestId('nav-crash').click();
    await waitForScene(page, 'crash');
    const info = (k: string) => hookInfo<string>(page, k);
    let outcome = '';
    // a round can crash at 1.00x before any cash-out: then the bet is lost and the player bets again next round
    for (let round = 0; round < 5 && outcome !== 'cashed_out'; round++) {
      await page.waitForFunction(
        () => {
          const i = (window as any).__neon.info;
          return i.phase === 'betting' && i.betStatus === 'none';
        },
        undefined,
        { timeout: 30_000 },
      );
      const settled = await hookInfo<number>(page, 'settled');
      await page.getByTestId('crash-amount').fill('50');
      await page.getByTestId('crash-bet').click();
      await page.waitForFunction(() => ['placed', 'cashed_out', 'lost', 'refunded'].includes((window as any).__neon.info.betStatus));
      await page.waitForFunction(() => (window as any).__neon.info.phase !== 'betting', undefined, { timeout: 30_000 });
      // a click that finds the round already crashed gives up at once (the button is disabled then)
      if ((await info('phase')) === 'running')
        await page
          .getByTestId('crash-cashout')
          .click({ timeout: 2000 })
          .catch(() => undefined);
      // the settled count, not the bet status: the status starts over with the next round, maybe before this looks
      await page.waitForFunction((before) => (window as any).__neon.info.settled > before, settled, { timeout: 30_000 });
      outcome = await info('lastSettled');
      if (outcome === 'cashed_out') await screenshot(page, '04-crash');
    }
    expect(outcome).to.equal('cashed_out');
    expect(await hookInfo<number>(page, 'lastCashout')).to.be.greaterThan(50);
    expect(await shownGold(page)).to.equal(await walletGold());
  });

  it('a mission completed by those two sessions becomes claimable in the lobby and is claimed once', async () => {
    const { page } = g;
    await page.getByTestId('nav-lobby').click();
    await waitForScene(page, 'lobby');
    await page.waitForSelector('[data-testid="mission-d_play_2"][data-status="claimable"]', { timeout: 20_000 });
    const before = await walletGold();
    await page.getByTestId('claim-mission-d_play_2').click();
    await page.waitForSelector('[data-testid="mission-d_play_2"][data-status="claimed"]');
    expect(await walletGold()).to.equal(before + 50);
    expect(await shownGold(page)).to.equal(before + 50);
    // a second click (the button is now disabled) or a retried request cannot pay twice: one grant for this mission
    const { rewards } = (await server.http.get('/api/rewards/history', { token: await token() })).body as {
      rewards: Array<{ source: string; grant_key: string }>;
    };
    const mission = (await server.http.get('/api/missions', { token: await token() })).body.missions.find(
      (m: { code: string }) => m.code === 'd_play_2',
    );
    expect(rewards.filter((r) => r.source === 'mission' && r.grant_key.includes(mission.id))).to.have.length(1);
    await screenshot(page, '05-lobby-claimed');
  });

  it('buys a discounted item in the shop; the balance shown is the server’s', async () => {
    const { page } = g;
    await page.getByTestId('nav-shop').click();
    await waitForScene(page, 'shop');
    const before = await walletGold();
    await page.getByTestId('shop-buy-xp_booster').click();
    await page.waitForSelector('[data-testid="shop-card-xp_booster"][data-state="success"]');
    expect(await walletGold()).to.equal(before - 300);
    expect(await shownGold(page)).to.equal(await walletGold());
    await screenshot(page, '06-shop');
  });

  it('verifies a past round on the fairness page after rotating the seed, with the domain verifier in the browser', async () => {
    const { page } = g;
    const round = slotRound;
    await page.getByTestId('nav-fairness').click();
    await waitForScene(page, 'fairness');
    const before = await page.getByTestId('server-seed-hash').textContent();
    await page.getByTestId(`verify-${round}`).click();
    await page.getByTestId('verdict').filter({ hasText: 'not yet verifiable' }).waitFor();
    await page.getByTestId('rotate-seed').click();
    await page.getByTestId('revealed-seed').waitFor();
    expect(await page.getByTestId('server-seed-hash').textContent()).to.not.equal(before);
    await page.getByTestId('verify-round-id').fill(round);
    await page.getByTestId('verify-round-id').press('Enter');
    await page.getByTestId('verdict').filter({ hasText: 'Browser: verified' }).waitFor();
    expect(await page.getByTestId('verify-result').textContent()).to.contain('server says: verified');
    await screenshot(page, '08-fairness');
  });

  it('shows the profile: stats per game, the inventory and the wallet statement from the ledger', async () => {
    const { page } = g;
    await page.getByTestId('nav-profile').click();
    await waitForScene(page, 'profile');
    await page.getByTestId('stats-slot').waitFor();
    await page.getByTestId('inventory-xp-booster-1h').waitFor();
    const api = await server.http.get('/api/wallet/ledger?limit=20', { token: await token() });
    const reasons = await page.getByTestId('ledger-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.reason));
    expect(reasons).to.deep.equal(api.body.entries.map((e: { reason: string }) => e.reason));
    expect(reasons).to.include('signup_bonus').and.include('bet');
    // the head of the GOLD hash chain, short, the whole hash in its tooltip
    const head = page.getByTestId('ledger-head-GOLD');
    await head.waitFor();
    const gold = api.body.heads.find((x: { currency: string }) => x.currency === 'GOLD');
    expect(await head.getAttribute('data-hash')).to.equal(gold.hash);
    expect(await head.getAttribute('title')).to.include(gold.hash);
    expect(await head.textContent()).to.equal(`${gold.hash.slice(0, 8)}…${gold.hash.slice(-8)}`);
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, '07-profile');
  });
});
