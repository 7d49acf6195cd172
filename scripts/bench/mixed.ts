// The bench's mixed load test: `npm run loadtest -- --scenario mixed` (its own process, bots in worker threads) against
// one game process started as `npm start` starts it, on a fresh seeded bench database; the figures come from its report,
// each second's with the disk's slowest probe commit in that second (stall-probe.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report, Second } from '../loadtest/report.ts';
import { dbUrl } from './baselines.ts';
import { freshBenchDatabase } from './bench-db.ts';
import { startCluster } from './cluster.ts';
import { cpuBetween, cpuSnapshot, postmasterOf, type CpuSnapshot } from './cpu.ts';
import { benchClusterEnv } from './processes.ts';
import { stallProbe, type DiskWindow } from './stall-probe.ts';

/** CPU over the played window after the ramp: % of one core per side, and each side's ms per bot action. */
export interface MixedCpu {
  window_s: number;
  actions: number;
  game_pct: number;
  bots_pct: number;
  postgres_pct: number;
  /** the whole machine, all cores: 100 − idle − I/O wait */
  machine_busy_pct: number;
  /** the disk's stalls over the window: the stall probe's slowest commit and the commits over 50 ms */
  disk: DiskWindow;
  game_ms_per_action: number;
  postgres_ms_per_action: number;
  bots_ms_per_action: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The load test's totals and per-scenario latency for `players` bots over `seconds` (one scenario alone if given). */
export async function mixedLoadTest(
  players: number,
  seconds: number,
  secrets: { JWT_SECRET: string; PAYMENT_WEBHOOK_SECRET: string },
  scenario = 'mixed',
): Promise<Pick<Report, 'totals' | 'by_scenario' | 'error_kinds' | 'enrollment'> & { timeline: TimedSecond[]; cpu?: MixedCpu }> {
  await freshBenchDatabase();
  const probe = await stallProbe(dbUrl('neon_bench'));
  // Redis database 3: the process figures use 1 and 2
  const cluster = await startCluster(1, benchClusterEnv(3, secrets), 'mixed').catch(async (err: unknown) => {
    await probe.stop();
    throw err;
  });
  const dir = mkdtempSync(join(tmpdir(), 'neon-bench-mixed-'));
  const disk: DiskQuarter[] = [];
  let from = Date.now();
  probe.start();
  const everyQuarter = setInterval(() => {
    disk.push({ from, to: Date.now(), ...probe.read() });
    from = Date.now();
    probe.start();
  }, 250);
  try {
    console.log(`${scenario} load test: ${players} players for ${seconds} s against one game process …`);
    const ramp = Math.min(10, seconds / 3);
    const args = ['--import', 'tsx', 'scripts/loadtest/cli.ts', '--scenario', scenario, '--players', String(players)];
    args.push('--duration', String(seconds), '--ramp', String(ramp), '--url', cluster.url, '--report', dir);
    args.push('--accounts', join(dir, 'accounts.json'));
    const postmaster = await postmasterOf(dbUrl('neon_bench'));
    const snapshots: CpuSnapshot[] = [];
    let sampler: NodeJS.Timeout | undefined;
    // the run's own error-rate verdict is the bench's to print: exit 1 (too many errors) still leaves the report
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      const snap = () => snapshots.push(cpuSnapshot({ game: cluster.pids, bots: [child.pid!], postmaster }));
      sampler = setInterval(snap, 500);
      child.once('error', reject);
      child.once('exit', resolve);
    }).finally(() => clearInterval(sampler));
    if (code !== 0 && code !== 1) throw new Error(`the load test exited with ${code}`);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    const { totals, by_scenario, error_kinds, enrollment } = report;
    const started = Date.parse(report.started_at);
    const timeline = report.timeline.map((s) => ({
      ...s,
      disk_ms: diskIn(disk, started + (s.t - 1) * 1000, started + s.t * 1000).max_commit_ms,
    }));
    const cpu = playedCpu(report, ramp, snapshots);
    const played = diskIn(disk, started + ramp * 1000, started + report.duration_s * 1000);
    return { totals, by_scenario, error_kinds, enrollment, timeline, cpu: cpu && { ...cpu, disk: played } };
  } finally {
    clearInterval(everyQuarter);
    await probe.stop();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A second of the load test's timeline, with the disk's slowest probe commit in it (ms). */
export type TimedSecond = Second & { disk_ms: number };

/** What the stall probe saw in a quarter of a second of wall time (epoch ms). */
type DiskQuarter = DiskWindow & { from: number; to: number };

/** The probe's quarters that overlap [from, to], together. */
function diskIn(quarters: DiskQuarter[], from: number, to: number): DiskWindow {
  const within = quarters.filter((d) => d.to > from && d.from < to);
  return {
    max_commit_ms: Math.max(0, ...within.map((d) => d.max_commit_ms)),
    stalls: within.reduce((n, d) => n + d.stalls, 0),
  };
}

/** The CPU of the window from the end of the ramp to the end of play, from the snapshots nearest its ends. */
function playedCpu(report: Report, ramp: number, snapshots: CpuSnapshot[]): Omit<MixedCpu, 'disk'> | undefined {
  const started = Date.parse(report.started_at);
  const nearest = (at: number) => snapshots.reduce((a, b) => (Math.abs(b.at - at) < Math.abs(a.at - at) ? b : a));
  if (snapshots.length < 2) return undefined;
  const from = nearest(started + ramp * 1000);
  const to = nearest(started + report.duration_s * 1000);
  if (to.at <= from.at) return undefined;
  const actions = report.timeline.filter((s) => s.t > ramp && s.t <= report.duration_s).reduce((n, s) => n + s.actions, 0);
  const w = cpuBetween(from, to);
  const per = (cpu: number) => Math.round((cpu / Math.max(1, actions)) * 100) / 100;
  return {
    window_s: Math.round(w.ms / 100) / 10,
    actions,
    game_pct: w.game_pct.reduce((a, b) => a + b, 0),
    bots_pct: w.bots_pct,
    postgres_pct: w.postgres_pct,
    machine_busy_pct: w.machine_busy_pct,
    game_ms_per_action: per(w.spent.game),
    postgres_ms_per_action: per(w.spent.postgres),
    bots_ms_per_action: per(w.spent.bots),
  };
}
