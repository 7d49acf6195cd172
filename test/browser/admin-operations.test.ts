/// <reference lib="dom" />
// The console's Operations page in Debian's Chromium: an operator composes a 50 GOLD grant to a saved segment, previews
// it, shadows it (nothing written), applies it after typing the count into the confirmation (every member's wallet +50),
// and undoes it (every wallet back); a viewer sees the list without the New operation button.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, screenshot, adminPages } from '../helpers/browser.ts';

describe('browser: admin operations', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  const members: string[] = [];
  const pages = adminPages(() => ({ browser, url: server.url }));
  const admin = pages.open;
  const gold = async () => {
    const rows = await (server.orm.em.fork() as EntityManager).execute<Array<{ balance: string }>>(
      `select w.balance from wallets w join users u on u.id = w.user_id where w.currency = 'GOLD' and u.level >= 5 and u.role = 'player' order by u.id`,
    );
    return rows.map((r) => Number(r.balance));
  };

  before(async () => {
    server = await startTestServer('browser_admin_operations');
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    for (let i = 0; i < 3; i++) members.push((await signup(server.http)).userId);
    await signup(server.http);
    for (const id of members) await (server.orm.em.fork() as EntityManager).execute(`update users set level = 6 where id = ?`, [id]);
    const seg = await server.http.post(
      '/api/admin/segments',
      { name: 'browser level 5+', rule: { fact: 'level', min: 5 } },
      { token: operator.access, headers: writeHeaders() },
    );
    expect(seg.status, seg.text).to.equal(201);
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('composes a grant to a segment, previews, shadows, applies after typing the count, and undoes it', async () => {
    const before = await gold();
    const { page } = await admin(operator, '/admin/operations');
    await page.getByTestId('operation-new').click();
    const form = page.getByTestId('operation-compose');
    await form.locator('input[name=amount]').fill('50');
    await form.locator('select[name=segment]').selectOption({ label: 'browser level 5+' });
    await page.getByTestId('operation-save').click();

    const detail = page.getByTestId('operation-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-status')).to.equal('draft');
    await page.getByTestId('operation-preview-run').click();
    await page.getByTestId('preview-players').waitFor();
    expect(await page.getByTestId('preview-players').textContent()).to.equal('3');
    expect(await page.getByTestId('operation-preview').locator('tbody tr').count()).to.equal(3);

    await page.getByTestId('operation-shadow').click();
    await page.locator('[data-testid=operation-detail][data-status=shadowed]').waitFor({ timeout: 20_000 });
    expect(await gold(), 'a shadow run writes nothing').to.deep.equal(before);

    await page.getByTestId('operation-apply').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('confirm').isDisabled(), 'disabled until the count is typed').to.equal(true);
    await dialog.getByTestId('confirm-count').fill('2');
    expect(await dialog.getByTestId('confirm').isDisabled()).to.equal(true);
    await dialog.getByTestId('confirm-count').fill('3');
    await dialog.getByTestId('confirm').click();
    await page.locator('[data-testid=operation-detail][data-status=applied]').waitFor({ timeout: 20_000 });
    expect(await gold()).to.deep.equal(before.map((b) => b + 50));
    expect(await page.getByTestId('totals-apply').textContent()).to.match(/3 players: 3 ok/);
    await screenshot(page, 'admin-operation-applied');

    await page.getByTestId('operation-undo').click();
    await page.locator('[data-testid=operation-detail][data-status=undone]').waitFor({ timeout: 20_000 });
    expect(await gold()).to.deep.equal(before);
  });

  it('shows a viewer the operations without the New operation button', async () => {
    const { page } = await admin(viewer, '/admin/operations');
    await page.getByTestId('operation-what').first().waitFor();
    expect(await page.getByTestId('operation-new').count()).to.equal(0);
  });
});
