// The crash and rock-paper-scissors scenes in a real browser (Debian Chromium, WebGL), against the real server
// with fast rounds. Every wait is on the game's own state (window.__neon.info); shown GOLD is compared with
// GET /api/wallet after each settled bet; every test checks the renderer, page errors and a non-blank canvas.
/// <reference lib="dom" />
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  canvasColours,
  clickCanvasButton,
  hookInfo,
  launchBrowser,
  openGame,
  renderer,
  screenshot,
  screenshotIfFailed,
  shownGold,
  waitForScene,
  type GamePage,
} from '../helpers/browser.ts';

type Player = Awaited<ReturnType<typeof signup>>;
const info = <T = unknown>(page: Page, key: string) => hookInfo<T>(page, key);
type Info = Record<string, any>;
/**
 * Waits (every frame) until the game's state satisfies `pred`, run in the page: `i` defaults to window.__neon.info
 * there. (A real function, not a string: Playwright compiles it once; the page's CSP forbids evaluating strings.)
 */
async function until<A = null>(page: Page, pred: (arg: A, i?: Info) => unknown, arg: A = null as A, timeout = 30_000): Promise<void> {
  await page.waitForFunction(pred as (arg: unknown) => unknown, arg, { timeout, polling: 'raf' });
}

describe('browser: crash and rock-paper-scissors', function () {
  this.timeout(150_000);
  let server: TestServer;
  let browser: Browser;
  let g: GamePage | undefined;

  before(async () => {
    server = await startTestServer('browser_games', {
      CRASH_BETTING_MS: 2500,
      CRASH_PAUSE_MS: 500,
      CRASH_TIME_SCALE: 4,
      RPS_HOUSE_AFTER_MS: 500,
      RPS_PICK_TIMEOUT_MS: 20_000,
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async function () {
    if (!g) return;
    await screenshotIfFailed(this.currentTest, g.page);
    const errors = g.errors;
    await g.context.close();
    g = undefined;
    expect(errors, 'page errors / console.error').to.deep.equal([]);
  });

  /** A logged-in page on a scene: the tokens go into localStorage (as the login scene stores them) before the load. */
  async function openAs(p: Player, scene: string): Promise<GamePage> {
    const game = await openGame(browser, server.url);
    await waitForScene(game.page, 'auth');
    await game.page.evaluate((auth) => localStorage.setItem('neon.auth', JSON.stringify(auth)), {
      userId: p.userId,
      username: p.username,
      accessToken: p.access,
      refreshToken: p.refresh,
    });
    await game.page.goto(`${server.url}/?player=${p.username}#/${scene}`);
    await waitForScene(game.page, scene);
    return game;
  }
  const walletGold = async (p: Player) => (await server.http.get('/api/wallet', { token: p.access })).body.balances.GOLD as number;

  /** Page coordinates of a game-coordinate point of the canvas (Scale.FIT). */
  async function canvasPoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
    const box = (await page.locator('#game canvas').boundingBox())!;
    const scale = box.width / 1280;
    return { x: box.x + x * scale, y: box.y + y * scale };
  }

  /**
   * Plays crash rounds until one bet is cashed out (a round can crash before the cash-out, even at 1.00x, and a bet
   * can arrive after betting closed: then the next round is played). Odd attempts use the mouse (Bet button, the
   * in-canvas CASH OUT), even ones the keyboard (Enter in the amount field, Space). Returns how each bet ended.
   */
  async function playUntilCashedOut(page: Page, p: Player, opts: { amount: number; auto?: string; manual: boolean }): Promise<string[]> {
    const outcomes: string[] = [];
    let shot = false;
    const rect = (await page.evaluate(() => (window as any).__neon.buttons.cashout)) as {
      x: number;
      y: number;
      width: number;
      height: number;
    };
    const cashoutAt = await canvasPoint(page, rect.x + rect.width / 2, rect.y + rect.height / 2);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const mouse = attempt % 2 === 1;
      await until(page, (_, i = (window as any).__neon.info) => i.phase === 'betting' && i.betStatus === 'none');
      const before = await page.evaluate(() => {
        const i = (window as any).__neon.info;
        return { placed: i.betsPlaced as number, requests: i.betRequests as number, settled: i.settled as number };
      });
      await page.getByTestId('crash-amount').fill(String(opts.amount));
      await page.getByTestId('crash-auto').fill(opts.auto ?? '');
      if (mouse) await page.getByTestId('crash-bet').click();
      else await page.getByTestId('crash-amount').press('Enter');
      // the click (or key) has been handled when Playwright returns; if betting closed just before, nothing was asked
      if ((await info<number>(page, 'betRequests')) === before.requests) {
        outcomes.push('missed: betting closed');
        continue;
      }
      await until(page, (_, i = (window as any).__neon.info) => i.betAnswers >= i.betRequests);
      if ((await info<number>(page, 'betsPlaced')) === before.placed) {
        outcomes.push(`refused: ${await info(page, 'lastError')}`);
        continue;
      }
      expect(await info(page, 'betStatus')).to.be.oneOf(['placed', 'cashed_out', 'lost']);
      if (opts.manual) {
        // until this client cashes out nothing can credit the bet (a loss changes no balance): a stable moment
        expect(await shownGold(page), 'GOLD after the debit').to.equal(await walletGold(p));
        if (!shot) {
          shot = true;
          await screenshot(page, 'crash-bet-placed');
        }
        await until(page, (settled, i = (window as any).__neon.info) => i.phase === 'running' || i.settled > settled, before.settled);
        if (await page.evaluate(() => (window as any).__neon.info.betStatus === 'placed')) {
          if (mouse) await page.mouse.click(cashoutAt.x, cashoutAt.y);
          else await page.keyboard.press('Space');
        }
      }
      await until(page, (settled, i = (window as any).__neon.info) => i.settled > settled, before.settled);
      const how = await info<string>(page, 'lastSettled');
      outcomes.push(how === 'lost' ? `lost at ${await info(page, 'lastCrash')}` : `${how} at ${await info(page, 'lastCashoutAt')}`);
      expect(await shownGold(page), `GOLD after the bet was ${how}`).to.equal(await walletGold(p));
      if (how === 'cashed_out') return outcomes;
    }
    return outcomes;
  }

  /** A new player at the crash table, drawn with WebGL, once the table shows a phase. */
  async function openCrashTable() {
    const p = await signup(server.http);
    g = await openAs(p, 'crash');
    const { page } = g;
    expect(await renderer(page)).to.equal('WEBGL');
    await until(page, (_, i = (window as any).__neon.info) => ['betting', 'running', 'crashed'].includes(i.phase));
    return { p, page };
  }

  it('crash: bets in the betting phase, cashes out while running; the shown GOLD equals the wallet', async () => {
    const { p, page } = await openCrashTable();
    const outcomes = await playUntilCashedOut(page, p, { amount: 100, manual: true });
    expect(outcomes.at(-1), `outcomes: ${outcomes.join(', ')}`).to.match(/^cashed_out/);
    const payout = await info<number>(page, 'lastCashout');
    const at = await info<number>(page, 'lastCashoutAt');
    expect(await info(page, 'lastCashoutReason')).to.equal('cashout');
    expect(at).to.be.at.least(100);
    expect(payout).to.equal(Math.floor((100 * at) / 100));
    await page
      .getByTestId('crash-mine-row')
      .first()
      .filter({ hasText: `+${payout}` })
      .waitFor();
    expect(await shownGold(page)).to.equal(await walletGold(p));
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, 'crash-cashed-out');
    // the round ends and lands in the history chips
    await until(page, (_, i = (window as any).__neon.info) => i.history >= 1);
    expect(await page.getByTestId('crash-history-chip').count()).to.be.at.least(1);
    // the next round's curve, mid-run
    await until(
      page,
      (_, i = (window as any).__neon.info) => (i.phase === 'running' && i.multiplier >= 110) || i.phase === 'crashed',
      null,
      60_000,
    );
    await screenshot(page, 'crash-running');
  });

  it('crash: an auto cash-out pays at its target', async () => {
    const { p, page } = await openCrashTable();
    const outcomes = await playUntilCashedOut(page, p, { amount: 50, auto: '1.10', manual: false });
    expect(outcomes.at(-1), `outcomes: ${outcomes.join(', ')}`).to.match(/^cashed_out/);
    expect(await info(page, 'lastCashoutReason')).to.equal('auto_cashout');
    expect(await info(page, 'lastCashoutAt')).to.equal(110);
    expect(await info(page, 'lastCashout')).to.equal(55);
    expect(await shownGold(page)).to.equal(await walletGold(p));
    expect(await canvasColours(page)).to.be.greaterThan(20);
  });

  it('crash: a bet larger than the balance is refused with a clear message', async () => {
    const p = await signup(server.http);
    g = await openAs(p, 'crash');
    const { page } = g;
    // a bet that reaches the table while it is open is refused for the funds; one that comes late, for the phase: retry
    let code = '';
    for (let attempt = 1; attempt <= 6 && code !== 'wallet/insufficient_funds'; attempt++) {
      await until(page, (_, i = (window as any).__neon.info) => i.phase === 'betting' && i.betStatus === 'none');
      const requests = await info<number>(page, 'betRequests');
      await page.getByTestId('crash-amount').fill('5000');
      await page.getByTestId('crash-bet').click();
      if ((await info<number>(page, 'betRequests')) === requests) continue;
      await until(page, (_, i = (window as any).__neon.info) => i.betAnswers >= i.betRequests);
      code = await info<string>(page, 'lastError');
      expect(code).to.be.oneOf(['wallet/insufficient_funds', 'game/not_allowed']);
    }
    expect(code).to.equal('wallet/insufficient_funds');
    await page.getByTestId('toast-error').filter({ hasText: 'Not enough GOLD: you have 1,000, the bet needs 5,000.' }).waitFor();
    expect(await info(page, 'betsPlaced')).to.equal(0);
    expect(await shownGold(page)).to.equal(await walletGold(p));
    expect(await walletGold(p)).to.equal(1000);
  });

  it('rps: plays the house — stake, pick, reveal, result with fairness info; the shown GOLD equals the wallet', async () => {
    const p = await signup(server.http);
    g = await openAs(p, 'rps');
    const { page } = g;
    expect(await renderer(page)).to.equal('WEBGL');
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, 'rps-idle');
    await page.getByTestId('rps-stake-25').click();
    await page.getByTestId('rps-find').click();
    await until(page, (_, i = (window as any).__neon.info) => i.phase === 'picking' && i.walletRefreshes >= 1);
    await page.getByTestId('rps-seat-opponent').filter({ hasText: 'House' }).waitFor();
    expect(await shownGold(page), 'the stake is held on join').to.equal(await walletGold(p));
    expect(await walletGold(p)).to.equal(975);
    await screenshot(page, 'rps-picking');
    await clickCanvasButton(page, 'pick-rock');
    await until(page, (_, i = (window as any).__neon.info) => i.duels >= 1 && i.reveal === i.roomId);
    expect(await info(page, 'picked')).to.equal('rock');
    const result = await info<string>(page, 'result');
    expect(result).to.be.oneOf(['win', 'loss', 'draw']);
    const house = await info<string>(page, 'opponentPick');
    expect(result).to.equal(house === 'scissors' ? 'win' : house === 'paper' ? 'loss' : 'draw');
    const payout = await info<number>(page, 'payout');
    expect(payout).to.equal(result === 'win' ? 49 : result === 'draw' ? 25 : 0); // pot 50 − 2 % rake (1)
    expect(await shownGold(page)).to.equal(await walletGold(p));
    expect(await walletGold(p)).to.equal(975 + payout);
    await page
      .getByTestId('rps-result-text')
      .filter({ hasText: /won|lost|Draw/ })
      .waitFor();
    expect(await page.getByTestId('rps-nonce').textContent()).to.match(/^\d+$/);
    expect(await page.getByTestId('rps-seed-hash').textContent()).to.match(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('rps-fairness-link').getAttribute('href')).to.equal('#/fairness');
    expect(await page.getByTestId('rps-history-row').count()).to.equal(1);
    expect(await canvasColours(page)).to.be.greaterThan(20);
    await screenshot(page, 'rps-result');

    // play again (a new room), this time with the keyboard
    const firstRoom = await info<string>(page, 'roomId');
    await page.getByTestId('rps-again').click();
    await until(page, (first, i = (window as any).__neon.info) => i.phase === 'picking' && i.roomId !== first, firstRoom);
    await page.keyboard.press('p');
    await until(page, (_, i = (window as any).__neon.info) => i.duels >= 2 && i.reveal === i.roomId);
    expect(await info(page, 'picked')).to.equal('paper');
    expect(await shownGold(page)).to.equal(await walletGold(p));
    expect(await page.getByTestId('rps-history-row').count()).to.equal(2);
  });

  it('rps: a reload mid-duel rejoins the same seat and the duel finishes', async () => {
    const p = await signup(server.http);
    g = await openAs(p, 'rps');
    const { page } = g;
    await page.getByTestId('rps-stake-10').click();
    await page.keyboard.press('Enter'); // on the chosen stake: find an opponent
    await until(page, (_, i = (window as any).__neon.info) => i.phase === 'picking');
    const roomId = await info<string>(page, 'roomId');
    await page.reload();
    await waitForScene(page, 'rps');
    await until(page, (_, i = (window as any).__neon.info) => i.phase === 'picking');
    expect(await info(page, 'roomId'), 'the same duel').to.equal(roomId);
    expect(await walletGold(p), 'one stake held, not two').to.equal(990);
    await page.getByTestId('rps-pick-scissors').click();
    await until(page, (_, i = (window as any).__neon.info) => i.duels >= 1 && i.reveal === i.roomId);
    expect(await info(page, 'picked')).to.equal('scissors');
    expect(await shownGold(page)).to.equal(await walletGold(p));
  });
});
