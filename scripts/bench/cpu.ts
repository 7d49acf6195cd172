// CPU time from /proc, for the bench's CPU per settled round: this process, one thread, or a PostgreSQL server's
// processes (the postmaster and all its children: backends, WAL writer, checkpointer …), and the machine's idle time.
import { readdirSync, readFileSync } from 'node:fs';
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

/** The machine's idle time so far, all cores together (ms): the `idle` field of /proc/stat's `cpu` line. */
export const machineIdleMs = (): number => Number(readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/)[4]) * TICK_MS;

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
