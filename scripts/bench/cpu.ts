// CPU time from /proc, for the bench's CPU per settled round: this process, one thread, or a PostgreSQL server's
// processes (the postmaster and all its children: backends, WAL writer, checkpointer …), and the machine's idle time.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';

/** ms per clock tick of /proc's utime and stime (USER_HZ, 100 on Linux) */
const TICK_MS = 10;

/** utime + stime (ms) of a /proc stat file, or undefined when it is gone; `ppid` too. */
function stat(path: string): { cpuMs: number; ppid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // after the command name in parentheses: state, ppid, … utime (14th field), stime (15th)
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS, ppid: Number(f[1]) };
}

/** The machine's idle and I/O-wait time so far, all cores together (ms): fields 4 and 5 of /proc/stat's `cpu` line. */
export function machineIdle(): { idleMs: number; iowaitMs: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/);
  return { idleMs: Number(f[4]) * TICK_MS, iowaitMs: Number(f[5]) * TICK_MS };
}

/** CPU ms used so far by the whole of this process (every thread). */
export const processCpuMs = (): number => stat(`/proc/${process.pid}/stat`)?.cpuMs ?? 0;

/** CPU ms used so far by the calling thread (a worker thread measures itself with it). */
export const threadCpuMs = (): number => stat('/proc/thread-self/stat')?.cpuMs ?? 0;

/** The pid of the postmaster of the PostgreSQL server behind `url`. */
export async function postmasterOf(url: string): Promise<number | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const backend = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    return stat(`/proc/${backend}/stat`)?.ppid; // read while the backend still runs
  } finally {
    await c.end();
  }
}

/** A postmaster and its children (backends, WAL writer, checkpointer …) as they are now. */
export function postgresTree(postmaster: number | undefined): number[] {
  if (!postmaster) return [];
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => stat(`/proc/${pid}/stat`)?.ppid === postmaster);
  return [postmaster, ...children];
}

/** The pids of the PostgreSQL server behind `url`: its postmaster and the postmaster's children. */
export async function postgresPids(url: string): Promise<number[]> {
  return postgresTree(await postmasterOf(url));
}

/** CPU ms so far per pid (pids that have exited are left out). */
export function cpuOf(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = stat(`/proc/${pid}/stat`);
    if (s) out.set(pid, s.cpuMs);
  }
  return out;
}

/** CPU ms spent between two `cpuOf` snapshots (a process only in the second counts whole). */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, v] of after) ms += v - (before.get(pid) ?? 0);
  return ms;
}

/** CPU used so far by each side of a bench run, and the machine's idle time, at one moment. */
export interface CpuSnapshot {
  at: number;
  game: Map<number, number>;
  bots: Map<number, number>;
  pg: Map<number, number>;
  idleMs: number;
  iowaitMs: number;
}

/**
 * A snapshot of the game processes, the bots' processes and the PostgreSQL server under `postmaster` (its backends
 * listed again each time: the game processes open their pools' connections as load comes).
 */
export function cpuSnapshot(sides: { game: number[]; bots: number[]; postmaster: number | undefined }): CpuSnapshot {
  return {
    at: Date.now(),
    game: cpuOf(sides.game),
    bots: cpuOf(sides.bots),
    pg: cpuOf(postgresTree(sides.postmaster)),
    ...machineIdle(),
  };
}

/** What each side used between two snapshots, in % of one core; `game_pct` per game process. */
export interface CpuWindow {
  ms: number;
  game_pct: number[];
  bots_pct: number;
  postgres_pct: number;
  /** the whole machine, all cores: 100 − idle − I/O wait */
  machine_busy_pct: number;
  /** the whole machine, all cores: idle with a disk request outstanding */
  iowait_pct: number;
  /** CPU ms of each side over the window */
  spent: { game: number; bots: number; postgres: number };
}

export function cpuBetween(from: CpuSnapshot, to: CpuSnapshot): CpuWindow {
  const ms = Math.max(1, to.at - from.at);
  const pct = (cpu: number) => Math.round((cpu / ms) * 100);
  const game = cpuSpent(from.game, to.game);
  const bots = cpuSpent(from.bots, to.bots);
  const postgres = cpuSpent(from.pg, to.pg);
  return {
    ms,
    game_pct: [...to.game].map(([pid, v]) => pct(v - (from.game.get(pid) ?? 0))),
    bots_pct: pct(bots),
    postgres_pct: pct(postgres),
    machine_busy_pct: machinePct(ms, to.idleMs - from.idleMs + to.iowaitMs - from.iowaitMs, true),
    iowait_pct: machinePct(ms, to.iowaitMs - from.iowaitMs),
    spent: { game, bots, postgres },
  };
}

/** `ms` of all cores' time over a window of `windowMs`, in % of the machine (or what is left of it: `rest`). */
export function machinePct(windowMs: number, ms: number, rest = false): number {
  const pct = (ms / (windowMs * availableParallelism())) * 100;
  return Math.round(rest ? 100 - pct : pct);
}
