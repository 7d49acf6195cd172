/// <reference lib="dom" />
// The operators' console in Debian's Chromium: served at /admin/ (and at every deep link) with its own strict CSP,
// nothing of the game client loaded, the login page at 1280×800 and 1920×1080, and a wrong password shown as such.
// Each role logs in and sees the pages its permissions allow; the players grid keeps its state in the URL, moves by
// keyset pages, and opens a row's drawer from the keyboard; a rejected token is refreshed once; a reload stays signed in.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page, Route } from 'playwright-core';
import { can, OPERATOR_ROLES, type Permission } from '../../domain/admin/rbac.ts';
import { createOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, openAdmin, screenshot, adminLogIn } from '../helpers/browser.ts';

/** The console's pages and the permission each needs (admin/src/pages/*.tsx). */
const PAGES: { label: string; permission: Permission }[] = [
  { label: 'Players', permission: 'players:read' },
  { label: 'Approvals', permission: 'wallet:approve' },
  { label: 'Shop', permission: 'shop:read' },
  { label: 'Transactions', permission: 'transactions:read' },
  { label: 'KPIs', permission: 'kpi:read' },
  { label: 'Economy', permission: 'kpi:read' },
  { label: 'Segments', permission: 'liveops:read' },
  { label: 'Operations', permission: 'liveops:read' },
  { label: 'Jobs', permission: 'liveops:read' },
  { label: 'Imports', permission: 'liveops:read' },
  { label: 'Notifications', permission: 'liveops:read' },
  { label: 'Events', permission: 'liveops:read' },
  { label: 'Missions', permission: 'liveops:read' },
  { label: 'Audit log', permission: 'audit:read' },
  { label: 'Room monitor ↗', permission: 'monitor:use' },
  { label: 'Queues ↗', permission: 'queues:use' },
];

/** Records the players list requests the console makes (the real API answers them). */
async function playersApi(page: Page, seen: URL[]) {
  await page.route(/\/api\/admin\/players(\?|$)/, async (route: Route) => {
    seen.push(new URL(route.request().url()));
    return route.fallback();
  });
}

const logIn = (page: Page, username: string, password: string) => adminLogIn(page, { username, password });

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

describe('browser: admin console', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer('browser_admin');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('answers /admin/ and deep links with the console, under its own CSP; hashed assets are cached for long', async () => {
    for (const path of ['/admin/', '/admin', '/admin/players', '/admin/audit?action=players.ban&result=denied']) {
      const res = await server.http.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.include('<div id="root"></div>');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).to.include("script-src 'self'");
      expect(csp).to.include("connect-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).to.include("img-src 'self' data:");
      expect(csp).to.not.include('unsafe-inline');
      expect(res.headers.get('cache-control')).to.equal('no-cache');
    }
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec((await server.http.get('/admin/')).text)![1];
    const js = await server.http.get(asset);
    expect(js.status).to.equal(200);
    expect(js.headers.get('cache-control')).to.include('max-age=31536000');
    expect((await server.http.get('/admin/assets/missing-0123abcd.js')).status).to.equal(404);
    // the room monitor and the queue board are not the console's
    for (const path of ['/admin/monitor', '/admin/queues/'])
      expect((await server.http.get(path)).text, path).to.not.include('<div id="root">');
  });

  for (const viewport of VIEWPORTS) {
    it(`shows the login page at ${viewport.width}×${viewport.height} with no error, CSP violation or game asset`, async () => {
      const { context, page, errors, requests, cspViolations } = await openAdmin(browser, server.url, viewport, '/admin/players?sort=gold');
      await page.getByTestId('login-form').waitFor();
      expect(await page.getByLabel('Username').evaluate((el) => el === document.activeElement)).to.equal(true);
      const box = (await page.getByTestId('login-form').boundingBox())!;
      expect(box.x).to.be.greaterThan(0);
      expect(box.x + box.width).to.be.lessThan(viewport.width);
      await screenshot(page, `admin-login-${viewport.width}`);
      expect(requests.filter((r) => !r.startsWith('/admin/') && !r.startsWith('/api/admin/'))).to.deep.equal([]);
      expect(cspViolations).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }

  it('tells a wrong password apart and stays on the login page', async () => {
    const { context, page, errors } = await openAdmin(browser, server.url);
    await page.getByLabel('Username').fill('nobody_here');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.getByTestId('login-error').textContent()).to.equal('Wrong username or password.');
    expect(await page.getByTestId('login-form').isVisible()).to.equal(true);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  for (const role of OPERATOR_ROLES) {
    it(`logs a ${role} in and shows only the pages the role allows`, async () => {
      const op = await createOperator(server, role);
      const { context, page, errors } = await openAdmin(browser, server.url);
      await playersApi(page, []);
      await logIn(page, op.username, op.password);
      await page.waitForURL(/\/admin\/players$/);
      const nav = (await page.getByTestId('nav').getByRole('link').allTextContents()).map((t) => t.trim());
      expect(nav).to.deep.equal(PAGES.filter((p) => can(role, p.permission)).map((p) => p.label));
      expect(await page.getByTestId('operator').textContent()).to.include(op.username);
      if (!can(role, 'audit:read')) {
        await page.goto(`${server.url}/admin/audit`);
        await page.getByTestId('forbidden').waitFor();
      }
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }

  it('keeps the players grid in the URL, pages by cursor, opens the drawer from the keyboard, and refreshes a rejected token once', async () => {
    for (let i = 0; i < 3; i++) await signup(server.http);
    const op = await createOperator(server, 'admin');
    const { context, page, errors } = await openAdmin(
      browser,
      server.url,
      { width: 1920, height: 1080 },
      '/admin/players?sort=gold&order=asc&limit=2',
    );
    const seen: URL[] = [];
    const auth: string[] = [];
    let rejectOnce = true;
    page.on('request', (r) => {
      if (r.url().includes('/api/admin/players')) auth.push(r.headers().authorization ?? '');
    });
    await playersApi(page, seen);
    // the last route added runs first: the first players call is answered 401, as if the access token had expired
    await page.route(/\/api\/admin\/players(\?|$)/, async (route) => {
      if (!rejectOnce) return route.fallback();
      rejectOnce = false;
      return route.fulfill({ status: 401, json: { error: 'auth/invalid_token', message: 'expired' } });
    });
    const refreshes: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/admin/auth/refresh')) refreshes.push(r.status());
    });
    await logIn(page, op.username, op.password);
    await page.locator('tbody tr').first().waitFor();
    // the deep link's sort reached the API, with the bearer token; the 401 was refreshed once and the call replayed
    expect(seen[0].searchParams.get('sort')).to.equal('gold');
    expect(seen[0].searchParams.get('order')).to.equal('asc');
    expect(refreshes).to.deep.equal([200]);
    expect(auth.every((a) => a.startsWith('Bearer '))).to.equal(true);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).to.include('GOLD');

    // `/` focuses the search box; ↓ selects the first row; Enter opens its drawer; Esc closes it
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-search'))).to.equal(true);
    await page.locator('h1').click();
    await page.keyboard.press('ArrowDown');
    await page.locator('tbody tr[aria-selected="true"]').waitFor();
    const first = (await page.locator('tbody tr').first().locator('td').first().textContent())!;
    await page.keyboard.press('Enter');
    await page.getByTestId('drawer').waitFor();
    expect(await page.getByTestId('drawer').getByRole('heading').textContent()).to.equal(`Player ${first}`);
    await screenshot(page, 'admin-players-drawer-1920');
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });

    // sorting by another column and paging put their state in the URL
    await page.getByRole('button', { name: /Level/ }).click();
    await page.waitForURL(/sort=level/);
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.waitForURL(/cursor=/);
    expect(seen.at(-1)!.searchParams.get('cursor')).to.be.a('string');
    await page.getByRole('button', { name: '← Previous' }).click();
    await page.waitForFunction(() => !location.search.includes('cursor='));

    // a reload signs in again with the refresh token of this tab; Log out (a write) is retried through a 503 under
    // the same Idempotency-Key, then forgets the session
    await page.reload();
    await page.getByTestId('nav').waitFor();
    expect(await page.getByTestId('operator').textContent()).to.include(op.username);
    const logoutKeys: string[] = [];
    await page.route('**/api/admin/auth/logout', async (route) => {
      logoutKeys.push(route.request().headers()['idempotency-key'] ?? '');
      if (logoutKeys.length === 1) return route.fulfill({ status: 503, json: { error: 'unavailable', message: 'busy' } });
      return route.fallback();
    });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-form').waitFor();
    expect(logoutKeys).to.have.length(2);
    expect(logoutKeys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(logoutKeys[1]).to.equal(logoutKeys[0]);
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
    // Chromium logs the injected 503 as a failed resource
    expect(errors.filter((e) => !e.includes('status of 503'))).to.deep.equal([]);
    await context.close();
  });

  it('filters the audit log from the URL and exports the same filters as CSV with the token', async () => {
    const viewer = await createOperator(server, 'viewer');
    expect((await server.http.get('/api/admin/audit', { token: viewer.access })).status).to.equal(403); // a denied row
    const op = await createOperator(server, 'support');
    const today = new Date().toISOString().slice(0, 10);
    const path = `/admin/audit?actor=${viewer.username}&result=denied&from=${today}&to=${today}`;
    const { context, page, errors } = await openAdmin(browser, server.url, { width: 1280, height: 800 }, path);
    const calls: { url: URL; auth: string }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/admin/audit')) calls.push({ url: new URL(r.url()), auth: r.headers().authorization ?? '' });
    });
    await logIn(page, op.username, op.password);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByLabel('Actor').inputValue()).to.equal(viewer.username);
    expect(await page.locator('tbody tr').count()).to.equal(1);
    const list = calls.find((c) => c.url.pathname === '/api/admin/audit')!;
    expect(list.url.searchParams.get('actor')).to.equal(viewer.username);
    expect(list.url.searchParams.get('result')).to.equal('denied');
    // the page's days are whole UTC days: from its start to the next day's start (exclusive)
    expect(list.url.searchParams.get('from')).to.equal(`${today}T00:00:00Z`);
    expect(Date.parse(list.url.searchParams.get('to')!) - Date.parse(`${today}T00:00:00Z`)).to.equal(86_400_000);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).to.match(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv).to.have.length(2);
    expect(csv[1]).to.include(viewer.username);
    const exported = calls.find((c) => c.url.pathname === '/api/admin/audit.csv')!;
    expect(exported.auth).to.match(/^Bearer /);
    expect(exported.url.searchParams.get('actor')).to.equal(viewer.username);
    expect(exported.url.searchParams.get('result')).to.equal('denied');
    await page.getByTestId('toast-success').waitFor();

    await page.locator('tbody tr').first().click();
    await page.getByTestId('drawer').waitFor();
    expect(await page.getByTestId('drawer').textContent()).to.include('auth/forbidden');
    await screenshot(page, 'admin-audit-1280');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
