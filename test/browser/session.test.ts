/// <reference lib="dom" />
// The client's one API client in a real browser: a rejected access token is refreshed once and the call replayed;
// a failed refresh logs the player out; idempotent calls are retried through 5xx answers; writes carry an
// Idempotency-Key. The server is real; Playwright's request routing only injects the faults.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { canvasColours, launchBrowser, renderer, screenshot, shownGold, waitForScene } from '../helpers/browser.ts';

describe('browser: session and API client', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer('browser_session');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page whose storage already holds a session (as after an earlier visit). */
  async function pageWithSession(auth: { userId: string; username: string; accessToken: string; refreshToken: string }) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
    await context.addInitScript((a) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('neon.auth', JSON.stringify(a));
        sessionStorage.setItem('seeded', '1');
      }
    }, auth);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  it('refreshes a rejected access token once, replays the call, and keeps the new pair', async () => {
    const u = await signup(server.http);
    const { context, page, errors } = await pageWithSession({
      userId: u.userId,
      username: u.username,
      accessToken: 'not-a-valid-token',
      refreshToken: u.refresh,
    });
    const refreshes: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/auth/refresh')) refreshes.push(r.status());
    });
    await page.goto(server.url);
    await waitForScene(page, 'lobby');
    expect(await renderer(page)).to.equal('WEBGL');
    expect(refreshes).to.deep.equal([200]);
    expect(await shownGold(page)).to.equal(1000);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('neon.auth')!));
    expect(saved.refreshToken).to.not.equal(u.refresh);
    expect((await server.http.get('/api/auth/me', { token: saved.accessToken })).status).to.equal(200);
    expect(await canvasColours(page)).to.be.greaterThan(20);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('logs out to the login scene when the refresh token is no longer valid', async () => {
    const u = await signup(server.http);
    await server.http.post('/api/auth/logout', undefined, { token: u.access });
    const { context, page, errors } = await pageWithSession({
      userId: u.userId,
      username: u.username,
      accessToken: u.access,
      refreshToken: u.refresh,
    });
    await page.goto(`${server.url}/#/shop`);
    await waitForScene(page, 'auth');
    await page
      .getByTestId('toast-error')
      .filter({ hasText: /log in again/i })
      .waitFor();
    expect(await page.evaluate(() => localStorage.getItem('neon.auth'))).to.equal(null);
    expect(errors).to.deep.equal([]);
    await screenshot(page, '00-logged-out');
    await context.close();
  });

  it('retries an idempotent call through 503s, and every write carries an Idempotency-Key', async () => {
    const u = await signup(server.http);
    const { context, page, errors } = await pageWithSession({
      userId: u.userId,
      username: u.username,
      accessToken: u.access,
      refreshToken: u.refresh,
    });
    let failures = 2;
    const answers: number[] = [];
    await page.route('**/api/dashboard', async (route) => {
      if (failures-- > 0) {
        answers.push(503);
        await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"service/unavailable","message":"down"}' });
      } else {
        const res = await route.fetch();
        answers.push(res.status());
        await route.fulfill({ response: res });
      }
    });
    const writes: Array<string | undefined> = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/') && r.method() !== 'GET') writes.push(r.headers()['idempotency-key']);
    });
    await page.goto(server.url);
    await waitForScene(page, 'lobby');
    expect(answers.slice(0, 3)).to.deep.equal([503, 503, 200]); // retried through two 503s to the real answer
    expect(await shownGold(page)).to.equal(1000);
    await page.getByTestId('nav-fairness').click();
    await waitForScene(page, 'fairness');
    await page.getByTestId('client-seed').fill('my-own-seed');
    await page.getByTestId('client-seed-save').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Client seed saved' }).waitFor();
    expect((await server.http.get('/api/fairness/seeds', { token: u.access })).body.client_seed).to.equal('my-own-seed');
    expect(writes.length).to.be.greaterThan(0);
    for (const key of writes) expect(key).to.match(/^[0-9a-f-]{36}$/);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
