/// <reference lib="dom" />
// The console's Economy page in Debian's Chromium: the last 7 days of GOLD by default, sources and sinks stacked per
// day, the net issuance and total held, the table by reason with the seeded amounts, the GEM switch, the anomaly lists
// with a flagged player whose name opens the player's drawer, and no console error, within 1280×800.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit } from '../../domain/economy/currency.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { resealLedgerChains } from '../helpers/ledger-chain.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import { adminPages, launchBrowser, screenshot } from '../helpers/browser.ts';

const cellOf = async (page: Page, reason: string, col: number) =>
  (await page.locator(`[data-testid="economy-reasons"] tr[data-reason="${reason}"] td`).nth(col).textContent())!.trim();

describe('browser: admin economy', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let viewer: TestOperator;
  const sql = (q: string, params: unknown[] = []) => (server.orm.em.fork() as EntityManager).execute(q, params);
  const pages = adminPages(() => ({ browser, url: server.url }));

  before(async () => {
    server = await startTestServer('browser_admin_economy');
    viewer = await createOperator(server, 'viewer');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows sources and sinks of the last 7 days, the table by reason, the anomalies, and opens a flagged player', async () => {
    const a = await signup(server.http, uniqueName('eco'));
    const lucky = await signup(server.http, uniqueName('luck'));
    await server.services.wallet.apply([
      credit({ userId: a.userId, currency: 'GOLD', amount: 4000, reason: 'admin_adjustment', actor: 'test' }),
      debit({ userId: a.userId, currency: 'GOLD', amount: 1500, reason: 'bet' }),
      credit({ userId: a.userId, currency: 'GOLD', amount: 900, reason: 'win' }),
      credit({ userId: a.userId, currency: 'GEM', amount: 25, reason: 'purchase' }),
    ]);
    // two days back, so the chart has more than one day with bars
    await sql(`update ledger_entries set created_at = now() - interval '2 days' where reason in ('signup_bonus', 'admin_adjustment')`);
    // created_at is one of the hashed fields: the moved rows are sealed again so the ledger still verifies
    await resealLedgerChains(server.orm.em.fork() as EntityManager);
    await server.services.wallet.apply([credit({ userId: a.userId, currency: 'GOLD', amount: 300, reason: 'reward', refType: 'streak' })]);
    const values = Array.from(
      { length: 120 },
      () => `(?, 'slot', ?, 'GOLD', 100, 400, 400, '{}', '{"version":"slot-v1"}', 'settled', 'test', now())`,
    );
    await sql(
      `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
       values ${values.join(', ')}`,
      Array.from({ length: 120 }, () => [randomUUID(), lucky.userId]).flat(),
    );

    const { page, requests } = await pages.open(viewer, '/admin/economy');
    await page.getByTestId('economy-reasons').waitFor();
    await page.waitForSelector('[data-testid="economy-flows"] canvas');
    expect(await page.getByTestId('economy-flows').getAttribute('data-bars')).to.equal('7');
    expect(Number(await page.getByTestId('economy-flows').getAttribute('data-series'))).to.be.at.least(4);
    expect(requests.some((r) => r.startsWith('/api/admin/economy?currency=GOLD'))).to.equal(true);
    expect(await cellOf(page, 'admin_adjustment', 1)).to.equal('adjustments');
    expect(await cellOf(page, 'admin_adjustment', 2)).to.equal('4,000');
    expect(await cellOf(page, 'bet', 3)).to.equal('1,500');
    expect(await cellOf(page, 'win', 4)).to.equal('+900');
    expect(await cellOf(page, 'reward', 2)).to.equal('300');
    const held = Number((await page.getByTestId('economy-held').locator('strong').textContent())!.replace(/\D/g, ''));
    expect(held).to.equal(2000 + 4000 - 1500 + 900 + 300); // two sign-up bonuses (the viewer is no player)
    // the anomalies: the lucky player's 120 rounds at 4× the stake
    const row = page.locator(`[data-testid="anomaly-results"] tr[data-user="${lucky.userId}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).to.equal('120');
    expect(Number(await row.locator('td').nth(7).textContent())).to.be.above(5);
    expect(await page.getByTestId('anomaly-rewards').count()).to.equal(0);
    await screenshot(page, 'admin-economy-1280');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);

    await row.getByRole('button', { name: lucky.username }).click();
    await page.getByRole('dialog').waitFor();
    expect(await page.getByRole('dialog').textContent()).to.include(lucky.username);
    await page.keyboard.press('Escape');

    await page.getByTestId('currency-GEM').click();
    await page.waitForURL(/currency=GEM/);
    await page.waitForSelector('[data-testid="economy-reasons"] tr[data-reason="purchase"]');
    expect(await cellOf(page, 'purchase', 2)).to.equal('25');
    expect(Number((await page.getByTestId('economy-held').locator('strong').textContent())!.replace(/\D/g, ''))).to.equal(25);
    await screenshot(page, 'admin-economy-gem');
  });
});
