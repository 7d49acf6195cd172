// The benchmark: baselines and the server's figures measured in the same run on the same machine, printed as one
// table of value / baseline / ratio and saved to bench/results/<date>.json. Durations scale with --seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { startServer } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config/load.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../../server/db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../../server/db/seeders/seed-data.ts';
import { adminPlayersBench } from './admin-players.ts';
import { crashBench } from './crash.ts';
import { admin, baselines, dbUrl } from './baselines.ts';
import { segmentsBench } from './segments.ts';
import { operationBench } from './operation.ts';
import { fixedRate } from './fixed-rate.ts';
import { processFigures } from './processes.ts';
import { signupMany, slotRounds } from './slot-rounds.ts';

const argv = process.argv.slice(2);
const seconds = Number(argv[argv.indexOf('--seconds') + 1] || 15) || 15;
/** the measuring window of each ramp step */
const stepSeconds = Math.max(3, Math.round(seconds / 3));
const P99_LIMIT_MS = 100;
/** `--quick`: the baselines, the single-process slot rounds and the HTTP figures only (no 1 vs 2 processes, no ramp) */
const quick = argv.includes('--quick');
// `--admin-players`: only the admin players grid (100,000 seeded players), see admin-players.ts
// `--segments`: only segment previews over 100,000 seeded players, see segments.ts
// `--crash [--players N] [--rounds N]`: only one crash table with N players betting and cashing out, see crash.ts
// `--operation`: only a bulk operation's preview / shadow / apply / undo on 10,000 seeded players, see operation.ts

async function main() {
  const config = loadConfig(
    {
      DATABASE_URL: dbUrl('neon_bench'),
      REDIS_URL: process.env.REDIS_URL,
      PORT: 0,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_PREFIX: 'bench:',
      ARGON2_MEMORY_KIB: 1024,
      ARGON2_TIME_COST: 1,
      ROOM_MESSAGES_PER_SECOND: 1000,
      JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
      PAYMENT_WEBHOOK_SECRET: 'bench-webhook-secret-0123',
    },
    {},
  );
  if (argv.includes('--segments')) {
    await segmentsBench(config);
    return;
  }
  if (argv.includes('--admin-players')) {
    await adminPlayersBench(config);
    return;
  }
  if (argv.includes('--crash')) {
    await crashBench(config, argv);
    return;
  }
  if (argv.includes('--operation')) {
    await operationBench(config);
    return;
  }
  console.log(`baselines: pgbench TPC-B-like and single-row UPDATE, ${seconds} s each …`);
  const base = await baselines(seconds);
  await admin('drop database if exists neon_bench');
  await admin('create database neon_bench');
  const orm = await MikroORM.init(ormOptions(dbUrl('neon_bench'), 2));
  await orm.migrator.up();
  await seedProducts(orm.em.fork() as EntityManager, DEMO_CATALOG);
  await seedLiveOps(orm.em.fork() as EntityManager, DEMO_EVENTS, DEMO_MISSIONS, new Date());
  await orm.close(true);
  const server = await startServer(config);
  let stopped = false;
  try {
    const players = await signupMany(server.url, 64);
    for (const p of players)
      await server.services.wallet.apply([
        credit({ userId: p.userId, currency: 'GOLD', amount: 10_000_000, reason: 'admin_adjust', actor: 'bench' }),
      ]);
    console.log(`slot rounds: 64 players (bots in 2 worker threads) spinning without pause, ${seconds} s …`);
    const { hist: _, ...slot } = await slotRounds(
      server.url,
      players.map((p) => p.token),
      { seconds },
    );
    console.log('HTTP at a fixed rate: dashboard, claim (repeat of a paid claim), purchase …');
    const [u] = players;
    const auth = { authorization: `Bearer ${u.token}` };
    const dashboard = await fixedRate(200, seconds, () => fetch(`${server.url}/api/dashboard`, { headers: auth }));
    // purchases spread over the 64 players, as real buyers are (one player's purchases queue on that player's wallet lock)
    const purchase = await fixedRate(100, seconds, (i) =>
      fetch(`${server.url}/api/shop/purchase`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${players[i % players.length].token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-purchase-${i}`,
        },
        body: JSON.stringify({ sku: 'xp_booster', quantity: 1 }),
      }),
    );
    // the slot sessions above completed the daily 10-spin mission: the first claim pays, the rest replay its result
    const missions = (await (await fetch(`${server.url}/api/missions`, { headers: auth })).json()) as {
      missions: Array<{ id: string; code: string; status: string }>;
    };
    const mission = missions.missions.find((m) => m.code === 'd_slot_10' && m.status === 'claimable');
    if (!mission) throw new Error('the daily slot mission should be claimable after the slot run');
    const claim = await fixedRate(100, seconds, () =>
      fetch(`${server.url}/api/missions/${mission.id}/claim`, { method: 'POST', headers: auth }),
    );
    await server.stop();
    stopped = true;

    const procs = quick
      ? undefined
      : await processFigures({
          seconds,
          stepSeconds,
          p99LimitMs: P99_LIMIT_MS,
          secrets: { JWT_SECRET: config.JWT_SECRET, PAYMENT_WEBHOOK_SECRET: config.PAYMENT_WEBHOOK_SECRET },
        });
    const over = (n: number) => procs!.held[n].steps.find((st) => !st.held);

    const rows: Array<[string, number | string, number | string, string]> = [
      ['settled slot rounds/s (end to end)', slot.perSecond, base.tpcb, 'pgbench TPC-B tps'],
      ['  spin round trip p50 / p99 ms', `${slot.p50} / ${slot.p99}`, '', ''],
      ['  spins per commit (mean)', slot.perCommit, '', ''],
      ['single-row UPDATE tps (reference)', base.update, base.tpcb, 'pgbench TPC-B tps'],
      ['HTTP p95 dashboard ms @200/s', dashboard.p95, 15, 'target ms'],
      ['HTTP p95 claim ms @100/s (1 paid, rest replayed)', claim.p95, 25, 'target ms'],
      ['HTTP p95 purchase ms @100/s (64 buyers)', purchase.p95, 30, 'target ms'],
    ];
    if (procs) {
      const { held, scaling } = procs;
      rows.push(
        [`players held at p99 < ${P99_LIMIT_MS} ms, 1 process`, held[1].held, 1000, 'target (thousands)'],
        ['  first step over, p99 ms', over(1) ? `${over(1)!.players}: ${over(1)!.p99_ms}` : 'none', '', ''],
        [`players held at p99 < ${P99_LIMIT_MS} ms, 2 processes`, held[2].held, held[1].held, '1 process'],
        ['  first step over, p99 ms', over(2) ? `${over(2)!.players}: ${over(2)!.p99_ms}` : 'none', '', ''],
        ['settled slot rounds/s, 1 process (100 players)', scaling[1].perSecond, base.tpcb, 'pgbench TPC-B tps'],
        ['settled slot rounds/s, 2 processes (100 players)', scaling[2].perSecond, scaling[1].perSecond, '1 process'],
      );
    }
    console.log(`\n${'figure'.padEnd(50)} ${'value'.padStart(14)} ${'baseline'.padStart(10)}  ratio  (baseline)`);
    for (const [name, value, baseline, what] of rows) {
      const ratio = typeof value === 'number' && typeof baseline === 'number' && baseline > 0 ? (value / baseline).toFixed(2) : '';
      console.log(
        `${name.padEnd(50)} ${String(typeof value === 'number' ? Math.round(value * 10) / 10 : value).padStart(14)} ${String(typeof baseline === 'number' ? Math.round(baseline) : baseline).padStart(10)}  ${ratio.padStart(5)}  ${what}`,
      );
    }
    for (const [name, r] of Object.entries({ dashboard, claim, purchase }))
      if (r.errors > 0) console.log(`warning: ${r.errors} ${name} request(s) failed`);
    const result = {
      at: new Date().toISOString(),
      seconds,
      baselines: base,
      slot,
      http: { dashboard, claim, purchase },
      errors: { dashboard: dashboard.errors, claim: claim.errors, purchase: purchase.errors },
      ...(procs && {
        scaling: {
          players: 100,
          processes_1: procs.scaling[1],
          processes_2: procs.scaling[2],
          ratio: procs.scaling[2].perSecond / procs.scaling[1].perSecond,
        },
        ramp: { p99_limit_ms: P99_LIMIT_MS, step_seconds: stepSeconds, processes_1: procs.held[1], processes_2: procs.held[2] },
      }),
    };
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/${result.at.replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(`\nsaved ${file}`);
  } finally {
    if (!stopped) await server.stop();
  }
}

await main();
process.exit(0);
