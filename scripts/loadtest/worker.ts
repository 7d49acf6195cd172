// One load-test worker thread: enrolls its share of bots (sign-up, log-in or a saved session), reports that, then on
// the go message plays them for the run's duration, reporting counters and latencies every second.
import { parentPort, workerData } from 'node:worker_threads';
import { enroll, runBot, scenarioFor, type BotAccount } from './bots.ts';
import { Histogram, type WorkerTick } from './stats.ts';

export type WorkerCommand = { type: 'go' };
export type WorkerMessage =
  | WorkerTick
  | { type: 'enrolling'; worker: number; enrolled: number }
  | { type: 'enrolled'; worker: number; enrolled: number; failed: number; errorKinds: Record<string, number>; rejected: number }
  | { type: 'done'; worker: number; accounts: BotAccount[] };

const d = workerData as {
  worker: number;
  workers: number;
  from: number;
  to: number;
  total: number;
  scenario: string;
  url: string;
  durationMs: number;
  rampMs: number;
  accounts: BotAccount[];
  /** enrollments in flight in this worker (sign-ups wait on the server's password hashing, one at a time) */
  enrollConcurrency: number;
};
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
let connected = 0;
let actions = 0;
let errors = 0;
let errorKinds: Record<string, number> = {};
let rejected = 0;
let hist = new Histogram();
let byScenario: Record<string, Histogram> = {};
const env = {
  url: d.url,
  until: Number.POSITIVE_INFINITY,
  record: (ms: number) => hist.record(ms),
  action: () => {
    actions++;
  },
  error: (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  },
  rejected: (kind: string) => {
    rejected++;
    errorKinds[`rejected:${kind}`] = (errorKinds[`rejected:${kind}`] ?? 0) + 1;
  },
  connected: (delta: number) => {
    connected += delta;
  },
};
const kindOf = (err: unknown) =>
  err instanceof Error ? (err.name === 'TimeoutError' ? 'http_timeout' : err.message.split(' ')[0].slice(0, 40)) : 'error';

// phase 1: enrollment, not timed as play (its latencies are not recorded)
const tokens: Array<string | undefined> = new Array(d.to - d.from);
let next = 0;
let enrolled = 0;
const quiet = { ...env, record: () => undefined };
const progress = setInterval(() => post({ type: 'enrolling', worker: d.worker, enrolled }), 1000);
await Promise.all(
  Array.from({ length: Math.max(1, d.enrollConcurrency) }, async () => {
    while (next < tokens.length) {
      const k = next++;
      try {
        tokens[k] = await enroll(quiet, d.accounts[k]);
        enrolled++;
      } catch (err) {
        env.error(`enroll:${kindOf(err)}`);
      }
    }
  }),
);
clearInterval(progress);
post({ type: 'enrolled', worker: d.worker, enrolled, failed: tokens.length - enrolled, errorKinds, rejected });
errors = 0;
rejected = 0;
errorKinds = {};
hist = new Histogram();
await new Promise<void>((resolve) =>
  parentPort!.once('message', (m: WorkerCommand) => {
    if (m.type === 'go') resolve();
  }),
);

// phase 2: play, joining over the ramp
env.until = Date.now() + d.durationMs;
const timer = setInterval(() => {
  const tick: WorkerTick = {
    type: 'tick',
    worker: d.worker,
    connected,
    actions,
    errors,
    rejected,
    errorKinds,
    latency: { counts: hist.counts, max: hist.max },
    byScenario: Object.fromEntries(Object.entries(byScenario).map(([k, h]) => [k, { counts: h.counts, max: h.max }])),
  };
  post(tick);
  actions = 0;
  errors = 0;
  rejected = 0;
  errorKinds = {};
  hist = new Histogram();
  byScenario = {};
}, 1000);

const bots: Promise<void>[] = [];
for (let i = d.from; i < d.to; i++) {
  const token = tokens[i - d.from];
  if (!token) continue;
  const delay = d.total > 1 ? (d.rampMs * i) / d.total : 0;
  bots.push(
    (async () => {
      await new Promise((r) => setTimeout(r, delay));
      try {
        const scenario = scenarioFor(d.scenario, i, d.total);
        const record = (ms: number, what?: 'join') => {
          hist.record(ms);
          (byScenario[scenario] ??= new Histogram()).record(ms);
          if (what) (byScenario[`${scenario} ${what}`] ??= new Histogram()).record(ms);
        };
        await runBot({ ...env, record }, scenario, token);
      } catch (err) {
        env.error(kindOf(err));
      }
    })(),
  );
}
await Promise.allSettled(bots);
await new Promise((r) => setTimeout(r, 1100)); // a last tick
clearInterval(timer);
post({ type: 'done', worker: d.worker, accounts: d.accounts });
