// The stepped ramp: slot players are added step by step (bots in two worker threads, off the servers' event loops);
// after each step has joined, spin round trips are measured for a window. The ramp stops at the first step whose p99
// reaches the limit twice in a row (or that loses players or has more than 1 % errors); the answer is the last step that
// held. Given the database, a probe watches the disk: a try over the limit that met a disk stall (with its median
// spin still low) does not count, and the step is measured again (5 tries at most; a step still over after that is
// marked as decided by the disk).
import { Worker } from 'node:worker_threads';
import { Histogram } from '../loadtest/stats.ts';
import { cpuBetween, cpuSnapshot, type CpuWindow } from './cpu.ts';
import { loopDelayOf, phaseQuantiles, scrapeMetrics, scrapePhases } from './phases.ts';
import { stallProbe, type DiskWindow, type StallProbe } from './stall-probe.ts';
import type { RampCommand, RampReport } from './ramp-bots.ts';

export const RAMP_STEPS = [10, 25, 50, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1300, 1600, 2000, 2500, 3200, 4000, 5000];
/** A step over the limit is measured at most this often while its tries meet disk stalls. */
const MAX_TRIES = 5;
/**
 * A try met a disk stall when the probe saw one and the median spin stayed low (under a quarter of the limit): a stall
 * delays the spins around it, the tail; a machine out of CPU delays every spin, the median too, and the probe's own
 * commits wait for a core (76–87 ms at 5,000 players, player pace).
 */
const stalled = (step: RampStep, limitMs: number) => (step.disk?.stalls ?? 0) > 0 && step.p50_ms < limitMs / 4;

/** The steps of the player-pace ramp (a spin every 2–4 s, as the client plays with its reel animation). */
export const PLAYER_PACE_STEPS = [100, 300, 500, 1000, 1500, 2000, 2500, 3200, 4000, 5000];
/** The client's pace: ms between one spin's result and the next spin. */
export const PLAYER_PACE_MS: [number, number] = [2000, 4000];

export interface RampStep {
  players: number;
  connected: number;
  actions_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  error_kinds: Record<string, number>;
  /** connected clients of each game process (from its /metrics) */
  clients_by_process: number[];
  /** p99 ms of each phase of a spin over the window (the servers' slot_spin_phase_seconds) */
  phases_p99_ms?: Record<string, number>;
  /** each game process's event-loop delay over the window (ms) */
  loop_delay_ms?: Array<{ p99: number; max: number }>;
  /** the disk's stalls over the window, from a probe committing every 40 ms (when the ramp was given the database) */
  disk?: DiskWindow;
  /** the cores each side used over the window (when the ramp was given the game processes' pids) */
  cpu?: Omit<CpuWindow, 'spent'>;
  held: boolean;
  /** the first measurement, when it was over the limit and the step was measured again */
  first_try?: RampStep;
  /** how many times the step was measured, when more than once */
  tries?: number;
  /** over the limit in its last try, which met a disk stall (as did every try before it but the first) */
  disk_decided?: boolean;
}

type Report<T extends RampReport['type']> = Extract<RampReport, { type: T }>;

function next<T extends RampReport['type']>(w: Worker, type: T): Promise<Report<T>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: RampReport) => {
      if (m.type === type) {
        w.off('message', onMessage);
        w.off('error', reject);
        resolve(m as Report<T>);
      }
    };
    w.on('message', onMessage);
    w.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function clientsOf(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  return Number(text.match(/^colyseus_clients (\d+)/m)?.[1] ?? NaN);
}

/**
 * Ramps slot players against the game processes at `urls` (the first is the entry) through `steps` until one breaks. `players(n)` gives at least n signed-up players'
 * access tokens (the same ones on every call).
 */
export async function ramp(
  urls: string[],
  players: (n: number) => Promise<string[]>,
  opts: {
    steps?: number[];
    windowSeconds: number;
    p99LimitMs: number;
    log: (line: string) => void;
    /** ms between a slot player's spins, [min, max]; the load test's busy 0.4–1.2 s unless given */
    thinkMs?: [number, number];
    /** the game processes' pids and PostgreSQL's postmaster: each step then reports the cores each side used (the
     * bots are this process's worker threads) */
    cpu?: { game: number[]; postmaster: number | undefined };
    /** the database the servers commit to: a probe then reports the disk's stalls in each step, and a step over the
     * limit that met one is measured again, up to MAX_TRIES times in all */
    db?: string;
  },
) {
  const url = urls[0];
  const workers = [0, 1].map(
    () =>
      new Worker(new URL('./ramp-bots.ts', import.meta.url), {
        execArgv: ['--import', 'tsx'],
        workerData: { url, joinConcurrency: 16, thinkMs: opts.thinkMs },
      }),
  );
  const send = (w: Worker, cmd: RampCommand) => w.postMessage(cmd);
  const steps: RampStep[] = [];
  let held = 0;
  let running = 0;
  let probe: StallProbe | undefined;
  const measure = async (target: number, again = false): Promise<RampStep> => {
    const phasesBefore = await scrapePhases(urls);
    const snapshot = () => opts.cpu && cpuSnapshot({ ...opts.cpu, bots: [process.pid] });
    workers.forEach((w) => send(w, { type: 'measure', on: true }));
    probe?.start();
    const cpuFrom = snapshot();
    await sleep(opts.windowSeconds * 1000);
    const cpuTo = snapshot();
    const disk = probe?.read();
    const windows = workers.map((w) => next(w, 'window'));
    workers.forEach((w) => send(w, { type: 'measure', on: false }));
    const got = await Promise.all(windows);
    const texts = await scrapeMetrics(urls);
    const phases = phaseQuantiles(phasesBefore, await scrapePhases({ texts }));
    const loops = texts.map(loopDelayOf);
    const byProcess = await Promise.all(urls.map(clientsOf));
    const hist = new Histogram();
    const kinds: Record<string, number> = {};
    for (const g of got) {
      hist.merge(g);
      for (const [k, v] of Object.entries(g.errorKinds)) kinds[k] = (kinds[k] ?? 0) + v;
    }
    const actions = got.reduce((a, g) => a + g.actions, 0);
    const errors = got.reduce((a, g) => a + g.errors, 0);
    const connected = got.reduce((a, g) => a + g.connected, 0);
    const step: RampStep = {
      players: target,
      connected,
      actions_per_s: Math.round((actions / opts.windowSeconds) * 10) / 10,
      p50_ms: hist.percentile(0.5),
      p99_ms: hist.percentile(0.99),
      errors,
      error_kinds: kinds,
      clients_by_process: byProcess,
      phases_p99_ms: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v.p99])),
      loop_delay_ms: loops,
      ...(cpuFrom && cpuTo ? { cpu: cpuOfSides(cpuBetween(cpuFrom, cpuTo)) } : {}),
      ...(disk ? { disk } : {}),
      held: false,
    };
    step.held = step.p99_ms < opts.p99LimitMs && connected === target && errors <= 0.01 * (actions + errors) && actions > 0;
    opts.log(
      `  ${String(target).padStart(5)} players${again ? ' (again)' : ''}: ${String(connected).padStart(5)} connected, ${step.actions_per_s} spins/s, p50/p99 ${step.p50_ms}/${step.p99_ms} ms, errors ${errors}, phase p99 ${['queue', 'lock', 'write', 'commit', 'reply'].map((k) => `${k} ${phases[k as 'queue'].p99}`).join(' ')}${urls.length > 1 ? `, clients by process ${byProcess.join('/')}` : ''}, event-loop delay p99/max ${loops.map((l) => `${l.p99}/${l.max}`).join(', ')} ms${step.cpu ? `, cores: ${coresLine(step.cpu)}` : ''}${disk ? `, disk: slowest probe commit ${disk.max_commit_ms} ms${disk.stalls > 0 ? ` (${disk.stalls} stalled)` : ''}` : ''}${step.held ? '' : '  ← over'}`,
    );
    return step;
  };
  try {
    if (opts.db) probe = await stallProbe(opts.db);
    for (const target of opts.steps ?? RAMP_STEPS) {
      const tokens = (await players(target)).slice(running, target);
      const added = workers.map((w) => next(w, 'added'));
      workers.forEach((w, i) => send(w, { type: 'add', tokens: tokens.filter((_, j) => j % 2 === i) }));
      await Promise.all(added);
      running = target;
      await sleep(1000); // the joins' after-effects (session rows, first patches) settle before measuring
      const first = await measure(target);
      let step = first;
      // a step over the limit is measured once more before the ramp stops (the machine is shared), and again, up to
      // MAX_TRIES in all, while the disk stalled in the try: a stall holds every commit, whatever the server does
      let tries = 1;
      for (; !step.held && (tries < 2 || (tries < MAX_TRIES && stalled(step, opts.p99LimitMs))); tries++)
        step = { ...(await measure(target, true)), first_try: first };
      if (tries > 1) step.tries = tries;
      // over the limit only in windows the disk stalled: the step is the disk's verdict, not the server's
      if (!step.held && stalled(step, opts.p99LimitMs)) step.disk_decided = true;
      steps.push(step);
      if (!step.held) break;
      held = target;
    }
  } finally {
    await probe?.stop();
    const stopped = workers.map((w) => next(w, 'stopped').catch(() => undefined));
    workers.forEach((w) => send(w, { type: 'stop' }));
    await Promise.race([Promise.all(stopped), sleep(30_000)]);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { held, steps };
}

const cpuOfSides = ({ spent: _, ...w }: CpuWindow) => w;

/** "game 0.81+0.64, postgres 0.42, bots 0.20, machine 97 % busy, I/O wait 1 %" */
function coresLine(w: Omit<CpuWindow, 'spent'>): string {
  const cores = (pct: number) => (pct / 100).toFixed(2);
  return `game ${w.game_pct.map(cores).join('+')}, postgres ${cores(w.postgres_pct)}, bots ${cores(w.bots_pct)}, machine ${w.machine_busy_pct} % busy, I/O wait ${w.iowait_pct} %`;
}

/** The first step over the limit (the one the ramp stopped at), if any. */
export const firstOver = (steps: RampStep[]) => steps.find((s) => !s.held);

/** "1300 at p99 168 ms" for a step over the limit (" (disk stalls)" when only stalled tries were over). */
export const overText = (step: RampStep) => `${step.players} at p99 ${step.p99_ms} ms${step.disk_decided ? ' (disk stalls)' : ''}`;

/** ", 1300 at p99 168 ms" for the first step over the limit, or nothing. */
export function firstOverText(steps: RampStep[]): string {
  const over = firstOver(steps);
  return over ? `, ${overText(over)}` : '';
}
