/// <reference lib="dom" />
// The player's inbox in the game client: the unread badge in the top bar (bumped live by a hub push), the panel of
// messages newest first, opening one marks it read, and its deep link goes to the shop.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { launchBrowser, screenshot, waitForScene } from '../helpers/browser.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('browser: player inbox', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;

  before(async () => {
    server = await startTestServer('browser_inbox');
    operator = await createOperator(server, 'operator');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Sends a notification to one player now and waits until it is delivered. */
  async function notify(userId: string, title: string, deepLink: string | null) {
    const res = await server.http.post(
      '/api/admin/notifications',
      { title, body: `${title}: the body`, deep_link: deepLink, target: { type: 'list', user_ids: [userId] }, send_now: true },
      { token: operator.access, headers: writeHeaders() },
    );
    expect(res.status, res.text).to.equal(201);
    const done = await eventually(
      () => server.http.get(`/api/admin/notifications/${res.body.id}`, { token: operator.access }),
      (r) => r.body.status === 'sent',
    );
    expect(done.body.counts.delivered).to.equal(1);
  }

  it('shows the unread badge, bumps it on a push, lists messages newest first, reads one and follows its link', async () => {
    const u = await signup(server.http);
    await notify(u.userId, 'Welcome gift', null);
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
    await context.addInitScript((a) => localStorage.setItem('neon.auth', JSON.stringify(a)), {
      userId: u.userId,
      username: u.username,
      accessToken: u.access,
      refreshToken: u.refresh,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await waitForScene(page, 'lobby');
    const badge = page.getByTestId('inbox-badge');
    await page.waitForFunction(() => document.querySelector('[data-testid="inbox-badge"]')?.textContent === '1');
    await page.waitForSelector('body[data-hub="true"]');

    await notify(u.userId, 'Shop sale', 'shop');
    await page.waitForFunction(() => document.querySelector('[data-testid="inbox-badge"]')?.textContent === '2');
    await page.getByTestId('toast-info').filter({ hasText: 'Shop sale' }).waitFor();

    await page.getByTestId('inbox-button').click();
    const items = page.getByTestId('inbox-item');
    await items.nth(1).waitFor();
    expect(await items.count()).to.equal(2);
    expect(await items.nth(0).textContent()).to.contain('Shop sale');
    expect(await items.nth(0).getAttribute('data-read')).to.equal('false');
    await screenshot(page, 'inbox-panel');

    await items.nth(0).getByTestId('inbox-title').click();
    await page.waitForSelector('[data-testid="inbox-item"][data-read="true"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="inbox-badge"]')?.textContent === '1');
    expect(await badge.isVisible()).to.equal(true);
    const inbox = (await server.http.get('/api/inbox', { token: u.access })).body;
    expect(inbox.unread).to.equal(1);
    expect(inbox.items[0].read_at).to.be.a('string');

    await items.nth(0).getByTestId('inbox-open').click();
    await waitForScene(page, 'shop');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
