import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler, JobRecord } from '../../server/services/admin/jobs/types.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Items with n % 10 == 0 fail, n % 7 == 0 are skipped, the others succeed; every run leaves a row in job_test_effects. */
const COUNTING: JobHandler = {
  kind: 'test_counting',
  async runItem(em, { job, item }) {
    await em.execute(`insert into job_test_effects (job_id, seq) values (?, ?)`, [job.id, item.seq]);
    const n = Number(item.payload.n);
    if (n % 10 === 0) return { status: 'failed', error: 'multiple of ten' };
    if (n % 7 === 0) return { status: 'skipped', result: { why: 'multiple of seven' } };
    return { status: 'succeeded', result: { double: n * 2 } };
  },
  async onEnd(em, job) {
    await em.execute(`insert into job_test_ends (job_id, status) values (?, ?)`, [job.id, job.status]);
  },
};

/** Locks the item's player row (as a grant would) before succeeding. */
const LOCKING: JobHandler = {
  kind: 'test_locking',
  async runItem(em, { job, item }) {
    await em.execute(`select 1 from users where id = ? for update`, [item.userId]);
    await em.execute(`insert into job_test_effects (job_id, seq) values (?, ?)`, [job.id, item.seq]);
    return { status: 'succeeded' };
  },
};

describe('admin jobs: runtime', function () {
  this.timeout(90_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  const actor = { id: '00000000-0000-4000-8000-000000000001', username: 'ops' };

  const create = (job: Omit<Parameters<TestServer['services']['jobs']['create']>[1], 'createdBy' | 'params'>) =>
    em().transactional((tx) => s.services.jobs.create(tx as EntityManager, { params: {}, createdBy: actor, ...job }));
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: null, payload: { n: i + 1 } }));
  async function ended(id: string, timeoutMs = 20_000): Promise<JobRecord> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = (await s.services.jobs.get(id))!;
      if (['DONE', 'FAILED', 'CANCELED'].includes(job.status)) return job;
      if (Date.now() > until) throw new Error(`job ${id} still ${job.status}: ${JSON.stringify(job.counts)}`);
      await sleep(50);
    }
  }
  const effects = async (jobId: string) =>
    (await em().execute(`select seq, count(*)::int as runs from job_test_effects where job_id = ? group by seq order by seq`, [
      jobId,
    ])) as Array<{
      seq: number;
      runs: number;
    }>;

  const itemOf = async (jobId: string) =>
    (await em().execute(`select status, error, attempts from admin_job_items where job_id = ? and seq = 1`, [jobId]))[0] as {
      status: string;
      error: string | null;
      attempts: number;
    };

  before(async () => {
    s = await startTestServer('admin_jobs', {
      ADMIN_JOB_CHUNK_SIZE: 50,
      ADMIN_JOB_LOCK_TIMEOUT_MS: 200,
      ADMIN_JOB_RETRY_DELAY_MS: 100,
      ADMIN_JOB_ITEM_ATTEMPTS: 3,
    });
    await em().execute(`create table job_test_effects (job_id uuid not null, seq int not null, at timestamptz not null default now())`);
    await em().execute(`create table job_test_ends (job_id uuid not null, status text not null)`);
    s.services.jobs.register(COUNTING);
    s.services.jobs.register(LOCKING);
  });
  after(async () => {
    await s?.stop();
  });

  it('starts by itself after the commit, runs every item once in chunks, and ends FAILED with partial success in the counts', async () => {
    const job = await create({ kind: COUNTING.kind, items: items(240) });
    expect(job.status).to.equal('PENDING');
    expect(job.counts).to.deep.equal({ total: 240, pending: 240, succeeded: 0, failed: 0, skipped: 0 });
    const done = await ended(job.id);
    expect(done.status).to.equal('FAILED');
    // 24 multiples of ten fail; the multiples of seven that are not (31 of them) are skipped
    expect(done.counts).to.deep.equal({ total: 240, pending: 0, succeeded: 185, failed: 24, skipped: 31 });
    const runs = await effects(job.id);
    expect(runs).to.have.length(240);
    expect(runs.every((r) => r.runs === 1)).to.equal(true);
    const [item] = await em().execute(`select status, result, error, attempts from admin_job_items where job_id = ? and seq = 10`, [
      job.id,
    ]);
    expect(item).to.deep.include({ status: 'failed', error: 'multiple of ten', attempts: 1 });
    expect(await em().execute(`select status from job_test_ends where job_id = ?`, [job.id])).to.deep.equal([{ status: 'FAILED' }]);
  });

  it('ends DONE when no item failed; a select makes the items in one statement', async () => {
    const job = await create({
      kind: COUNTING.kind,
      items: {
        sql: `select null::uuid as user_id, jsonb_build_object('n', g * 10 + 1) as payload from generate_series(0, ?) g`,
        params: [99],
      },
    });
    expect(job.counts.total).to.equal(100);
    const done = await ended(job.id);
    expect(done.status).to.equal('DONE');
    expect(done.counts).to.deep.include({ succeeded: 100 - 14, skipped: 14, failed: 0 });
  });

  it('an item waiting on a locked player row gives up at the lock timeout and is retried later', async () => {
    const player = await signup(s.http);
    let jobId = '';
    await em().transactional(async (tx) => {
      await tx.execute(`select 1 from users where id = ? for update`, [player.userId]);
      jobId = (await create({ kind: LOCKING.kind, items: [{ userId: player.userId, payload: {} }] })).id;
      // hold the row until the item's first attempt has timed out
      while ((await itemOf(jobId)).attempts < 1) await sleep(20);
    });
    const done = await ended(jobId);
    expect(done.status).to.equal('DONE');
    const item = await itemOf(jobId);
    expect(item.status).to.equal('succeeded');
    expect(item.attempts).to.be.at.least(2);
    expect(await effects(jobId)).to.deep.equal([{ seq: 1, runs: 1 }]);
  });

  it('an item whose player row stays locked fails after its attempts with the lock timeout error, applying nothing', async () => {
    const player = await signup(s.http);
    let jobId = '';
    await em().transactional(async (tx) => {
      await tx.execute(`select 1 from users where id = ? for update`, [player.userId]);
      jobId = (await create({ kind: LOCKING.kind, items: [{ userId: player.userId, payload: {} }] })).id;
      expect((await ended(jobId)).status).to.equal('FAILED');
    });
    const item = await itemOf(jobId);
    expect(item).to.deep.include({ status: 'failed', attempts: 3 });
    expect(item.error).to.match(/^55P03: .*lock timeout/);
    expect(await effects(jobId)).to.deep.equal([]);
  });
});
