// Responsible play in a real browser: the profile's "Play limits" panel sets a 100 GOLD daily loss limit, the player
// loses 100 GOLD in the slot, and the next spin is refused with what remains of the limit shown.
/// <reference lib="dom" />
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { rotateToLosingSpin } from '../helpers/slot-seeds.ts';
import { startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import {
  launchBrowser,
  openGame,
  pageAuth,
  screenshot,
  screenshotIfFailed,
  shownGold,
  waitForScene,
  type GamePage,
} from '../helpers/browser.ts';

describe('browser: play limits', function () {
  this.timeout(150_000);
  let server: TestServer;
  let browser: Browser;
  let g: GamePage;

  before(async () => {
    server = await startTestServer('browser_limits');
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
  });

  const auth = () => pageAuth(g.page);

  async function nextSpinLoses(betPerLine: number) {
    const { accessToken, userId } = await auth();
    await rotateToLosingSpin(server, { userId, token: accessToken }, betPerLine);
  }

  it('sets a 100 GOLD daily loss limit in the profile; after losing 100 GOLD the slot refuses the next spin, showing 0 left', async () => {
    const { page } = g;
    await waitForScene(page, 'auth');
    await page.getByTestId('tab-signup').click();
    await page.getByLabel('Username').fill(uniqueName('lim'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Password').press('Enter');
    await waitForScene(page, 'lobby');

    await page.getByTestId('nav-profile').click();
    await waitForScene(page, 'profile');
    const panel = page.getByTestId('play-limits');
    await panel.getByTestId('limit-kind').selectOption('loss');
    await panel.getByTestId('limit-currency').selectOption('GOLD');
    await panel.getByTestId('limit-period').selectOption('day');
    await panel.getByTestId('limit-amount').fill('100');
    await panel.getByTestId('limit-save').click();
    const row = panel.getByTestId('limit-loss-GOLD-day');
    await row.waitFor();
    expect(await row.getByTestId('limit-remaining').textContent()).to.equal('100 GOLD');
    await screenshot(page, 'limits-01-profile');

    await nextSpinLoses(5);
    await page.getByTestId('nav-lobby').click();
    await waitForScene(page, 'lobby');
    await page.getByTestId('play-slot').click();
    await waitForScene(page, 'slot');
    await page.getByTestId('slot-bet').selectOption('5');
    await page.waitForFunction(() => !(document.querySelector('[data-testid="slot-spin"]') as HTMLButtonElement).disabled);
    await page.getByTestId('slot-spin').click();
    await page.waitForFunction(() => (window as any).__neon.info.spins === 1 && (window as any).__neon.info.spinning === false);
    expect(await page.evaluate(() => (window as any).__neon.info.lastPayout)).to.equal(0);
    expect(await shownGold(page)).to.equal(900);
    await page.getByTestId('slot-spin').click();
    await page.getByTestId('toast-error').filter({ hasText: 'Your daily loss limit of 100 GOLD leaves 0 GOLD; this needs 100.' }).waitFor();
    await page.waitForFunction(() => (window as any).__neon.info.spinning === false);
    expect(await page.evaluate(() => (window as any).__neon.info.spins)).to.equal(1);
    expect(await shownGold(page)).to.equal(900);
    await screenshot(page, 'limits-02-slot-refused');

    await page.getByTestId('nav-profile').click();
    await waitForScene(page, 'profile');
    await page.getByTestId('limit-loss-GOLD-day').getByTestId('limit-remaining').filter({ hasText: '0 GOLD' }).waitFor();
  });

  it('shows a reality check in a game room with the time played and net result; Continue keeps playing, Leave goes to the lobby', async () => {
    const { page } = g;
    // a tiny default interval (the config key takes fractions of a minute): a check every 2.4 s
    const limits = server.services.limits as unknown as { opts: { realityCheckDefaultMinutes: number } };
    limits.opts.realityCheckDefaultMinutes = 0.04;
    try {
      await page.getByTestId('nav-slot').click();
      await waitForScene(page, 'slot');
      const dialog = page.getByTestId('reality-check-dialog');
      await dialog.waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('reality-check-net').textContent()).to.match(/^Staked 0 GOLD · net result \+?0 GOLD$/);
      await screenshot(page, 'limits-03-reality-check');
      await page.getByTestId('reality-check-continue').click();
      await dialog.waitFor({ state: 'detached' });
      await dialog.waitFor({ timeout: 15_000 });
      await page.getByTestId('reality-check-leave').click();
      await waitForScene(page, 'lobby');
    } finally {
      limits.opts.realityCheckDefaultMinutes = 60;
    }
  });
});
