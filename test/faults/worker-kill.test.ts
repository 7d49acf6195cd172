import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';
import { SlotBot, stopAll } from '../helpers/bots.ts';
import { assertLedgerConsistent, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, root, spawnServer, type ServerProcess } from '../helpers/server-process.ts';
import { testEnv } from '../helpers/test-env.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * The worker process (`npm run worker`, server/cli/worker.ts) relays the outbox for a game process running with
 * RUN_WORKERS=false, and is killed with SIGKILL in the middle of an outbox batch: (1) deterministically between
 * publishing a batch to the Redis stream and committing its rows as published (the test holds a SHARE lock on the
 * outbox table, which lets the relay's SELECT … FOR UPDATE through and blocks its UPDATE), (2) at a moment of a
 * large backlog's relay while a bot plays. A new worker takes over; every outbox row is published exactly once.
 */
interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/worker.ts'], {
    cwd: root,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const up = await eventually(
    () => out.includes('worker running') || child.exitCode !== null,
    (ok) => ok,
    30_000,
  );
  if (!up || child.exitCode !== null) throw new Error(`worker did not start:\n${out}`);
  return { child, output: () => out, exited };
}

const killed = (w: WorkerProcess) => w.child.exitCode !== null || w.child.signalCode !== null;

describe('the outbox worker process killed mid batch', function () {
  this.timeout(120_000);
  let env: Record<string, string>;
  let game: ServerProcess | undefined;
  const workers: WorkerProcess[] = [];
  let redis: Redis;
  const log: string[] = [];
  const stream = () => `${env.REDIS_PREFIX}events`;

  before(async () => {
    env = await processEnv('workerkill', {
      INSTANCE_ID: 'worker-kill-game',
      SIGNUP_BONUS_GOLD: '1000000',
      RUN_WORKERS: 'false',
      ROOM_MESSAGES_PER_SECOND: '1000',
    });
    game = await spawnServer(env);
    redis = new Redis(testEnv.redisUrl);
  });
  after(async function () {
    this.timeout(30_000);
    for (const w of workers)
      if (!killed(w)) {
        w.child.kill('SIGTERM');
        await Promise.race([w.exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
    for (const w of workers) if (!killed(w)) w.child.kill('SIGKILL');
    if (game && game.child.exitCode === null) {
      game.child.kill('SIGTERM');
      await Promise.race([game.exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    redis?.disconnect();
    console.log(log.map((l) => `      ${l}`).join('\n'));
  });

  const backlog = (tag: string, n: number) =>
    withDb(env.DATABASE_URL, (em) =>
      em().execute(
        `insert into outbox (event_type, user_id, payload, version, created_at, attempts)
    select 'progress', null, json_build_object('backlog', ?::text, 'i', i), 1, now(), 0 from generate_series(1, ?) as i`,
        [tag, n],
      ),
    );
  const published = () =>
    withDb(
      env.DATABASE_URL,
      async (em) => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox where published_at is not null'))[0].n,
    );
  /** stream entries per outbox id */
  async function streamCounts(): Promise<Map<string, number>> {
    const count = new Map<string, number>();
    for (const [, f] of await redis.xrange(stream(), '-', '+')) {
      const id = f[f.indexOf('outbox_id') + 1];
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    return count;
  }

  it("SIGKILL between a batch's publish and its commit: the next worker does not publish those rows again", async () => {
    await backlog('locked', 1200);
    const lock = new pg.Client({ connectionString: env.DATABASE_URL });
    await lock.connect();
    let w1: WorkerProcess | undefined;
    try {
      await lock.query('begin');
      await lock.query('lock table outbox in share mode');
      w1 = await spawnWorker(env);
      workers.push(w1);
      // the first batch is in the stream, its UPDATE waits for the lock
      const xlen = await eventually(
        () => redis.xlen(stream()),
        (n) => n >= 500,
        20_000,
      );
      expect(xlen, `a batch published while its commit waits:\n${w1.output().slice(-2000)}`).to.be.at.least(500);
      w1.child.kill('SIGKILL');
      await w1.exited;
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
    }
    const [stream1, db1] = [await redis.xlen(stream()), await published()];
    log.push(`locked kill: ${stream1} stream entries, ${db1} rows marked published when the worker died`);
    expect(stream1 - db1, 'rows in the stream but not marked published (the kill landed in the window)').to.be.greaterThan(0);

    const w2 = await spawnWorker(env);
    workers.push(w2);
    const total = await withDb(
      env.DATABASE_URL,
      async (em) => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox'))[0].n,
    );
    expect(await eventually(published, (n) => n === total, 30_000), 'rows published after the restart').to.equal(total);
    const counts = await streamCounts();
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(
      twice.map(([id, n]) => `${id} x${n}`),
      'published more than once',
    ).to.deep.equal([]);
    expect(counts.size).to.equal(total);
    w2.child.kill('SIGTERM');
    expect(await w2.exited, w2.output().slice(-2000)).to.equal(0);
  });

  it("SIGKILL in the middle of a large backlog's relay while a bot plays, twice: every row published exactly once", async () => {
    const players = await Promise.all([signup(game!.http), signup(game!.http)]);
    const bots = await Promise.all(players.map((p) => SlotBot.join(game!.url, p.access, { pauseMs: 20 })));
    try {
      for (let k = 1; k <= 2; k++) {
        await backlog(`run${k}`, 8000);
        const [before] = await withDb(env.DATABASE_URL, (em) =>
          em().execute<{ n: number; total: number }[]>(
            'select count(*) filter (where published_at is not null)::int as n, count(*)::int as total from outbox',
          ),
        );
        const w = await spawnWorker(env);
        workers.push(w);
        // kill once the relay is under way, with rows of the backlog still to go
        const now = await eventually(published, (n) => n > before.n + 500, 30_000);
        w.child.kill('SIGKILL');
        await w.exited;
        const [s, d] = [await redis.xlen(stream()), await published()];
        log.push(
          `backlog kill ${k}: ${d - before.n} of ${before.total - before.n} backlog rows marked published by the killed worker (kill sent at ${now} marked in all), then stream ${s} entries vs ${d} rows marked`,
        );
        expect(d, 'the kill came before the backlog was done').to.be.below(before.total);
      }
      const w = await spawnWorker(env);
      workers.push(w);
      await stopAll(bots);
      const total = await withDb(env.DATABASE_URL, async (em) => {
        await waitNoOpenRounds(em);
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
        );
        return eventually(
          async () =>
            (
              await em().execute<{ n: number; pending: number }[]>(
                'select count(*)::int as n, count(*) filter (where published_at is null)::int as pending from outbox',
              )
            )[0],
          (r) => r.pending === 0,
          30_000,
        );
      });
      expect(total.pending, 'rows left unpublished').to.equal(0);
      const counts = await streamCounts();
      const twice = [...counts].filter(([, n]) => n > 1);
      log.push(
        `after: ${total.n} outbox rows, ${counts.size} distinct in the stream, ${twice.length} published twice; ${bots.reduce((n, b) => n + b.count('spin_result'), 0)} spins played meanwhile`,
      );
      expect(
        twice.map(([id, n]) => `${id} x${n}`),
        'published more than once',
      ).to.deep.equal([]);
      expect(counts.size, 'every row in the stream').to.equal(total.n);
      const dead = await withDb(
        env.DATABASE_URL,
        async (em) => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox where dead_at is not null'))[0].n,
      );
      expect(dead).to.equal(0);
      await withDb(env.DATABASE_URL, (em) => assertLedgerConsistent(em));
    } finally {
      for (const b of bots) b.halt();
    }
  });
});
