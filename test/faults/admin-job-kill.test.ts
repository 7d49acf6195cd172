import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseSegmentRule } from '../../domain/admin/segments.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { eventually } from '../helpers/room-client.ts';
import { root } from '../helpers/server-process.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../helpers/test-server.ts';

/**
 * The admin-jobs worker as its own process (`npm run worker`) is killed with SIGKILL in the middle of a real 50 GOLD
 * grant operation's apply job. A new worker takes the job over (its heartbeat goes stale) and finishes it from its
 * pending items: every player is paid exactly once (one ledger entry each, the balance up by 50) and the ledger
 * reconciles. The API process runs no workers.
 */
const PLAYERS = 600;
const GRANT = 50;

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/worker.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const up = await eventually(
    () => out.includes('worker running') || child.exitCode !== null,
    (ok) => ok,
    30_000,
  );
  if (!up || child.exitCode !== null) throw new Error(`worker did not start:\n${out}`);
  return { child, output: () => out, exited };
}

describe('an admin job whose worker is killed mid-run', function () {
  this.timeout(240_000);
  let s: TestServer;
  let admin: TestOperator;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) =>
    (s.orm.em.fork() as EntityManager).execute<T[]>(q, params);
  const post = (path: string, body: unknown) => s.http.post(path, body, { token: admin.access, headers: writeHeaders() });
  const jobOf = async (id: string) => (await s.services.jobs.get(id))!;

  before(async () => {
    s = await startTestServer('admin_job_kill', { RUN_WORKERS: false });
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      DATABASE_URL: s.config.DATABASE_URL,
      REDIS_URL: s.config.REDIS_URL,
      REDIS_PREFIX: s.config.REDIS_PREFIX,
      LOG_LEVEL: 'info',
      ...TEST_SECRETS,
      ADMIN_JOB_CHUNK_SIZE: '25',
      ADMIN_JOB_STALE_SECONDS: '2',
      ADMIN_JOB_POLL_MS: '200',
    };
    admin = await createOperator(s, 'admin');
    await sql(
      `insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at, last_login_at, last_seen_at)
       select gen_random_uuid(), 'Kill' || i, 'kill' || i, 'x', 'player', 'active', 7, 0, now() - interval '30 days', null, now()
         from generate_series(1, ?) i`,
      [PLAYERS],
    );
    await sql(
      `insert into wallets (user_id, currency, balance, version, updated_at)
       select u.id, c.currency, case c.currency when 'GOLD' then 1000 else 0 end, 0, now()
         from users u cross join (values ('GOLD'), ('GEM')) c(currency) where u.username_key like 'kill%'`,
    );
    await sql(
      `insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, actor, created_at)
       select id, 'GOLD', 1000, 1000, 'signup_bonus', 'user', id::text, 'system', now() from users where username_key like 'kill%'`,
    );
  });
  after(async function () {
    this.timeout(30_000);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.race([Promise.all(workers.map((w) => w.exited)), new Promise((r) => setTimeout(r, 15_000))]);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await s?.stop();
  });

  it('SIGKILL during the apply of a 50 GOLD grant: a new worker finishes it, each player paid once, the ledger reconciles', async () => {
    workers.push(await spawnWorker(env));
    const segment = await s.services.segments.create(
      s.orm.em.fork() as EntityManager,
      { id: admin.id, username: admin.username, role: 'admin' },
      { name: 'kill test', description: '', rule: parseSegmentRule({ fact: 'level', min: 7 }) },
    );
    const draft = await post('/api/admin/operations', {
      kind: 'grant_currency',
      params: { currency: 'GOLD', amount: GRANT },
      target: { type: 'segment', segment_id: segment.id },
    });
    expect(draft.status, draft.text).to.equal(201);
    const op = draft.body.id as string;
    const shadow = await post(`/api/admin/operations/${op}/shadow`, {});
    expect(shadow.status, shadow.text).to.equal(202);
    expect(
      (
        await eventually(
          () => jobOf(shadow.body.job_id),
          (j) => j.status === 'DONE',
          120_000,
        )
      ).status,
    ).to.equal('DONE');

    const apply = await post(`/api/admin/operations/${op}/apply`, { confirm_count: PLAYERS });
    expect(apply.status, apply.text).to.equal(202);
    const jobId = apply.body.job_id as string;
    const midway = await eventually(
      () => jobOf(jobId),
      (j) => j.counts.succeeded >= 100,
      120_000,
    );
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;
    const atKill = await jobOf(jobId);
    expect(atKill.status, 'the job was still running when its worker died').to.equal('RUNNING');
    expect(atKill.counts.pending).to.be.greaterThan(0);

    const started = Date.now();
    workers.push(await spawnWorker(env));
    const done = await eventually(
      () => jobOf(jobId),
      (j) => j.status !== 'RUNNING' && j.status !== 'PENDING',
      120_000,
    );
    console.log(
      `      killed at ${midway.counts.succeeded}+ of ${PLAYERS} items; resumed and finished ${((Date.now() - started) / 1000).toFixed(1)} s after the restart`,
    );
    expect(done.status).to.equal('DONE');
    expect(done.counts).to.deep.include({ total: PLAYERS, succeeded: PLAYERS, failed: 0, pending: 0 });

    const perPlayer = await sql<{ user_id: string; n: number; delta: string }>(
      `select user_id, count(*)::int as n, sum(delta)::text as delta from ledger_entries where reason = 'admin_operation' group by user_id`,
    );
    expect(perPlayer).to.have.length(PLAYERS);
    expect(perPlayer.filter((r) => r.n !== 1 || Number(r.delta) !== GRANT)).to.deep.equal([]);
    const [wallets] = await sql<{ n: number }>(
      `select count(*)::int as n from wallets w join users u on u.id = w.user_id where u.username_key like 'kill%' and w.currency = 'GOLD' and w.balance = ?`,
      [1000 + GRANT],
    );
    expect(wallets.n).to.equal(PLAYERS);
    expect((await findDrift(s.orm.em.fork() as EntityManager)).drift).to.deep.equal([]);
  });
});
