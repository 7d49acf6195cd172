/// <reference lib="dom" />
// The console's Jobs page in Debian's Chromium: a running job's progress bar moves without a reload (the job events
// stream), the job opens in a drawer with its failed items, the failed items download as CSV and run again on
// "Retry failed", a running job is canceled; a viewer sees the jobs without the cancel and retry controls.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler } from '../../server/services/admin/jobs/types.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { launchBrowser, adminPages } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

/** When set, items whose n is a multiple of 25 fail. */
let failSome = true;

/** A job slow enough to watch: 15 ms per item. */
const SLOW: JobHandler = {
  kind: 'browser_slow',
  async runItem(_em, { item }) {
    await sleep(15);
    return failSome && Number(item.payload.n) % 25 === 0 ? { status: 'failed', error: 'unlucky number' } : { status: 'succeeded' };
  },
};

describe('browser: admin jobs', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let operator: TestOperator;
  let viewer: TestOperator;
  const pages = adminPages(() => ({ browser, url: server.url }));
  const admin = pages.open;
  const newJob = (n: number) =>
    (server.orm.em.fork() as EntityManager).transactional(async (tx) => {
      const items = Array.from({ length: n }, (_, i) => ({ userId: null, payload: { n: i + 1 } }));
      const job = await server.services.jobs.create(tx as EntityManager, {
        kind: SLOW.kind,
        params: {},
        createdBy: { id: operator.id, username: operator.username },
        items,
      });
      return job.id;
    });

  before(async () => {
    server = await startTestServer('browser_admin_jobs', { ADMIN_JOB_CHUNK_SIZE: 20 });
    server.services.jobs.register(SLOW);
    operator = await createOperator(server, 'operator');
    viewer = await createOperator(server, 'viewer');
    browser = await launchBrowser();
  });
  afterEach(() => pages.closeChecked());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows live progress, opens the job with its failed items, downloads them as CSV and retries them', async () => {
    const { page } = await admin(operator, '/admin/jobs');
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    const id = await newJob(300);
    // the list was loaded before the job ran: the row appears on a refetch, then only the stream moves its bar
    await page.reload();
    const row = page.getByTestId('job-row').first();
    await row.getByText('browser_slow').waitFor();
    const bar = row.locator('progress');
    const seen = new Set<number>();
    for (let i = 0; i < 200 && !(await row.getByText(/FAILED/).count()); i++) {
      seen.add(Number(await bar.getAttribute('value')));
      await sleep(50);
    }
    await row.getByText(/300 \/ 300 · FAILED · 12 failed/).waitFor();
    expect(seen.size, 'the bar moved without a reload').to.be.greaterThan(2);

    await row.click();
    const drawer = page.getByTestId('drawer');
    await expect(await drawer.getByTestId('job-status').textContent()).to.equal('FAILED');
    await drawer.getByLabel('Item status').selectOption('failed');
    // the unfiltered page (20 rows) stays on screen until the filtered one arrives: wait for it to go
    await drawer.getByTestId('job-item-row').nth(12).waitFor({ state: 'detached' });
    await drawer.getByTestId('job-item-row').nth(11).waitFor();
    expect(await drawer.getByTestId('job-item-row').count()).to.equal(12);
    expect(await drawer.getByTestId('job-item-row').first().textContent()).to.include('unlucky number');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: 'Download failed (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal(`job-${id.slice(0, 8)}-failed.csv`);

    failSome = false;
    try {
      await drawer.getByRole('button', { name: 'Retry failed' }).click();
      await drawer.getByTestId('job-status').getByText('DONE').waitFor({ timeout: 30_000 });
    } finally {
      failSome = true;
    }
    await page
      .getByTestId('job-row')
      .first()
      .getByText(/300 \/ 300 · DONE/)
      .waitFor();
  });

  it('cancels a running job; a viewer sees jobs without cancel or retry', async () => {
    const id = await newJob(3000);
    const { page } = await admin(operator, `/admin/jobs?id=${id}`);
    const drawer = page.getByTestId('drawer');
    await drawer.getByTestId('job-status').getByText('RUNNING').waitFor();
    await drawer.getByRole('button', { name: 'Cancel' }).click();
    await drawer.getByTestId('job-status').getByText('CANCELED').waitFor({ timeout: 30_000 });
    const job = (await server.services.jobs.get(id))!;
    expect(job.counts.skipped).to.be.greaterThan(0);

    const failed = await newJob(30);
    while ((await server.services.jobs.get(failed))!.status !== 'FAILED') await sleep(50);
    const v = await admin(viewer, `/admin/jobs?id=${failed}`);
    const viewDrawer = v.page.getByTestId('drawer');
    await viewDrawer.getByTestId('job-status').getByText('FAILED').waitFor();
    expect(await viewDrawer.getByRole('button', { name: 'Retry failed' }).count()).to.equal(0);
    expect(await viewDrawer.getByRole('button', { name: 'Download failed (CSV)' }).count()).to.equal(1);
  });
});
