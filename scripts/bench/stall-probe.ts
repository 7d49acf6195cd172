// The disk's stalls during a measured window: one connection commits a one-row insert every 40 ms (autocommit, so each
// waits for its WAL flush). A stall of the WAL's disk holds every commit, the probe's too, so a probe commit that takes
// over 50 ms marks a window whose requests met a stall the server could do nothing about. About 25 commits a second:
// next to the load it watches, nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** What the probe saw over one window: its slowest commit and how many took over `STALL_MS`. */
export interface DiskWindow {
  max_commit_ms: number;
  stalls: number;
}

/** A probe commit slower than this is a stall. */
export const STALL_MS = 50;
const EVERY_MS = 40;

export async function stallProbe(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('create table if not exists bench_stall_probe (id bigserial primary key)');
  let window: DiskWindow = { max_commit_ms: 0, stalls: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await c.query('insert into bench_stall_probe default values');
      const ms = performance.now() - t0;
      window.max_commit_ms = Math.max(window.max_commit_ms, Math.round(ms * 10) / 10);
      if (ms > STALL_MS) window.stalls++;
      await sleep(EVERY_MS);
    }
  })().catch((err: unknown) => {
    // the probe stops: the windows after this one see no commit of it, and so no stall
    console.warn(`disk stall probe stopped: ${err instanceof Error ? err.message : String(err)}`);
  });
  return {
    /** Starts a window: what the probe saw before is dropped. */
    start(): void {
      window = { max_commit_ms: 0, stalls: 0 };
    },
    /** What the probe saw since `start`. */
    read(): DiskWindow {
      return { ...window };
    },
    async stop(): Promise<void> {
      running = false;
      await loop;
      await c.query('drop table if exists bench_stall_probe').catch(() => undefined);
      await c.end();
    },
  };
}

export type StallProbe = Awaited<ReturnType<typeof stallProbe>>;
