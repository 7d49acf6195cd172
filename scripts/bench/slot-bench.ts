// `npm run bench -- --slot`: only what a change to the spin path moves, for quick before/after runs — the baselines, the
// disk's commit floor, spins without pause (with their phases, event-loop delay, GC and CPU per settled spin) and the
// stepped ramps of players at the busy and at the client's pace. Prints one table, saves bench/results/slot-<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../../server/bootstrap.ts';
import type { Config } from '../../server/config/schema.ts';
import { baselines, dbUrl } from './baselines.ts';
import { PHASES } from './phases.ts';
import { firstOver, overText, PLAYER_PACE_MS, PLAYER_PACE_STEPS, ramp, type RampStep } from './ramp.ts';
import { diskFloor, slotFigures } from './slot-figures.ts';
import { playerPool } from './slot-rounds.ts';
import { freshBenchDatabase, fundedPlayers, settleDatabase } from './bench-db.ts';

const P99_LIMIT_MS = 100;
/** the busy ramp's steps (a spin, then 0.4–1.2 s): from where the target starts to matter */
const BUSY_STEPS = [50, 100, 200, 300, 500, 650, 800, 1000, 1300, 1600, 2000];

/**
 * `ramps: false` stops after the spins without pause (for a CPU profile of a saturated run); `pace` runs only that
 * pace's ramp.
 */
export async function slotBench(config: Config, seconds: number, opts: { ramps: boolean; pace?: string } = { ramps: true }) {
  const m = await measureSlot(config, seconds, { paces: opts.ramps ? (opts.pace ? [opts.pace] : ['busy', 'player']) : [] });
  printTable(m.base, m.disk, m.slot, m.ramps);
  const at = new Date().toISOString();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/slot-${at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ at, seconds, baselines: m.base, disk_floor_ms: m.disk, slot: m.slot, ramps: m.ramps }, null, 2));
  console.log(`\nsaved ${file}`);
}

export type SlotMeasured = Awaited<ReturnType<typeof measureSlot>>;

/**
 * The baselines, the disk floor, spins without pause and the ramps at the given paces, on a fresh bench database and
 * an in-process server; `afterSpins` measures more on the same server before the ramps (its players have spun).
 */
export async function measureSlot<T = undefined>(
  config: Config,
  seconds: number,
  opts: {
    paces: string[];
    afterSpins?: (server: Awaited<ReturnType<typeof startServer>>, players: Awaited<ReturnType<typeof fundedPlayers>>) => Promise<T>;
  },
) {
  const stepSeconds = Math.max(3, Math.round(seconds / 3));
  console.log(`baselines: pgbench TPC-B-like and single-row UPDATE, ${seconds} s each …`);
  const base = await baselines(seconds);
  await freshBenchDatabase();
  console.log('disk floor: one connection committing one-row inserts, 15 s …');
  const disk = await diskFloor(dbUrl('neon_bench'), 15);
  const server = await startServer({ ...config, SIGNUP_BONUS_GOLD: 10_000_000 });
  try {
    const players = await fundedPlayers(server, 64);
    console.log(`slot rounds: 64 players (bots in 2 worker threads) spinning without pause, ${seconds} s …`);
    const slot = await slotFigures(
      server.url,
      dbUrl('neon_bench'),
      players.map((p) => p.token),
      seconds,
    );
    const after = await opts.afterSpins?.(server, players);
    // not 'ramp': the process figures sign up their own ramp players later on the same database
    const pool = playerPool('pace');
    const ramps: Record<'busy' | 'player', { held: number; steps: RampStep[] }> = {} as never;
    const paces = [
      ['busy', [400, 1200], BUSY_STEPS],
      ['player', PLAYER_PACE_MS, PLAYER_PACE_STEPS],
    ] as const;
    for (const [pace, thinkMs, steps] of paces.filter(([p]) => opts.paces.includes(p))) {
      console.log(`ramp at ${pace} pace (${thinkMs[0] / 1000}–${thinkMs[1] / 1000} s between spins), ${stepSeconds} s per step …`);
      await settleDatabase();
      ramps[pace] = await ramp([server.url], (n) => pool(server.url, n), {
        steps,
        thinkMs: [...thinkMs],
        windowSeconds: stepSeconds,
        p99LimitMs: P99_LIMIT_MS,
        log: (l) => console.log(l),
        db: dbUrl('neon_bench'),
      });
    }
    return { base, disk, slot, ramps, after };
  } finally {
    await server.stop();
  }
}

function printTable(
  base: { tpcb: number },
  disk: Awaited<ReturnType<typeof diskFloor>>,
  slot: Awaited<ReturnType<typeof slotFigures>>,
  ramps: Record<'busy' | 'player', { held: number; steps: RampStep[] }>,
) {
  const at = (r: { steps: RampStep[] }, n: number) => r.steps.find((s) => s.players === n);
  const cpu = slot.cpu_ms_per_round;
  const rows: Array<[string, string | number]> = [
    ['pgbench TPC-B tps (8 clients)', Math.round(base.tpcb)],
    ['disk floor: 1-client commit p50 / p99 / max ms', `${disk.p50} / ${disk.p99} / ${disk.max}`],
    ['  time in commits over 50 ms; a random moment waits p99 ms', `${disk.stalled_pct} %; ${disk.wait_p99}`],
    ['settled slot rounds/s (64 players, no pause)', Math.round(slot.perSecond)],
    ['  spin round trip p50 / p99 ms', `${slot.p50} / ${slot.p99}`],
    ['  spins per commit (mean)', slot.perCommit],
    ...PHASES.map((p): [string, string] => [`  phase ${p} p50 / p99 ms`, `${slot.phases[p].p50} / ${slot.phases[p].p99}`]),
    [
      '  event-loop delay p50 / p99 / max ms',
      `${slot.event_loop_delay_ms.p50} / ${slot.event_loop_delay_ms.p99} / ${slot.event_loop_delay_ms.max}`,
    ],
    ['  GC pauses: total / max ms (count)', `${slot.gc_ms.total} / ${slot.gc_ms.max} (${slot.gc_ms.pauses})`],
    ['CPU ms per settled spin: server + PostgreSQL', cpu.both],
    ['  server / PostgreSQL / bots (apart)', `${cpu.server} / ${cpu.postgres} / ${cpu.bots}`],
  ];
  for (const pace of ['busy', 'player'] as const) {
    const r = ramps[pace];
    if (!r) continue;
    const first = firstOver(r.steps);
    rows.push([`players held at p99 < ${P99_LIMIT_MS} ms, ${pace} pace`, r.held], ['  first step over', first ? overText(first) : 'none']);
  }
  const p2000 = ramps.player && at(ramps.player, 2000);
  if (p2000) rows.push(['  player pace, 2,000 players: p99 − disk p99 ms', Math.round((p2000.p99_ms - disk.p99) * 10) / 10]);
  console.log(`\n${'figure'.padEnd(52)} value`);
  for (const [name, value] of rows) console.log(`${name.padEnd(52)} ${value}`);
}
