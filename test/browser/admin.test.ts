/// <reference lib="dom" />
// The operators' console in Debian's Chromium: served at /admin/ (and at every deep link) with its own strict CSP,
// nothing of the game client loaded, the login page at 1280×800 and 1920×1080, and a wrong password shown as such.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, openAdmin, screenshot } from '../helpers/browser.ts';

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
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-form').isVisible()).to.equal(true);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
