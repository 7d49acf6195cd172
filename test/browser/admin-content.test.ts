/// <reference lib="dom" />
// The console's events and missions pages in Debian's Chromium: an operator creates an event (a bad target is shown
// under its field from the server's 400), publishes it after a confirmation naming it (a player's dashboard then lists
// it), edits it under the version shown (If-Match; the old definition appears in the revisions) and asks who
// qualifies now; a viewer sees the missions with their status and no edit controls.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, screenshot, adminPages } from '../helpers/browser.ts';

describe('browser: admin events and missions', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  const pages = adminPages(() => ({ browser, url: server.url }));
  const admin = pages.open;

  before(async () => {
    server = await startTestServer('browser_admin_content');
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates an event (a 400 shown under its field), publishes it after a confirmation, edits it and counts who qualifies', async () => {
    const player = await signup(server.http, uniqueName('ev'));
    const { page } = await admin(operator, '/admin/events');
    await page.getByTestId('content-new').click();
    const form = page.getByTestId('content-form');
    await form.locator('input[name=code]').fill('browser_spins');
    await form.locator('input[name=name]').fill('Browser Spins');
    await form.locator('select[name=game]').selectOption('slot');
    await form.locator('input[name=target]').fill('0');
    await form.locator('input[name=gold]').fill('40');
    await form.getByTestId('content-save').click();
    await page.getByTestId('error-condition.target').waitFor();
    expect(await page.getByTestId('error-condition.target').textContent()).to.match(/>0|greater|positive/i);
    await form.locator('input[name=target]').fill('3');
    await form.getByTestId('content-save').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Browser Spins created' }).waitFor();
    expect(await page.getByTestId('drawer-status').textContent()).to.equal('draft');
    await page.getByTestId('status-browser_spins').filter({ hasText: 'draft' }).waitFor();

    await page.getByTestId('content-toggle').click();
    expect(await page.getByTestId('confirm-dialog').getByRole('heading').textContent()).to.equal('Publish event Browser Spins?');
    await page.getByTestId('confirm').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Browser Spins is published' }).waitFor();
    await page.getByTestId('drawer-status').filter({ hasText: 'live' }).waitFor();
    const codes = async () =>
      ((await server.http.get('/api/events', { token: player.access })).body.events as Array<{ code: string }>).map((e) => e.code);
    await eventually(codes, (c) => c.includes('browser_spins'), 10_000);

    // the editor sends the version it shows; the replaced definition is listed under Revisions
    const ifMatch: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH') ifMatch.push(r.headers()['if-match'] ?? '');
    });
    const edit = page.getByTestId('drawer').getByTestId('content-form');
    await edit.locator('input[name=target]').fill('6');
    await edit.getByTestId('content-save').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Browser Spins saved' }).waitFor();
    expect(ifMatch).to.deep.equal(['2']);
    await page.getByTestId('revisions').getByText('v2').waitFor();
    expect(await page.getByTestId('revisions').textContent()).to.include('"target":3');

    await page.getByTestId('qualifies-run').click();
    await page.getByTestId('qualifies-result').waitFor();
    expect(await page.getByTestId('qualifies-count').textContent()).to.match(/^\d+$/);
    await screenshot(page, 'admin-events-1280');
  });

  it('shows a viewer the missions with their status, filtered, without edit controls', async () => {
    const made = await server.http.post(
      '/api/admin/missions',
      {
        code: 'browser_weekly',
        name: 'Browser Weekly',
        period: 'weekly',
        condition: { metric: 'wins', target: 5 },
        reward: { gem: 2 },
        active: true,
      },
      { token: operator.access, headers: writeHeaders() },
    );
    expect(made.status, made.text).to.equal(201);
    const { page } = await admin(viewer, '/admin/missions');
    await page.getByTestId('status-browser_weekly').filter({ hasText: 'live' }).waitFor();
    expect(await page.getByTestId('content-new').count()).to.equal(0);
    await page.getByTestId('filter-draft').click();
    await page.waitForURL(/status=draft/);
    await page.getByTestId('content-browser_weekly').waitFor({ state: 'detached' });
    await page.getByTestId('filter-live').click();
    await page.getByTestId('content-browser_weekly').click();
    await page.getByTestId('drawer-status').waitFor();
    expect(await page.getByTestId('content-form').count()).to.equal(0);
    expect(await page.getByTestId('content-toggle').count()).to.equal(0);
    await screenshot(page, 'admin-missions-1280');
  });
});
