/// <reference lib="dom" />
// The console's notifications page in Debian's Chromium: an operator composes a notification to a player, sends it
// now and sees it sent with its counts (the read count moves once the player reads it); schedules another and cancels
// it after a confirmation naming it; retries a failed one. A viewer sees the list without the write controls.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, screenshot, adminPages } from '../helpers/browser.ts';

describe('browser: admin notifications', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  const em = () => server.orm.em.fork() as EntityManager;
  const pages = adminPages(() => ({ browser, url: server.url }));
  const admin = (op: TestOperator) => pages.open(op, '/admin/notifications');
  const row = (page: Page, title: string, status?: string) =>
    page.locator(`[data-testid="notification-row"]${status ? `[data-status="${status}"]` : ''}`).filter({ hasText: title });

  before(async () => {
    server = await startTestServer('browser_admin_notify');
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function compose(page: Page, fields: { title: string; target: string; schedule?: string }) {
    await page.getByTestId('notification-compose').click();
    const form = page.getByTestId('notification-form');
    await form.getByLabel('Title', { exact: true }).fill(fields.title);
    await form.getByLabel('Message', { exact: true }).fill(`${fields.title}: see you in the shop`);
    await form.getByLabel('Deep link').selectOption('shop');
    await form.getByLabel('Target').selectOption('list');
    await form.getByLabel(/Player ids/).fill(fields.target);
    if (fields.schedule) {
      await form.getByLabel('When').selectOption('schedule');
      await form.getByLabel('At (UTC)').fill(fields.schedule);
    }
    await page.getByTestId('notification-send').click();
    await row(page, fields.title).waitFor();
  }

  it('sends a notification now and shows it sent with targeted, delivered and read counts', async () => {
    const player = await signup(server.http);
    const { page } = await admin(operator);
    await compose(page, { title: 'Flash sale', target: player.userId });
    const sent = row(page, 'Flash sale', 'sent');
    await sent.waitFor();
    expect(await sent.getByTestId('count-targeted').textContent()).to.equal('1');
    expect(await sent.getByTestId('count-delivered').textContent()).to.equal('1');
    expect(await sent.getByTestId('count-read').textContent()).to.equal('0');

    const inbox = (await server.http.get('/api/inbox', { token: player.access })).body;
    expect(inbox.items[0]).to.include({ title: 'Flash sale', deep_link: 'shop' });
    await server.http.post(`/api/inbox/${inbox.items[0].id}/read`, undefined, { token: player.access });
    await page.reload();
    await row(page, 'Flash sale').getByTestId('count-read').filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'admin-notifications');
  });

  it('schedules one and cancels it after a confirmation naming it; retries a failed one', async () => {
    const player = await signup(server.http);
    const { page } = await admin(operator);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    await compose(page, { title: 'Tomorrow', target: player.userId, schedule: tomorrow });
    const scheduled = row(page, 'Tomorrow');
    expect(await scheduled.getAttribute('data-status')).to.equal('scheduled');
    await scheduled.getByTestId('notification-cancel').click();
    const dialog = page.getByTestId('confirm-dialog');
    expect(await dialog.getByRole('heading').textContent()).to.equal('Cancel notification “Tomorrow”?');
    await dialog.getByTestId('confirm').click();
    await row(page, 'Tomorrow', 'canceled').waitFor();

    const id = (await server.http.get('/api/admin/notifications?status=canceled', { token: operator.access })).body.items[0].id;
    await em().execute(`update notifications set status = 'failed', last_error = 'simulated' where id = ?`, [id]);
    await page.reload();
    await row(page, 'Tomorrow').getByTestId('notification-retry').click();
    await row(page, 'Tomorrow', 'sent').waitFor();
    expect((await server.http.get('/api/inbox', { token: player.access })).body.unread).to.equal(1);
  });

  it('shows a viewer the list without Compose, Cancel or Retry', async () => {
    const { page } = await admin(viewer);
    await page.getByTestId('notification-row').first().waitFor();
    expect(await page.getByTestId('notification-compose').count()).to.equal(0);
    expect(await page.getByTestId('notification-cancel').count()).to.equal(0);
    expect(await page.getByTestId('notification-retry').count()).to.equal(0);
  });
});
