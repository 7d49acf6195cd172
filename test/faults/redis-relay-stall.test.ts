import { expect } from 'chai';
import { Redis } from 'ioredis';
import { FaultProxy } from '../helpers/fault-proxy.ts';
import { withDb } from '../helpers/fault-checks.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { testEnv } from '../helpers/test-env.ts';

/**
 * Redis stalls (connected, never answering: a SIGSTOP'd Redis, through a FaultProxy) while the outbox relay of a
 * server process is publishing a backlog: the publish scripts in flight time out in the relay (the rows are retried)
 * but reach Redis when it answers again. Each row must still be in the stream exactly once, and none left behind.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const BACKLOG = 6000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis stalled while the outbox relay publishes a backlog', function () {
  this.timeout(60_000 + 2 * OUTAGE_MS);
  let proxy: FaultProxy;
  let server: ServerProcess;
  let env: Record<string, string>;
  const log: string[] = [];

  before(async () => {
    env = await processEnv('redisrelay', {
      INSTANCE_ID: 'redis-relay-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    });
    proxy = await FaultProxy.start(testEnv.redisUrl);
    server = await spawnServer({ ...env, REDIS_URL: proxy.rewrite(testEnv.redisUrl) });
  });
  after(async function () {
    this.timeout(30_000);
    await proxy?.restore();
    await endServerProcess(server);
    await proxy?.close();
    console.log(log.map((l) => `      ${l}`).join('\n'));
  });

  const alive = () => server.child.exitCode === null && server.child.signalCode === null;

  it(`a ${OUTAGE_MS} ms stall that catches the relay publishing a backlog: the rows in flight are published exactly once`, async () => {
    const published = () =>
      withDb(
        env.DATABASE_URL,
        async (em) => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox where published_at is not null'))[0].n,
      );
    // a backlog of 12 batches: the relay needs a while for it, and the stall lands while it publishes (else again)
    let caught = false;
    for (let round = 1; round <= 3 && !caught; round++) {
      await withDb(env.DATABASE_URL, (em) =>
        eventually(
          async () => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox where published_at is null'))[0].n,
          (n) => n === 0,
          20_000,
        ),
      );
      const base = await published();
      const tag = `backlog-${round}`;
      await withDb(env.DATABASE_URL, async (em) => {
        await em().execute(
          `insert into outbox (event_type, user_id, payload, version, created_at, attempts)
          select 'progress', null, json_build_object('fault', ?::text, 'i', i), 1, now(), 0 from generate_series(1, ?) as i`,
          [tag, BACKLOG],
        );
        const moved = await eventually(
          async () => (await em().execute<{ n: number }[]>('select count(*)::int as n from outbox where published_at is not null'))[0].n,
          (n) => n > base,
          20_000,
        );
        expect(moved, 'the relay started on the backlog').to.be.greaterThan(base);
      });
      proxy.stall();
      const stalledAt = Date.now();
      const atStall = await published();
      await sleep(OUTAGE_MS);
      await proxy.restore();
      expect(alive(), server.output().slice(-3000)).to.equal(true);
      const rows = await withDb(env.DATABASE_URL, (em) =>
        eventually(
          () =>
            em().execute<{ attempts: number; n: number; pending: number }[]>(
              `select attempts, count(*)::int as n, count(*) filter (where published_at is null)::int as pending from outbox where payload->>'fault' = ? group by attempts order by attempts`,
              [tag],
            ),
          (rs) => rs.every((r) => r.pending === 0),
          40_000,
        ),
      );
      caught = rows.some((r) => r.attempts > 1);
      log.push(
        `stall ${round}: ${atStall - base} of ${BACKLOG} rows marked published when the stall began; all published ${Date.now() - stalledAt - OUTAGE_MS} ms after the restore; rows by attempts: ${rows.map((r) => `${r.attempts}:${r.n}`).join(', ')}`,
      );
      expect(
        rows.reduce((n, r) => n + r.pending, 0),
        'backlog rows left unpublished',
      ).to.equal(0);
    }
    expect(caught, 'a stall caught publishes in flight (rows retried)').to.equal(true);
    const redis = new Redis(testEnv.redisUrl);
    try {
      const ids = await withDb(env.DATABASE_URL, async (em) =>
        (await em().execute<{ id: string }[]>('select id from outbox')).map((r) => String(r.id)),
      );
      const count = new Map<string, number>();
      for (const [, f] of await redis.xrange(`${env.REDIS_PREFIX}events`, '-', '+')) {
        const id = f[f.indexOf('outbox_id') + 1];
        count.set(id, (count.get(id) ?? 0) + 1);
      }
      expect(
        [...count].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`),
        'published more than once',
      ).to.deep.equal([]);
      expect(
        ids.filter((id) => !count.has(id)),
        'never published',
      ).to.deep.equal([]);
      expect(count.size).to.equal(ids.length);
    } finally {
      redis.disconnect();
    }
  });
});
