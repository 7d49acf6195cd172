/// <reference lib="dom" />
// The console's Imports page in Debian's Chromium: an operator picks a CSV with bad rows through the file input, the
// columns are matched by header name (one mapped by hand), the server's report lists the problems by row and column,
// the report downloads as CSV, and applying it drafts an operation the report links to.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import { adminPages, launchBrowser, screenshot } from '../helpers/browser.ts';

describe('browser: admin imports', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  const pages = adminPages(() => ({ browser, url: server.url }));

  before(async () => {
    server = await startTestServer('browser_admin_imports');
    operator = await createOperator(server, 'operator');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('uploads a CSV with bad rows, maps a column by hand, shows the report by row and column, downloads it, applies it', async () => {
    const a = await signup(server.http, uniqueName('imp'));
    const b = await signup(server.http, uniqueName('imp'));
    const { page } = await pages.open(operator, '/admin/imports');
    await page.getByTestId('import-kind').waitFor();
    await page.getByTestId('import-kind').selectOption('player_tags');
    const csv = [
      'Player,Label,Action',
      `${a.username},vip,add`,
      `${b.username},vip,add`,
      `${a.username},vip,add`,
      'nobody_at_all,vip,add',
      `${b.username},Bad Tag,add`,
      `${b.username},whale,promote`,
    ].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'vip-tags.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-parsed').getByText('vip-tags.csv: 6 rows, 3 columns').waitFor();
    // Player and Action are matched by name; Label is mapped to `tag` by hand
    expect(await page.getByTestId('map-username').inputValue()).to.equal('Player');
    expect(await page.getByTestId('map-action').inputValue()).to.equal('Action');
    expect(await page.getByTestId('map-tag').inputValue()).to.equal('');
    await page.getByTestId('map-tag').selectOption('Label');
    const preview = page.getByTestId('import-preview');
    expect(await preview.locator('tbody tr').count()).to.equal(6);
    expect(await preview.locator('tbody tr').first().textContent()).to.equal(`1${a.username}vipadd`);

    await page.getByRole('button', { name: 'Validate 6 rows' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.getByTestId('fact-rows').textContent()).to.equal('Rows6');
    expect(await report.getByTestId('fact-valid').textContent()).to.equal('Valid2');
    expect(await report.getByTestId('fact-invalid').textContent()).to.equal('Invalid3');
    expect(await report.getByTestId('fact-duplicates').textContent()).to.equal('Duplicates removed1');
    const problems = await report
      .getByTestId('import-errors')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from(r.querySelectorAll('td'))
            .slice(0, 2)
            .map((td) => td.textContent),
        ),
      );
    expect(problems).to.deep.equal([
      ['4', 'username'],
      ['5', 'tag'],
      ['6', 'action'],
    ]);
    await screenshot(page, 'admin-imports-report');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download').click()]);
    expect(download.suggestedFilename()).to.equal('vip-tags-report.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('row,column,problem');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).to.deep.equal(['4,username', '5,tag', '6,action']);

    // the past imports list holds it
    await page.getByRole('table', { name: 'Imports' }).getByText('vip-tags.csv').waitFor();

    // apply: the valid rows become an operation draft, linked from the report
    await report.getByRole('button', { name: 'Apply 2 valid rows' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Apply' }).click();
    const links = report.getByTestId('import-applied').getByRole('link');
    await links.first().waitFor();
    expect(await links.count()).to.equal(1);
    await report.locator('.badge.applied').waitFor();
    await links.first().click();
    await page.waitForURL(/\/admin\/operations\?open=/);
  });
});
