/// <reference lib="dom" />
// The console's player pages in Debian's Chromium: each role finds a player by username prefix and reads their
// balances in the drawer, seeing only the actions its permissions allow; an operator adjusts a wallet and sees the
// admin_adjustment ledger row; a large adjustment waits for approval, which its requester cannot give and a second
// operator gives on the Approvals page; a ban names the player in its confirmation and changes their status.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { can, type OperatorRole } from '../../domain/admin/rbac.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { launchBrowser, openAdmin, screenshot, adminLogIn } from '../helpers/browser.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';

/** The drawer's action buttons and the permission each needs (for an active player). */
const ACTIONS = [
  { id: 'action-ban', permission: 'players:ban' },
  { id: 'action-revoke', permission: 'players:sessions' },
  { id: 'action-lockout', permission: 'players:sessions' },
  { id: 'action-adjust', permission: 'wallet:adjust' },
] as const;

/** The players grid's rows. */
function gridRows(page: Page) {
  return page.getByRole('table', { name: 'Players' }).locator('tbody tr');
}

/** The grid row of the player named exactly `username`. */
function rowOf(page: Page, username: string) {
  return gridRows(page).filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${username}$`) }) });
}

/** Searches the grid by `q` and opens the drawer of the row showing `username`. */
async function openPlayer(page: Page, q: string, username: string) {
  await page.getByLabel('Username or id').fill(q);
  await page.getByLabel('Username or id').press('Enter');
  await page.waitForURL(new RegExp(`q=${q}`));
  await rowOf(page, username).click();
  await page.getByTestId('drawer').waitFor();
  await page.getByTestId('balance-GOLD').waitFor();
}

describe('browser: admin console, players and approvals', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser;
  const prefix = uniqueName('pp');
  const ops = {} as Record<OperatorRole, TestOperator>;
  let second: TestOperator;

  const detail = async (id: string) => (await server.http.get(`/api/admin/players/${id}`, { token: ops.operator.access })).body;

  before(async () => {
    server = await startTestServer('browser_admin_players', { ADMIN_ADJUSTMENT_APPROVAL_THRESHOLD: 10_000 });
    browser = await launchBrowser();
    for (const role of ['viewer', 'support', 'operator'] as const) ops[role] = await createOperator(server, role);
    second = await createOperator(server, 'operator');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const role of ['support', 'operator', 'viewer'] as const) {
    it(`as ${role}: finds a player by username prefix, reads the balances and sees only the actions the role allows`, async () => {
      const player = await signup(server.http, `${prefix}${role.slice(0, 3)}`);
      await signup(server.http, `${prefix}${role.slice(0, 3)}x`);
      const limits = [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 300 }];
      expect((await server.http.request('PUT', '/api/limits', { token: player.access, body: { limits } })).status).to.equal(200);
      // the created range is whole UTC days: today's players are found, from today's start to tomorrow's (exclusive)
      const today = new Date().toISOString().slice(0, 10);
      const path = `/admin/players?created_from=${today}&created_to=${today}`;
      const { context, page, errors } = await openAdmin(browser, server.url, { width: 1280, height: 800 }, path);
      const grid: URL[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/api/admin/players') grid.push(new URL(r.url()));
      });
      await adminLogIn(page, ops[role]);
      await openPlayer(page, `${prefix}${role.slice(0, 3)}`, player.username);
      expect(await gridRows(page).count()).to.equal(2);
      const query = grid.at(-1)!.searchParams;
      expect(query.get('created_from')).to.equal(`${today}T00:00:00Z`);
      expect(Date.parse(query.get('created_to')!) - Date.parse(`${today}T00:00:00Z`)).to.equal(86_400_000);

      const balances = (await detail(player.userId)).balances as Record<string, number>;
      expect(await page.getByTestId('balance-GOLD').textContent()).to.equal(balances.GOLD.toLocaleString('en-US'));
      expect(await page.getByTestId('balance-GEM').textContent()).to.equal(balances.GEM.toLocaleString('en-US'));
      const shown = await page.locator('[data-testid^="action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      expect(shown).to.deep.equal(ACTIONS.filter((a) => can(role, a.permission)).map((a) => a.id));
      // the ledger tab opens first (the sign-up bonus); the notes tab offers a new note only with players:notes
      await page.getByTestId('tab-ledger').locator('tbody tr').first().waitFor();
      await page.getByRole('tab', { name: 'Notes' }).click();
      await page.getByTestId('tab-notes').getByTestId('state-empty').waitFor();
      expect(await page.getByTestId('note-text').count()).to.equal(can(role, 'players:notes') ? 1 : 0);
      expect(await page.getByRole('tab', { name: 'Audit trail' }).count()).to.equal(can(role, 'audit:read') ? 1 : 0);
      if (role === 'viewer') await screenshot(page, 'admin-player-drawer-viewer');
      // the player's limits and their history, read-only for every role
      await page.getByRole('tab', { name: 'Limits' }).click();
      const limit = page.getByTestId('admin-limit-loss-GOLD-day');
      await limit.waitFor();
      expect(await limit.locator('td').allTextContents()).to.deep.equal(['Loss GOLD per day', '300', '—', '0', '300']);
      expect(await page.getByTestId('limits-history-row').count()).to.equal(1);
      expect(await page.getByTestId('player-limits').locator('button, input, select').count(), 'no control').to.equal(0);
      if (role === 'viewer') await screenshot(page, 'admin-player-limits-viewer');
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }

  it("as operator: credits a wallet and sees the admin_adjustment ledger row in the drawer; opens a round's fairness record; adds a note", async () => {
    const player = await signup(server.http, `${prefix}cr`);
    const before = (await detail(player.userId)).balances.GOLD as number;
    const roundId = randomUUID();
    await server.orm.em.fork().execute(
      `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
       values (?, 'slot', ?, 'GOLD', 10, 20, 200, '{}', '{}', 'settled', 'test', now())`,
      [roundId, player.userId],
    );
    const { context, page, errors } = await openAdmin(browser, server.url, { width: 1920, height: 1080 }, '/admin/players');
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/wallet/adjustments')) keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await adminLogIn(page, ops.operator);
    await openPlayer(page, player.username, player.username);
    await page.getByTestId('action-adjust').click();
    await page.getByLabel('Currency').selectOption('GOLD');
    await page.getByLabel('Amount').fill('250');
    await page.getByLabel('Reason').selectOption('goodwill');
    await page.getByLabel('Note').fill('lost connection mid-round');
    await page.getByRole('button', { name: 'Review' }).click();
    expect(await page.getByTestId('confirm-dialog').getByRole('heading').textContent()).to.equal(`Credit 250 GOLD to ${player.username}?`);
    await page.getByTestId('confirm').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Applied' }).waitFor();
    expect(keys).to.have.length(1);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);

    // the drawer refetched: new balance, and the newest ledger row is the adjustment with its reason code
    await page
      .getByTestId('balance-GOLD')
      .filter({ hasText: (before + 250).toLocaleString('en-US') })
      .waitFor();
    const row = page.getByTestId('tab-ledger').locator('tbody tr').first();
    await row.filter({ hasText: 'admin_adjustment' }).waitFor();
    expect(await row.textContent())
      .to.include('+250 GOLD')
      .and.include('goodwill')
      .and.include(ops.operator.username);

    // a round opens its public fairness record in a new tab
    await page.getByRole('tab', { name: /Rounds/ }).click();
    const [fairness] = await Promise.all([context.waitForEvent('page'), page.getByTestId('fairness-link').click()]);
    expect(new URL(fairness.url()).pathname).to.equal(`/api/fairness/rounds/${roundId}`);
    await fairness.close();

    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.getByTestId('note-text').fill('called about the credit');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('tab-notes').locator('tbody tr', { hasText: 'called about the credit' }).waitFor();
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    await page.getByTestId('tab-audit').locator('tbody tr', { hasText: 'wallet.adjust' }).waitFor();
    await screenshot(page, 'admin-player-drawer-1920');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('a large adjustment waits for approval: its requester is refused, a second operator approves it on the Approvals page', async () => {
    const player = await signup(server.http, `${prefix}big`);
    const before = (await detail(player.userId)).balances.GOLD as number;
    const first = await openAdmin(browser, server.url, { width: 1280, height: 800 }, '/admin/players');
    await adminLogIn(first.page, ops.operator);
    await openPlayer(first.page, player.username, player.username);
    await first.page.getByTestId('action-adjust').click();
    await first.page.getByLabel('Amount').fill('50000');
    await first.page.getByLabel('Reason').selectOption('compensation');
    await first.page.getByRole('button', { name: 'Review' }).click();
    expect(await first.page.getByTestId('confirm-dialog').textContent()).to.include(`Credit 50,000 GOLD to ${player.username}?`);
    await first.page.getByTestId('confirm').click();
    await first.page.getByTestId('toast-info').filter({ hasText: 'Pending approval' }).waitFor();
    expect((await detail(player.userId)).balances.GOLD).to.equal(before);

    // the requester sees it marked as theirs; approving it shows the API's refusal
    await first.page.keyboard.press('Escape');
    await first.page.getByTestId('nav-approvals').click();
    const mine = first.page.getByTestId('approval-row').filter({ hasText: player.username });
    await mine.filter({ hasText: '(you)' }).waitFor();
    await mine.getByRole('button', { name: 'Approve' }).click();
    await first.page.getByTestId('confirm').click();
    await first.page.getByTestId('toast-error').filter({ hasText: 'another operator' }).waitFor();
    expect(first.errors).to.deep.equal([]);
    await first.context.close();

    const other = await openAdmin(browser, server.url, { width: 1280, height: 800 }, '/admin/approvals');
    await adminLogIn(other.page, second);
    const row = other.page.getByTestId('approval-row').filter({ hasText: player.username });
    expect(await row.textContent())
      .to.include('+50,000 GOLD')
      .and.include(ops.operator.username)
      .and.include('compensation');
    await row.getByRole('button', { name: 'Approve' }).click();
    expect(await other.page.getByTestId('confirm-dialog').getByRole('heading').textContent()).to.equal(
      `Approve +50,000 GOLD for ${player.username}?`,
    );
    await other.page.getByTestId('confirm').click();
    await other.page.getByTestId('toast-success').filter({ hasText: 'Approved and applied' }).waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await detail(player.userId)).balances.GOLD).to.equal(before + 50_000);
    expect(other.errors).to.deep.equal([]);
    await other.context.close();
  });

  it('bans a player after a confirmation naming them, and shows the new status', async () => {
    const player = await signup(server.http, `${prefix}ban`);
    const { context, page, errors } = await openAdmin(browser, server.url, { width: 1280, height: 800 }, '/admin/players');
    await adminLogIn(page, ops.operator);
    await openPlayer(page, player.username, player.username);
    await page.getByTestId('action-ban').click();
    const dialog = page.getByTestId('confirm-dialog');
    expect(await dialog.getByRole('heading').textContent()).to.equal(`Ban player ${player.username}?`);
    expect(await page.getByTestId('confirm').isDisabled()).to.equal(true);
    await page.getByTestId('action-reason').fill('chargeback fraud');
    await page.getByTestId('confirm').click();
    await page.getByTestId('player-status').filter({ hasText: 'banned' }).waitFor();
    await page.getByTestId('action-unban').waitFor();
    expect(await page.getByTestId('action-ban').count()).to.equal(0);
    expect((await detail(player.userId)).status).to.equal('banned');
    await page.keyboard.press('Escape');
    await rowOf(page, player.username).locator('.badge.banned').waitFor();
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
