/// <reference lib="dom" />
// The console's segments page in Debian's Chromium: an operator builds "level ≥ 5 and not (a purchase in 7 days)" from
// the fact menu, watches the live preview count the matching players and list a sample, saves it, edits it under its
// version; a viewer can try rules but sees no save; a support operator tags a player from the player drawer.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, screenshot, adminPages } from '../helpers/browser.ts';

describe('browser: admin segments', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  let support: TestOperator;
  const players: Array<{ id: string; username: string }> = [];
  const sql = (q: string, params: unknown[] = []) => (server.orm.em.fork() as EntityManager).execute(q, params);
  const pages = adminPages(() => ({ browser, url: server.url }), { allow: /status of 400/ });
  const admin = pages.open;

  before(async () => {
    server = await startTestServer('browser_admin_segments');
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    support = await createOperator(server, 'support');
    for (let i = 0; i < 12; i++) {
      const p = await signup(server.http, uniqueName('seg'));
      players.push({ id: p.userId, username: p.username });
      await sql(`update users set level = ? where id = ?`, [i < 8 ? 6 : 2, p.userId]);
    }
    // two of the level-6 players bought something this week: the rule leaves them out
    for (const p of players.slice(0, 2)) {
      await sql(
        `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, status, created_at)
         values (?, ?, ?, 'seg', 1, 100, 100, 'USD', 'succeeded', now() - interval '1 day')`,
        [randomUUID(), p.id, randomUUID()],
      );
    }
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds a rule from the fact menu, previews it live, saves it and edits it under its version', async () => {
    const { page } = await admin(operator, '/admin/segments');
    await page.getByTestId('segment-new').click();
    await page.getByTestId('drawer').waitFor();
    await page.getByTestId('segment-name').fill('Lapsed level 5+');
    await page.getByTestId('preview-count').filter({ hasText: '12' }).waitFor();

    await page.getByTestId('rule-add').selectOption('level');
    await page.getByTestId('rule-0').getByLabel('at least').fill('5');
    await page.getByTestId('preview-count').filter({ hasText: /^8$/ }).waitFor();

    await page.getByTestId('rule-add').selectOption('purchases');
    await page.getByTestId('rule-1-not').check();
    await page.getByTestId('preview-count').filter({ hasText: /^6$/ }).waitFor();
    const sample = page.getByTestId('preview-sample').locator('tbody tr');
    expect(await sample.count()).to.equal(6);
    for (const p of players.slice(0, 2)) expect(await page.getByTestId('preview-sample').getByText(p.username).count()).to.equal(0);

    // a bad value is refused by the server and named
    await page.getByTestId('rule-0').getByLabel('at least').fill('50');
    await page.getByTestId('rule-0').getByLabel('at most').fill('10');
    await page.getByTestId('preview-error').filter({ hasText: 'rule.all.0.min' }).waitFor();
    await page.getByTestId('rule-0').getByLabel('at most').fill('');
    await page.getByTestId('rule-0').getByLabel('at least').fill('5');
    await page.getByTestId('preview-count').filter({ hasText: /^6$/ }).waitFor();
    await screenshot(page, 'admin-segments-builder');

    await page.getByTestId('segment-save').click();
    await page.getByText('Segment Lapsed level 5+ saved.').waitFor();
    const [saved] = await sql(`select id, rule, version from segments where name = 'Lapsed level 5+'`);
    expect(saved.rule).to.deep.equal({
      all: [{ fact: 'level', min: 5 }, { not: { fact: 'purchases', window: { days: 7 }, min: 1 } }],
    });

    // reopened from the list, edited: version 2
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('segment-Lapsed level 5+').click();
    await page.getByTestId('segment-save').filter({ hasText: 'version 1' }).waitFor();
    await page.getByTestId('rule-match').selectOption('any');
    await page.getByTestId('preview-count').filter({ hasText: /^12$/ }).waitFor();
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-save').filter({ hasText: 'version 2' }).waitFor();
    expect((await sql(`select version from segments where id = ?`, [saved.id]))[0].version).to.equal(2);
  });

  it('lets a viewer try a rule without saving it', async () => {
    const { page } = await admin(viewer, '/admin/segments');
    await page.getByTestId('segment-new').filter({ hasText: 'Try a rule' }).click();
    await page.getByTestId('rule-add').selectOption('has_tag');
    await page.getByTestId('preview-count').filter({ hasText: /^0$/ }).waitFor();
    expect(await page.getByTestId('segment-save').count()).to.equal(0);
  });

  it('tags a player from the player drawer (support), and the tag is what a rule sees', async () => {
    const { page } = await admin(support, '/admin/players');
    const target = players[5];
    await page.getByLabel('Username or id').fill(target.username);
    await page.getByLabel('Username or id').press('Enter');
    await page.getByRole('row').filter({ hasText: target.username }).first().click();
    await page.getByTestId('player-tags').waitFor();
    await page.getByTestId('tag-input').fill('vip');
    await page.getByTestId('tag-add').click();
    await page.getByTestId('tag-vip').waitFor();
    const [{ n }] = await sql(`select count(*)::int as n from player_tags where user_id = ? and tag = 'vip'`, [target.id]);
    expect(n).to.equal(1);
    await page.getByRole('button', { name: 'Remove tag vip' }).click();
    await page.getByTestId('tag-vip').waitFor({ state: 'detached' });
  });
});
