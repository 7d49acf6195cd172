import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler, JobRecord } from '../../server/services/admin/jobs/types.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** When set, COUNTING fails the multiples of ten (a retry after clearing it makes them succeed). */
let failTens = true;

/** Items with n % 10 == 0 fail, n % 7 == 0 are skipped, the others succeed; every run leaves a row in job_test_effects. */
const COUNTING: JobHandler = {
  kind: 'test_counting',
  async runItem(em, { job, item }) {
    await em.execute(`insert into job_test_effects (job_id, seq) values (?, ?)`, [job.id, item.seq]);
    const n = Number(item.payload.n);
    if (failTens && n % 10 === 0) return { status: 'failed', error: 'multiple of ten' };
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

/** Sleeps a little per item (a job long enough to watch and cancel). */
const SLOW: JobHandler = {
  kind: 'test_slow',
  async runItem() {
    await sleep(10);
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
  const items = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ userId: null, payload: { n: i + from } }));
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
    s.services.jobs.register(SLOW);
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

  describe('API', () => {
    let viewer: TestOperator;
    let operator: TestOperator;
    before(async () => {
      viewer = await createOperator(s, 'viewer');
      operator = await createOperator(s, 'operator');
    });
    const get = (path: string, token = viewer.access) => s.http.get(path, { token });
    const post = (path: string, token = operator.access) => s.http.post(path, {}, { token, headers: writeHeaders() });

    it('lists jobs newest first, filtered by status and kind, and shows one with its counts', async () => {
      const job = await create({ kind: COUNTING.kind, items: items(30) });
      await ended(job.id);
      const list = await get(`/api/admin/jobs?kind=${COUNTING.kind}&limit=200`);
      expect(list.status, list.text).to.equal(200);
      expect(list.body.items[0].id).to.equal(job.id);
      expect(list.body.items.every((j: { kind: string }) => j.kind === COUNTING.kind)).to.equal(true);
      const failed = await get('/api/admin/jobs?status=FAILED&limit=200');
      expect(failed.body.items.map((j: { id: string }) => j.id)).to.include(job.id);
      expect((await get('/api/admin/jobs?status=DONE&limit=200')).body.items.map((j: { id: string }) => j.id)).to.not.include(job.id);
      const one = await get(`/api/admin/jobs/${job.id}`);
      expect(one.body).to.deep.include({ id: job.id, kind: COUNTING.kind, status: 'FAILED', ref_type: null, cancel_requested: false });
      expect(one.body.counts).to.deep.equal({ total: 30, pending: 0, succeeded: 23, failed: 3, skipped: 4 });
      expect(one.body.created_by).to.deep.equal(actor);
      expect((await get(`/api/admin/jobs/00000000-0000-4000-8000-00000000dead`)).status).to.equal(404);
      expect((await get(`/api/admin/jobs?status=nope`)).status).to.equal(400);
    });

    it('pages the items, filters them by status, and exports the failed ones as CSV', async () => {
      const job = await create({ kind: COUNTING.kind, items: items(30) });
      await ended(job.id);
      const first = await get(`/api/admin/jobs/${job.id}/items?limit=10`);
      expect(first.body.items.map((i: { seq: number }) => i.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const second = await get(`/api/admin/jobs/${job.id}/items?limit=10&cursor=${first.body.next_cursor}`);
      expect(second.body.items[0].seq).to.equal(11);
      const failed = await get(`/api/admin/jobs/${job.id}/items?status=failed`);
      expect(failed.body.items.map((i: { seq: number }) => i.seq)).to.deep.equal([10, 20, 30]);
      expect(failed.body.items[0]).to.deep.include({ status: 'failed', error: 'multiple of ten', payload: { n: 10 }, attempts: 1 });
      const ok = (await get(`/api/admin/jobs/${job.id}/items?status=succeeded&limit=1`)).body.items[0];
      expect(ok).to.deep.include({ seq: 1, result: { double: 2 }, error: null });

      const csv = await get(`/api/admin/jobs/${job.id}/items.csv?status=failed`);
      expect(csv.status).to.equal(200);
      expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).to.equal('id,seq,user_id,username,status,payload,result,error,attempts,finished_at');
      expect(lines).to.have.length(4);
      expect(lines[1]).to.match(new RegExp(`^${job.id}:10,10,,,failed,"\\{""n"":10\\}",,multiple of ten,1,`));
      expect((await get(`/api/admin/jobs/00000000-0000-4000-8000-00000000dead/items.csv`)).status).to.equal(404);
    });

    it('cancel: pending items are skipped ("canceled") at the next chunk and the job ends CANCELED; an ended job is 409', async () => {
      const job = await create({ kind: SLOW.kind, items: items(400) });
      while ((await s.services.jobs.get(job.id))!.counts.succeeded === 0) await sleep(20);
      expect((await post(`/api/admin/jobs/${job.id}/cancel`, viewer.access)).status).to.equal(403);
      const cancel = await post(`/api/admin/jobs/${job.id}/cancel`);
      expect(cancel.status, cancel.text).to.equal(202);
      expect(cancel.body.cancel_requested).to.equal(true);
      const done = await ended(job.id);
      expect(done.status).to.equal('CANCELED');
      expect(done.counts.pending).to.equal(0);
      expect(done.counts.skipped).to.be.greaterThan(0);
      expect(done.counts.succeeded + done.counts.skipped).to.equal(400);
      const skipped = (await get(`/api/admin/jobs/${job.id}/items?status=skipped&limit=1`)).body.items[0];
      expect(skipped.error).to.equal('canceled');
      const again = await post(`/api/admin/jobs/${job.id}/cancel`);
      expect(again.status).to.equal(409);
      expect(again.body.error).to.equal('job/not_cancelable');
      const [audit] = await em().execute(`select action, target_id, after from audit_log where action = 'job.cancel' and target_id = ?`, [
        job.id,
      ]);
      expect(audit.after).to.deep.include({ cancel_requested: true });
    });

    it('retry: the failed items run again and the job ends DONE; nothing to retry is 409', async () => {
      const job = await create({ kind: COUNTING.kind, items: items(20) });
      expect((await ended(job.id)).status).to.equal('FAILED');
      failTens = false;
      try {
        const retry = await post(`/api/admin/jobs/${job.id}/retry`);
        expect(retry.status, retry.text).to.equal(202);
        expect(retry.body.requeued).to.equal(2);
        expect(retry.body.job.status).to.equal('PENDING');
        expect(retry.body.job.counts).to.deep.include({ pending: 2, failed: 0 });
        const done = await ended(job.id);
        expect(done.status).to.equal('DONE');
        expect(done.counts).to.deep.equal({ total: 20, pending: 0, succeeded: 18, failed: 0, skipped: 2 });
        // the items that had succeeded did not run again
        const runs = await effects(job.id);
        expect(runs.filter((r) => r.runs === 2).map((r) => r.seq)).to.deep.equal([10, 20]);
        expect(runs.filter((r) => r.runs > 2)).to.deep.equal([]);
      } finally {
        failTens = true;
      }
      const again = await post(`/api/admin/jobs/${job.id}/retry`);
      expect(again.status).to.equal(409);
      expect(again.body.error).to.equal('job/nothing_to_retry');
    });

    it('streams job events (id, status, counts) with a bearer token or the admin session cookie', async () => {
      const open = async (path: string, headers: Record<string, string>) => {
        const ctl = new AbortController();
        const res = await fetch(s.url + path, { headers, signal: ctl.signal });
        const reader = res.body?.getReader();
        let text = '';
        return {
          status: res.status,
          /** reads until `done(text)` holds */
          until: async (done: (text: string) => boolean) => {
            while (!done(text)) text += new TextDecoder().decode((await reader!.read()).value);
            return text;
          },
          close: () => ctl.abort(),
        };
      };
      const bearer = await open('/api/admin/jobs/stream', { authorization: `Bearer ${viewer.access}` });
      const cookie = await open('/admin/jobs/stream', { cookie: `neon_admin_session=${viewer.access}` });
      expect([bearer.status, cookie.status]).to.deep.equal([200, 200]);
      await bearer.until((t) => t.includes('event: ready'));
      await cookie.until((t) => t.includes('event: ready'));
      const job = await create({ kind: COUNTING.kind, items: items(9) });
      const finished = (t: string) => t.includes(`"id":"${job.id}","kind":"${COUNTING.kind}","status":"DONE"`);
      for (const stream of [bearer, cookie]) {
        const text = await stream.until(finished);
        const events = text
          .split('\n\n')
          .filter((e) => e.startsWith('event: job'))
          .map((e) => JSON.parse(e.split('data: ')[1]))
          .filter((e) => e.id === job.id);
        expect(events[0].status).to.equal('RUNNING');
        expect(events.at(-1)).to.deep.equal({
          id: job.id,
          kind: COUNTING.kind,
          status: 'DONE',
          counts: { total: 9, pending: 0, succeeded: 8, failed: 0, skipped: 1 },
        });
        stream.close();
      }
      expect((await open('/admin/jobs/stream', {})).status).to.equal(401);
    });
  });
});
