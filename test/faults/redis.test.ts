import { expect } from 'chai';
import { Redis } from 'ioredis';
import { CrashBot, SlotBot, stopAll, total } from '../helpers/bots.ts';
import { FaultProxy } from '../helpers/fault-proxy.ts';
import { assertLedgerConsistent, endFaultRun, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { AUTHENTICATED_GETS, probeUntil, summarize, timedRequest, type Probe } from '../helpers/http-probe.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, running } from '../helpers/server-process.ts';
import { testEnv } from '../helpers/test-env.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * Redis faults under a running server process whose REDIS_URL (app connection, BullMQ, Colyseus presence and
 * driver) goes through a FaultProxy in the test process: (a) cut for FAULT_OUTAGE_MS (connections reset, new ones
 * refused), (b) stalled as long (connections open, nothing passes: a SIGSTOP'd Redis). Bots play slot and crash
 * meanwhile and outbox rows are written. No HTTP request may wait longer than REDIS_COMMAND_TIMEOUT_MS plus slack,
 * the process survives, every outbox row is published exactly once afterwards, and the ledger reconciles.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const COMMAND_TIMEOUT_MS = 1000;
/** What an HTTP request may take while Redis is away: the command timeout plus slack. */
const BOUND_MS = COMMAND_TIMEOUT_MS + 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis cut and stalled under a server process with bots playing', function () {
  this.timeout(60_000 + 4 * OUTAGE_MS);
  let proxy: FaultProxy;
  let server: ServerProcess;
  let env: Record<string, string>;
  let slots: SlotBot[] = [];
  let crashes: CrashBot[] = [];
  let watcher: Awaited<ReturnType<typeof signup>>;
  let other: Awaited<ReturnType<typeof signup>>;
  const log: string[] = [];

  before(async () => {
    env = await processEnv('redisfault', {
      INSTANCE_ID: 'redis-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      CRASH_BETTING_MS: '1000',
      CRASH_PAUSE_MS: '300',
      CRASH_TIME_SCALE: '3',
      ROOM_MESSAGES_PER_SECOND: '1000',
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    });
    proxy = await FaultProxy.start(testEnv.redisUrl);
    server = await spawnServer({
      ...env,
      REDIS_URL: proxy.rewrite(testEnv.redisUrl),
      ...(process.env.FAULT_DEBUG_PRELOAD
        ? { NODE_OPTIONS: `--import ${new URL(process.env.FAULT_DEBUG_PRELOAD, `file://${process.cwd()}/`).href}` }
        : {}),
    });
    const players = [];
    for (let i = 0; i < 6; i++) players.push(await signup(server.http));
    [watcher, other] = [players.pop()!, players.pop()!];
    slots = await Promise.all(players.slice(0, 2).map((p) => SlotBot.join(server.url, p.access, { pauseMs: 50 })));
    try {
      crashes = await Promise.all(
        players.slice(2).map((p, i) => CrashBot.join(server.url, p.access, { amount: 3 + i, autoCashout: i === 1 ? 130 : null })),
      );
    } catch (err) {
      throw new Error(
        `${(err as Error).message}; the server process (exit ${server.child.exitCode ?? server.child.signalCode ?? 'none yet'}) wrote:\n${server.output().slice(-3000)}`,
      );
    }
  });
  after(async function () {
    this.timeout(30_000);
    await endFaultRun({ bots: [...slots, ...crashes], proxy, server, log });
  });

  const slotResults = () => total(slots, 'spin_result');
  const betsPlaced = () => total(crashes, 'bet_placed');
  const alive = () => running(server);

  /** Outbox rows written straight into the database while Redis is away (besides the rounds' own events). */
  const writeOutbox = (tag: string) =>
    withDb(env.DATABASE_URL, (em) =>
      em().execute(
        `insert into outbox (event_type, user_id, payload, version, created_at, attempts)
    select 'progress', null, json_build_object('fault', ?::text, 'i', i), 1, now(), 0 from generate_series(1, 20) as i`,
        [tag],
      ),
    );

  /** One fault: HTTP probes, a login, /ready and outbox rows while it lasts; play resumes after. */
  async function fault(kind: 'cut' | 'stall') {
    await eventually(
      () => slotResults() >= 10 && betsPlaced() >= 2,
      (ok) => ok,
      20_000,
    );
    const pid = server.child.pid;
    const [s0, b0] = [slotResults(), betsPlaced()];
    const [maxId] = await withDb(env.DATABASE_URL, (em) => em().execute<{ id: string | null }[]>('select max(id) as id from outbox'));
    if (kind === 'cut') await proxy.cut();
    else proxy.stall();
    const startAt = Date.now();
    const until = startAt + OUTAGE_MS;
    let worstRoom = { ms: 0, what: '' };
    const sampler = setInterval(() => {
      for (const b of [...slots, ...crashes]) if (b.pendingFor() > worstRoom.ms) worstRoom = { ms: b.pendingFor(), what: b.pending() };
    }, 100);
    const [probes, ready, login] = await Promise.all([
      probeUntil(server.url, watcher.access, AUTHENTICATED_GETS, until - 300, { pauseMs: 300 }),
      (async () => {
        await sleep(200);
        return timedRequest(server.url, '/ready');
      })(),
      (async () => {
        await sleep(400);
        return timedRequest(server.url, '/api/auth/login', {
          method: 'POST',
          body: { username: other.username, password: other.password },
        });
      })(),
      writeOutbox(`${kind}-during`),
    ]);
    await sleep(Math.max(0, until - Date.now()));
    clearInterval(sampler);
    const spinsDuring = slotResults() - s0;
    const betsDuring = betsPlaced() - b0;
    await proxy.restore();
    const restoredAt = Date.now();
    log.push(
      `${kind} ${OUTAGE_MS} ms: /ready ${ready.status} in ${ready.ms} ms, login ${login.status} ${login.error ?? ''} in ${login.ms} ms, ${spinsDuring} spins and ${betsDuring} crash bets during it, ` +
        `longest room wait ${worstRoom.ms} ms ${worstRoom.what}; ${probes.length} GETs: ${summarize(probes)}`,
    );

    expect(server.child.pid).to.equal(pid);
    expect(alive(), `the process survived:\n${server.output().slice(-3000)}`).to.equal(true);
    expect(ready.status, '/ready during the fault').to.equal(503);
    expect(ready.ms).to.be.below(BOUND_MS);
    expect([login.status, login.error], 'login during the fault').to.deep.equal([503, 'service/unavailable']);
    expect(login.ms, 'login answered within the bound').to.be.below(BOUND_MS);
    checkProbes(probes);
    expect(worstRoom.ms, `no room request waiting past the bound: ${worstRoom.what}`).to.be.below(BOUND_MS);

    // afterwards: /ready, play, and every outbox row written meanwhile published
    expect(
      (
        await eventually(
          () => server.http.get('/ready'),
          (r) => r.status === 200,
          15_000,
        )
      ).status,
      '/ready after the fault',
    ).to.equal(200);
    await eventually(
      () => slotResults() - s0 - spinsDuring >= 5 && betsPlaced() - b0 - betsDuring >= 1,
      (ok) => ok,
      20_000,
    );
    const state = () =>
      `bots: ${[...slots, ...crashes].map((b) => `${b.constructor.name}{left ${b.left}, ${b.pending() || 'idle'}, answers ${b.answers.length}, last ${JSON.stringify(b.answers.at(-1))}, errors ${JSON.stringify([...b.errors])}}`).join('; ')}\nserver output:\n${server.output().slice(-4000)}`;
    expect(slotResults() - s0 - spinsDuring, `spins after the fault; ${state()}`).to.be.at.least(5);
    expect(betsPlaced() - b0 - betsDuring, `crash bets after the fault; ${state()}`).to.be.at.least(1);
    const rows = await withDb(env.DATABASE_URL, (em) =>
      eventually(
        () =>
          em().execute<{ id: string; published_at: string | null; dead_at: string | null; attempts: number }[]>(
            'select id, published_at, dead_at, attempts from outbox where id > ?',
            [maxId.id ?? 0],
          ),
        (rs) => rs.every((r) => r.published_at !== null || r.dead_at !== null),
        30_000,
      ),
    );
    expect(
      rows.filter((r) => r.published_at === null).map((r) => r.id),
      'outbox rows of the fault left unpublished',
    ).to.deep.equal([]);
    log.push(
      `  ${kind}: ${rows.length} outbox rows written since the fault began, all published ${Date.now() - restoredAt} ms after the restore at the latest (attempts: ${[...new Set(rows.map((r) => r.attempts))].join(',')})`,
    );
  }

  it(`(a) a ${OUTAGE_MS} ms cut: no request hangs, the process survives, play and the outbox resume`, async () => {
    await fault('cut');
  });

  it(`(b) a ${OUTAGE_MS} ms stall (SIGSTOP-like): no request hangs, the process survives, play and the outbox resume`, async () => {
    await fault('stall');
  });

  it('publishes every outbox row exactly once; no round or session left open once the players are gone; the ledger reconciles', async () => {
    await stopAll([...slots, ...crashes]);
    await withDb(env.DATABASE_URL, async (em) => {
      expect(await waitNoOpenRounds(em, 20_000), 'rounds left open').to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
          10_000,
        ),
        'sessions left open',
      ).to.equal(0);
      const rows = await eventually(
        () =>
          em().execute<{ id: string; published_at: string | null; dead_at: string | null }[]>(
            'select id, published_at, dead_at from outbox order by id',
          ),
        (rs) => rs.every((r) => r.published_at !== null),
        30_000,
      );
      const redis = new Redis(testEnv.redisUrl);
      try {
        const entries = await redis.xrange(`${env.REDIS_PREFIX}events`, '-', '+');
        const count = new Map<string, number>();
        for (const [, f] of entries) {
          const id = f[f.indexOf('outbox_id') + 1];
          count.set(id, (count.get(id) ?? 0) + 1);
        }
        const twice = [...count].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
        const missing = rows
          .filter((r) => !count.has(String(r.id)))
          .map((r) => `${r.id}${r.published_at ? '' : ' (unpublished)'}${r.dead_at ? ' (dead)' : ''}`);
        const unknown = [...count.keys()].filter((id) => !rows.some((r) => String(r.id) === id));
        log.push(
          `outbox: ${rows.length} rows, ${entries.length} stream entries, ${twice.length} published twice, ${missing.length} missing`,
        );
        expect(twice, 'outbox rows published more than once').to.deep.equal([]);
        expect(missing, 'outbox rows never published').to.deep.equal([]);
        expect(unknown, 'stream entries of no outbox row').to.deep.equal([]);
      } finally {
        redis.disconnect();
      }
      const summary = await assertLedgerConsistent(em);
      log.push(
        `after: ${summary.rounds} rounds (${JSON.stringify(summary.byGame)}), ${summary.settled} settled, ${summary.refunded} refunded`,
      );
    });
    expect(alive()).to.equal(true);
  });
});

/** Every authenticated GET answered 200 or 503 service/unavailable within the bound (none 500, none hanging). */
function checkProbes(probes: Probe[]) {
  expect(probes.length).to.be.greaterThan(0);
  const bad = probes.filter((p) => !(p.status === 200 || (p.status === 503 && p.error === 'service/unavailable')) || p.ms >= BOUND_MS);
  expect(
    bad.map((p) => `${p.path} ${p.status} ${p.error ?? ''} in ${p.ms} ms`),
    'GETs while Redis was away',
  ).to.deep.equal([]);
}
