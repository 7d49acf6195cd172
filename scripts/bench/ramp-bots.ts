// Stepped-ramp bots in a worker thread: slot players of the load test (scripts/loadtest/bots.ts: a spin, then 0.4–1.2 s
// of thinking, or the pace the bench gives) are added on command, and spin round trips are recorded only inside the measuring windows the bench opens
// (so joins never count). Commands: add (tokens) → added; measure on; measure off → window; stop → stopped.
import { parentPort, workerData } from 'node:worker_threads';
import { runBot, type BotEnv } from '../loadtest/bots.ts';
import { Histogram } from '../loadtest/stats.ts';

export type RampCommand = { type: 'add'; tokens: string[] } | { type: 'measure'; on: boolean } | { type: 'stop' };
export type RampReport =
  | { type: 'added'; connected: number; failed: number }
  | {
      type: 'window';
      counts: number[];
      max: number;
      actions: number;
      errors: number;
      errorKinds: Record<string, number>;
      connected: number;
    }
  | { type: 'stopped' };

const { url, joinConcurrency, thinkMs } = workerData as { url: string; joinConcurrency: number; thinkMs?: [number, number] };
const post = (m: RampReport) => parentPort!.postMessage(m);

let connected = 0;
let failedJoins = 0;
/** bots that joined their room or failed to */
let settled = 0;
let measuring = false;
let win = { hist: new Histogram(), actions: 0, errors: 0, errorKinds: {} as Record<string, number> };
const envs: BotEnv[] = [];
const bots: Promise<void>[] = [];

// at most `joinConcurrency` joins in flight, so a big step does not pile up behind the matchmaker's lock
let joining = 0;
const waiters: Array<() => void> = [];
const acquire = () =>
  joining < joinConcurrency
    ? (joining++, Promise.resolve())
    : new Promise<void>((r) =>
        waiters.push(() => {
          joining++;
          r();
        }),
      );
const release = () => {
  joining--;
  waiters.shift()?.();
};

function errorOf(kind: string) {
  if (!measuring) return;
  win.errors++;
  win.errorKinds[kind] = (win.errorKinds[kind] ?? 0) + 1;
}

function startBot(token: string) {
  let joined = false;
  const env: BotEnv = {
    url,
    until: Number.POSITIVE_INFINITY,
    slotThinkMs: thinkMs,
    record: (ms) => {
      if (measuring && joined) win.hist.record(ms);
    },
    action: () => {
      if (measuring) win.actions++;
    },
    error: errorOf,
    rejected: (kind) => errorOf(`rejected:${kind}`),
    connected: (d) => {
      connected += d;
      if (d > 0 && !joined) {
        joined = true;
        settled++;
        release();
      }
    },
  };
  envs.push(env);
  bots.push(
    (async () => {
      await acquire();
      try {
        await runBot(env, 'slot', token);
      } catch (err) {
        errorOf(err instanceof Error ? err.message.split(' ')[0].slice(0, 40) : 'error');
      } finally {
        if (!joined) {
          joined = true;
          settled++;
          failedJoins++;
          release();
        }
      }
    })(),
  );
}

async function handle(cmd: RampCommand) {
  if (cmd.type === 'add') {
    const before = settled;
    cmd.tokens.forEach(startBot);
    while (settled - before < cmd.tokens.length) await new Promise((r) => setTimeout(r, 50));
    post({ type: 'added', connected, failed: failedJoins });
  } else if (cmd.type === 'measure') {
    if (cmd.on) {
      win = { hist: new Histogram(), actions: 0, errors: 0, errorKinds: {} };
      measuring = true;
      return;
    }
    measuring = false;
    post({
      type: 'window',
      counts: win.hist.counts,
      max: win.hist.max,
      actions: win.actions,
      errors: win.errors,
      errorKinds: win.errorKinds,
      connected,
    });
  } else {
    measuring = false;
    const now = Date.now();
    for (const env of envs) env.until = now;
    await Promise.allSettled(bots);
    post({ type: 'stopped' });
  }
}

// a failed command ends this worker thread with its error printed (the bench sees the worker exit)
parentPort!.on('message', (cmd: RampCommand) => {
  handle(cmd).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
});
