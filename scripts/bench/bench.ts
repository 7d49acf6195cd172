// The benchmark. With no flag, every capacity figure with its target (capacity.ts, about 15 minutes): baselines, disk
// floor, spins, ramps at both paces, HTTP, 1 vs 2 processes, a crash table, the mixed load test and the warm start.
// `--quick`: the baselines, the slot rounds and the HTTP figures only, as one table of value / baseline / ratio saved
// to bench/results/<date>.json. Durations scale with --seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config/load.ts';
import { adminPlayersBench } from './admin-players.ts';
import { capacityBench } from './capacity.ts';
import { crashBench } from './crash.ts';
import { baselines, dbUrl } from './baselines.ts';
import { segmentsBench } from './segments.ts';
import { operationBench } from './operation.ts';
import { mixedLoadTest } from './mixed.ts';
import { benchSecrets, P99_LIMIT_MS, processFigures, rampStepSeconds } from './processes.ts';
import { firstOverText } from './ramp.ts';
import { httpFigures, httpRows, printHttpRows } from './http.ts';
import { slotBench } from './slot-bench.ts';
import { slotRounds } from './slot-rounds.ts';
import { freshBenchDatabase, fundedPlayers } from './bench-db.ts';

const argv = process.argv.slice(2);
const seconds = Number(argv[argv.indexOf('--seconds') + 1] || 15) || 15;
const quick = argv.includes('--quick');
// `--admin-players`: only the admin players grid (100,000 seeded players), see admin-players.ts
// `--segments`: only segment previews over 100,000 seeded players, see segments.ts
// `--http`: only the HTTP figures (a 2 s slot run first completes the mission the claim figure claims), see http.ts
const httpOnly = argv.includes('--http');
// `--crash [--players N] [--rounds N]`: only one crash table with N players betting and cashing out, see crash.ts
// `--operation`: only a bulk operation's preview / shadow / apply / undo on 10,000 seeded players, see operation.ts
// `--mixed [--players N] [--mixed-seconds S]`: only the mixed load test against one game process, see mixed.ts
// `--processes`: only 1 vs 2 game processes (spins without pause, then busy-pace ramps), see processes.ts
// `--slot`: only the spin path (baselines, disk floor, phases, CPU per spin, busy and player-pace ramps), see slot-bench.ts

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
  if (argv.includes('--slot')) {
    await slotBench(config, seconds, {
      ramps: !argv.includes('--no-ramps'),
      pace: argv.includes('--pace') ? argv[argv.indexOf('--pace') + 1] : undefined,
    });
    return;
  }
  if (argv.includes('--crash')) {
    await crashBench(config, argv);
    return;
  }
  if (argv.includes('--mixed')) {
    const players = Number(argv[argv.indexOf('--players') + 1]) || 1000;
    const mixedSeconds = Number(argv[argv.indexOf('--mixed-seconds') + 1]) || 60;
    const scenario = argv.includes('--scenario') ? argv[argv.indexOf('--scenario') + 1] : 'mixed';
    const { timeline, ...r } = await mixedLoadTest(players, mixedSeconds, benchSecrets(config), scenario);
    console.log(JSON.stringify(r, null, 1));
    console.log('second  connected  actions  errors  p50 / p99 ms  disk: slowest probe commit ms');
    for (const s of timeline)
      console.log(
        `${String(s.t).padStart(6)} ${String(s.connected).padStart(10)} ${String(s.actions).padStart(8)} ${String(s.errors).padStart(7)}  ${`${s.p50} / ${s.p99}`.padEnd(12)}  ${s.disk_ms}`,
      );
    return;
  }
  if (argv.includes('--processes')) {
    const { held } = await processFigures({
      seconds,
      stepSeconds: rampStepSeconds(seconds),
      p99LimitMs: P99_LIMIT_MS,
      secrets: benchSecrets(config),
    });
    console.log(
      `players held at p99 < ${P99_LIMIT_MS} ms, busy pace: 1 process ${held[1].held}${firstOverText(held[1].steps)}; 2 processes ${held[2].held}${firstOverText(held[2].steps)}`,
    );
    return;
  }
  if (argv.includes('--operation')) {
    await operationBench(config);
    return;
  }
  if (!quick && !httpOnly) {
    const players = Number(argv[argv.indexOf('--players') + 1]) || 1000;
    const mixedSeconds = Number(argv[argv.indexOf('--mixed-seconds') + 1]) || 60;
    await capacityBench(config, seconds, { players, mixedSeconds });
    return;
  }
  if (!httpOnly) console.log(`baselines: pgbench TPC-B-like and single-row UPDATE, ${seconds} s each …`);
  const base = httpOnly ? { tpcb: 0, update: 0 } : await baselines(seconds);
  await freshBenchDatabase();
  const server = await startServer(config);
  let stopped = false;
  try {
    const players = await fundedPlayers(server, 64);
    console.log(`slot rounds: 64 players (bots in 2 worker threads) spinning without pause, ${seconds} s …`);
    const { hist: _, ...slot } = await slotRounds(
      server.url,
      players.map((p) => p.token),
      { seconds: httpOnly ? 2 : seconds },
    );
    const http = await httpFigures(server, players, seconds);
    if (httpOnly) {
      printHttpRows(http);
      return;
    }
    await server.stop();
    stopped = true;

    const rows: Array<[string, number | string, number | string, string]> = [
      ['settled slot rounds/s (end to end)', slot.perSecond, base.tpcb, 'pgbench TPC-B tps'],
      ['  spin round trip p50 / p99 ms', `${slot.p50} / ${slot.p99}`, '', ''],
      ['  spins per commit (mean)', slot.perCommit, '', ''],
      ['single-row UPDATE tps (reference)', base.update, base.tpcb, 'pgbench TPC-B tps'],
      ...httpRows(http),
    ];
    console.log(`\n${'figure'.padEnd(50)} ${'value'.padStart(14)} ${'baseline'.padStart(10)}  ratio  (baseline)`);
    for (const [name, value, baseline, what] of rows) {
      const ratio = typeof value === 'number' && typeof baseline === 'number' && baseline > 0 ? (value / baseline).toFixed(2) : '';
      console.log(
        `${name.padEnd(50)} ${String(typeof value === 'number' ? Math.round(value * 10) / 10 : value).padStart(14)} ${String(typeof baseline === 'number' ? Math.round(baseline) : baseline).padStart(10)}  ${ratio.padStart(5)}  ${what}`,
      );
    }
    const { phases, ...figures } = http;
    for (const [name, r] of Object.entries(figures)) if (r.errors > 0) console.log(`warning: ${r.errors} ${name} request(s) failed`);
    const result = {
      at: new Date().toISOString(),
      seconds,
      baselines: base,
      slot,
      http: figures,
      http_phases_ms: phases,
      errors: Object.fromEntries(Object.entries(figures).map(([name, r]) => [name, r.errors])),
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
