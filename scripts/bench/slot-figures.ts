// The slot figures of `npm run bench -- --slot`: the disk's own commit latency, then spins without pause with where
// their time went (phases), the server's event-loop delay and GC pauses, and the CPU each settled spin cost the server,
// PostgreSQL and the bots.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';
import { cpuOf, cpuSpent, postgresPids, processCpuMs } from './cpu.ts';
import { phaseQuantiles, scrapePhases } from './phases.ts';
import { slotRounds } from './slot-rounds.ts';
import { STALL_MS } from './stall-probe.ts';

/**
 * The disk's floor: one connection inserting one row per transaction (autocommit, so each waits for its WAL flush) for
 * `seconds`, with nothing else running. p50 / p99 / max ms of a commit, and its stalls: the share of the time spent in
 * commits over `STALL_MS` (50 ms), and the p99 wait of a random moment until the commit in progress ends. A stall holds
 * every commit behind it, so a load that commits all the time meets that wait at a random moment, however short its
 * own commits.
 */
export async function diskFloor(url: string, seconds: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create table if not exists bench_disk_floor (id bigserial primary key, at timestamptz not null default now())');
    const ms: number[] = [];
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      const t0 = performance.now();
      await c.query('insert into bench_disk_floor default values');
      ms.push(performance.now() - t0);
    }
    await c.query('drop table bench_disk_floor');
    ms.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 100) / 100;
    const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]);
    const total = ms.reduce((a, b) => a + b, 0);
    const stalled = ms.filter((m) => m > STALL_MS).reduce((a, b) => a + b, 0);
    return {
      commits: ms.length,
      p50: at(0.5),
      p99: at(0.99),
      max: round(ms.at(-1) ?? 0),
      stalled_pct: round((stalled / total) * 100),
      wait_p99: round(residualQuantile(ms, 0.99)),
    };
  } finally {
    await c.end();
  }
}

/**
 * The `q` quantile of the wait a random moment has until the commit in progress ends, over back-to-back commits of
 * `ms` each: a moment falls in a commit in proportion to its length, anywhere in it, so P(wait > w) = Σ max(0, L − w) / Σ L.
 */
export function residualQuantile(ms: number[], q: number): number {
  const total = ms.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const tail = (w: number) => ms.reduce((a, l) => a + Math.max(0, l - w), 0) / total;
  let lo = 0;
  let hi = ms.reduce((a, b) => Math.max(a, b), 0);
  for (let i = 0; i < 40; i++) {
    const w = (lo + hi) / 2;
    if (tail(w) > 1 - q) lo = w;
    else hi = w;
  }
  return hi;
}

/**
 * Spins without pause from `tokens`' players against the in-process server at `url` (this process's main thread is the
 * server; the bots run in worker threads), with the server's figures over exactly the spinning window.
 */
export async function slotFigures(url: string, dbUrl: string, tokens: string[], seconds: number) {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  const gc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  });
  /** the spinning window on the monotonic clock in µs, which V8's CPU profiles use too (see cpu-profile.ts --window) */
  const windowUs = [0, 0];
  let start = { proc: 0, pg: new Map<number, number>(), phases: await scrapePhases([url]) };
  const slot = await slotRounds(url, tokens, {
    seconds,
    onGo: async () => {
      start = { proc: processCpuMs(), pg: cpuOf(await postgresPids(dbUrl)), phases: await scrapePhases([url]) };
      windowUs[0] = Number(process.hrtime.bigint() / 1000n);
      eld.enable();
      gcObserver.observe({ entryTypes: ['gc'] });
    },
  });
  windowUs[1] = Number(process.hrtime.bigint() / 1000n);
  eld.disable();
  gcObserver.disconnect();
  const procMs = processCpuMs() - start.proc;
  const pgMs = cpuSpent(start.pg, cpuOf(await postgresPids(dbUrl)));
  const phases = phaseQuantiles(start.phases, await scrapePhases([url]));
  const serverMs = procMs - slot.botsCpuMs;
  const perRound = (ms: number) => Math.round((ms / Math.max(1, slot.rounds)) * 1000) / 1000;
  const { hist: _, ...rest } = slot;
  return {
    ...rest,
    window_us: windowUs,
    phases,
    event_loop_delay_ms: { p50: round(eld.percentile(50) / 1e6), p99: round(eld.percentile(99) / 1e6), max: round(eld.max / 1e6) },
    gc_ms: { total: round(gc.reduce((a, b) => a + b, 0)), max: round(Math.max(0, ...gc)), pauses: gc.length },
    cpu_ms_per_round: {
      server: perRound(serverMs),
      postgres: perRound(pgMs),
      both: perRound(serverMs + pgMs),
      bots: perRound(slot.botsCpuMs),
    },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
