// `npm run bench -- --crash [--players 1000] [--rounds 5] [--spread-ms 0]`: one crash table with N players (bots in two
// worker threads, off the server's event loop). Each bets 10 GOLD as soon as a betting window opens (all at once), or
// at a random moment of its first `--spread-ms`, and cashes out at a random target;
// prints bet and cash-out acknowledgement p50 / p99, the server's curve tick rate, the p99 interval between state
// patches at the clients while the curve runs, how long one patch cycle holds the server's thread, the disk's stalls
// over the rounds, bets placed vs settled, errors, and the ledger check.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { matchMaker } from '@colyseus/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startServer } from '../../server/bootstrap.ts';
import type { Config } from '../../server/config/schema.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { Histogram } from '../loadtest/stats.ts';
import type { CrashBotsReport } from './crash-bots.ts';
import { dbUrl } from './baselines.ts';
import { freshBenchDatabase } from './bench-db.ts';
import { cpuOf, cpuSpent, machineIdle, machinePct, postgresTree, postmasterOf, processCpuMs, threadCpuMs } from './cpu.ts';
import { splitBets, watchSeats } from './crash-split.ts';
import { PHASES, phaseQuantiles, scrapeMetrics, scrapePhases } from './phases.ts';
import { STALL_MS, stallProbe, type DiskWindow, type StallProbe } from './stall-probe.ts';

/** The table's timing in the bench: a 4 s betting window, a 1 s pause, the curve at twice the published speed. */
const TIMING = { CRASH_BETTING_MS: 4000, CRASH_PAUSE_MS: 1000, CRASH_TIME_SCALE: 2 };

const flag = (argv: string[], name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) || fallback : fallback;
};

/**
 * N players inserted set-based (no password hashing: they never log in), each with an auth session, wallets and a
 * ledgered 10,000 GOLD grant (so the ledger check holds); their access tokens minted by the token service.
 */
async function seedPlayers(server: Awaited<ReturnType<typeof startServer>>, n: number): Promise<string[]> {
  const em = server.orm.em.fork() as EntityManager;
  const users = await em.execute<Array<{ id: string; username: string; sid: string }>>(
    `with u as (
       insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at)
       select gen_random_uuid(), 'crash' || i, 'crash' || i, 'x', 'player', 'active', 1, 0, now() from generate_series(1, ?) i
       returning id, username),
     s as (insert into auth_sessions (id, user_id, created_at) select gen_random_uuid(), id, now() from u returning id, user_id),
     w as (insert into wallets (user_id, currency, balance, version, updated_at)
           select u.id, c.currency, case c.currency when 'GOLD' then 10000 else 0 end,
                  case c.currency when 'GOLD' then 1 else 0 end, now()
             from u cross join (values ('GOLD'), ('GEM')) c(currency)
           returning user_id, currency),
     -- reads w, so the wallets exist before their entries (the ledger's chain trigger refuses an entry without a wallet)
     l as (insert into ledger_entries (user_id, currency, delta, balance_after, reason, actor, created_at)
           select user_id, 'GOLD', 10000, 10000, 'admin_adjust', 'bench', now() from w where currency = 'GOLD')
     select u.id, u.username, s.id as sid from u join s on s.user_id = u.id`,
    [n],
  );
  return Promise.all(
    users.map(
      async (u) =>
        (await server.services.tokens.issueAccessToken({ userId: u.id, username: u.username, role: 'player', sessionId: u.sid })).token,
    ),
  );
}

/** What one crash table run measured: the figures with targets, and the table's rows (name, value, target). */
export interface CrashFigures {
  betAckP99: number;
  cashoutAckP99: number;
  tickHz: number;
  patchP99: number;
  open: number;
  errors: number;
  clean: boolean;
  /** the disk's stalls over the rounds */
  disk: DiskWindow;
  lines: Array<[string, string, string]>;
}

/**
 * CPU ms of the first second of one betting window: the server's event loop (this process's main thread), the
 * process's other threads (the bots' workers, GC and I/O helpers), PostgreSQL; and how busy the machine was (% of all
 * cores, I/O wait not counted).
 */
interface WindowCpu {
  server: number;
  others: number;
  postgres: number;
  busyPct: number;
}

/**
 * Samples the CPU of the first second of every betting window the tables open (polled every 5 ms): with all bets sent
 * as the window opens, that second holds the whole burst of bets — their messages, stakes, replies and the state
 * patches that list them — and nothing else.
 */
function windowCpu(tables: Array<{ state?: { phase?: string } }>, postmaster: number | undefined) {
  const snap = () => ({
    at: performance.now(),
    main: threadCpuMs(),
    all: processCpuMs(),
    pg: cpuOf(postgresTree(postmaster)),
    ...machineIdle(),
  });
  const windows: WindowCpu[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let last = tables[0]?.state?.phase;
  const poll = setInterval(() => {
    const phase = tables[0]?.state?.phase;
    if (phase === 'betting' && last !== 'betting') {
      const a = snap();
      const t = setTimeout(() => {
        timers.delete(t);
        const b = snap();
        const ms = b.at - a.at;
        windows.push({
          server: b.main - a.main,
          others: b.all - b.main - (a.all - a.main),
          postgres: cpuSpent(a.pg, b.pg),
          busyPct: machinePct(ms, b.idleMs - a.idleMs + b.iowaitMs - a.iowaitMs, true),
        });
      }, 1000);
      timers.add(t);
    }
    last = phase;
  }, 5);
  return {
    stop(): WindowCpu[] {
      clearInterval(poll);
      for (const t of timers) clearTimeout(t);
      return windows;
    },
  };
}

export async function crashBench(config: Config, argv: string[]): Promise<void> {
  const { lines } = await crashFigures(config, flag(argv, '--players', 1000), flag(argv, '--rounds', 5), flag(argv, '--spread-ms', 0));
  console.log(`\n${'crash table'.padEnd(56)} ${'value'.padStart(22)}  target`);
  for (const [name, value, target] of lines) console.log(`${name.padEnd(56)} ${value.padStart(22)}  ${target}`);
}

/** One crash table with `players` bots for `rounds` rounds, on a fresh bench database and its own in-process server. */
export async function crashFigures(config: Config, players: number, rounds: number, spreadMs = 0): Promise<CrashFigures> {
  await freshBenchDatabase({ seed: false });
  const server = await startServer({ ...config, ...TIMING });
  let probe: StallProbe | undefined;
  try {
    const tokens = await seedPlayers(server, players);
    const when = spreadMs > 0 ? `over the first ${spreadMs} ms of each window` : 'as each window opens';
    console.log(
      `crash: ${players} players join one table (2 worker threads), then ${rounds} rounds of betting (${when}) and cashing out …`,
    );
    const halves = [tokens.slice(0, players / 2), tokens.slice(players / 2)];
    const workers = halves.map(
      (group) =>
        new Worker(new URL('./crash-bots.ts', import.meta.url), {
          execArgv: [...process.execArgv.filter((a) => a.startsWith('--cpu-prof')), '--import', 'tsx'],
          workerData: { url: server.url, tokens: group, rounds, joinConcurrency: 16, spreadMs },
        }),
    );
    const next = <T>(w: Worker, type: string) =>
      new Promise<T>((resolve, reject) => {
        const on = (m: { type: string }) => {
          if (m.type !== type) return;
          w.off('message', on);
          resolve(m as T);
        };
        w.on('message', on);
        w.once('error', reject);
      });
    const joined = await Promise.all(workers.map((w) => next<{ failed: number; roomIds: string[] }>(w, 'joined')));
    const roomIds = [...new Set(joined.flatMap((j) => j.roomIds))];
    const tables = roomIds.map(
      (id) =>
        matchMaker.getLocalRoomById(id) as unknown as { tickStats?: { ticks: number; runningMs: number }; state?: { phase?: string } },
    );
    const ticksAt = (): { ticks: number; runningMs: number } =>
      tables.reduce((a, t) => ({ ticks: a.ticks + (t?.tickStats?.ticks ?? 0), runningMs: a.runningMs + (t?.tickStats?.runningMs ?? 0) }), {
        ticks: 0,
        runningMs: 0,
      });
    const before = ticksAt();
    const scrape = async () => {
      const texts = await scrapeMetrics([server.url]);
      return {
        bets: await scrapePhases({ texts }, 'crash_bet_phase_seconds'),
        cashouts: await scrapePhases({ texts }, 'crash_cashout_phase_seconds'),
        patches: await scrapePhases({ texts }, 'colyseus_patch_duration_seconds', 'room'),
      };
    };
    const scrapedBefore = await scrape();
    // the disk's stalls over the rounds: a commit of the tables' that met one shows in the bet and cash-out tails
    probe = await stallProbe(dbUrl('neon_bench'));
    probe.start();
    const sampler = windowCpu(tables, await postmasterOf(dbUrl('neon_bench')));
    // this thread runs the server's rooms: its event-loop delay is how late a bet's frame is read
    const serverLoop = monitorEventLoopDelay({ resolution: 5 });
    serverLoop.enable();
    const seats = watchSeats(tables as Array<{ clients: Iterable<unknown> } | undefined>);
    const started = performance.now();
    const done = workers.map((w) => next<CrashBotsReport>(w, 'done'));
    for (const w of workers) w.postMessage({ type: 'go' });
    let windows: WindowCpu[] = [];
    const reports = await Promise.all(done).finally(() => {
      windows = sampler.stop();
      serverLoop.disable();
    });
    const split = splitBets(
      reports.flatMap((r) => r.betTimes),
      seats.stop(),
    );
    const seconds = (performance.now() - started) / 1000;
    const disk = probe.read();
    const after = ticksAt();
    const scrapedAfter = await scrape();
    const phases = phaseQuantiles(scrapedBefore.bets, scrapedAfter.bets);
    const cashoutPhases = phaseQuantiles(scrapedBefore.cashouts, scrapedAfter.cashouts);
    const patchCycle = phaseQuantiles(scrapedBefore.patches, scrapedAfter.patches, ['crash']).crash;
    await Promise.all(workers.map((w) => w.terminate()));
    // the last round's settlements commit after its `crashed` state: wait until no crash stake is open
    const em = () => server.orm.em.fork() as EntityManager;
    let rows: Array<{ status: string; n: number }> = [];
    for (let i = 0; i < 50; i++) {
      rows = await em().execute(`select status, count(*)::int as n from game_rounds where game = 'crash' group by status`);
      if (!rows.some((r) => r.status === 'open')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    const { drift } = await findDrift(em());

    const merge = (k: 'bets' | 'cashouts' | 'patches') => {
      const h = new Histogram();
      for (const r of reports) h.merge(r[k]);
      return h;
    };
    const [bets, cashouts, patches] = [merge('bets'), merge('cashouts'), merge('patches')];
    const errors: Record<string, number> = {};
    for (const r of reports) for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
    const sum = (k: 'placed' | 'cashedOut' | 'tooLate') => reports.reduce((a, r) => a + r[k], 0);
    const tickHz = after.runningMs > before.runningMs ? (after.ticks - before.ticks) / ((after.runningMs - before.runningMs) / 1000) : NaN;
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    const lines: Array<[string, string, string]> = [
      ['players / tables', `${players - joined.reduce((a, j) => a + j.failed, 0)} / ${roomIds.length}`, ''],
      ['bet ack p50 / p99 ms', `${bets.percentile(0.5)} / ${bets.percentile(0.99)}`, 'p99 < 100'],
      [
        '  split p50 / p99 ms: in / server / out (bot → read, read → reply, reply → bot)',
        (['in', 'server', 'out'] as const).map((k) => `${split.quantiles[k].p50}/${split.quantiles[k].p99}`).join(', '),
        '',
      ],
      [
        '  slowest 1 % of bets, mean ms: in / server / out = total',
        `${split.slowest.in} / ${split.slowest.server} / ${split.slowest.out} = ${split.slowest.total}`,
        `${split.matched} matched`,
      ],
      ...PHASES.map((p): [string, string, string] => [`  in the server: ${p} p50 / p99 ms`, `${phases[p].p50} / ${phases[p].p99}`, '']),
      ['cash-out ack p50 / p99 ms', `${cashouts.percentile(0.5)} / ${cashouts.percentile(0.99)}`, 'p99 < 100'],
      ...PHASES.map((p): [string, string, string] => [
        `  in the server: ${p} p50 / p99 ms`,
        `${cashoutPhases[p].p50} / ${cashoutPhases[p].p99}`,
        '',
      ]),
      [
        'betting window, 1st s: CPU ms server / bots+helpers / postgres',
        windows.length === 0 ? 'n/a' : (['server', 'others', 'postgres'] as const).map((k) => Math.round(mean(windows, k))).join(' / '),
        '',
      ],
      ['  machine busy % (2 cores = 100)', windows.length === 0 ? 'n/a' : String(Math.round(mean(windows, 'busyPct'))), ''],
      [
        'event-loop delay p99 / max ms: server, bots (worst thread)',
        `${ms(serverLoop.percentile(99) / 1e6)} / ${ms(serverLoop.max / 1e6)}, ${ms(Math.max(...reports.map((r) => r.loopDelay.p99)))} / ${ms(Math.max(...reports.map((r) => r.loopDelay.max)))}`,
        '',
      ],
      [`state patch cycle p50 / p99 ms (server: encode, send to ${players} seats)`, `${patchCycle.p50} / ${patchCycle.p99}`, ''],
      [`disk: slowest probe commit ms / commits over ${STALL_MS} ms`, `${disk.max_commit_ms} / ${disk.stalls}`, ''],
      ['curve tick rate Hz (server)', Number.isNaN(tickHz) ? 'n/a' : tickHz.toFixed(1), '>= 10'],
      ['state patch interval p50 / p99 ms (clients, running)', `${patches.percentile(0.5)} / ${patches.percentile(0.99)}`, 'p99 < 150'],
      ['bets acknowledged / cash-outs paid / too late', `${sum('placed')} / ${sum('cashedOut')} / ${sum('tooLate')}`, ''],
      ['crash rounds settled / refunded / still open', `${count('settled')} / ${count('refunded')} / ${count('open')}`, 'open 0'],
      ['errors', errorCount === 0 ? '0' : JSON.stringify(errors), '0'],
      ['ledger check (reconcile)', drift.length === 0 ? 'clean' : `${drift.length} problem(s)`, 'clean'],
      ['run time s', seconds.toFixed(1), ''],
    ];
    return {
      betAckP99: bets.percentile(0.99),
      cashoutAckP99: cashouts.percentile(0.99),
      tickHz,
      patchP99: patches.percentile(0.99),
      open: count('open'),
      errors: errorCount,
      disk,
      clean: drift.length === 0,
      lines,
    };
  } finally {
    await probe?.stop();
    await server.stop();
  }
}

const mean = <T>(xs: T[], k: keyof T) => xs.reduce((a, x) => a + Number(x[k]), 0) / xs.length;
const ms = (x: number) => x.toFixed(1);
