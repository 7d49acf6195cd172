// One load-test worker thread: runs its share of bots and reports counters and latencies every second.
import { parentPort, workerData } from 'node:worker_threads';
import { enroll, runBot, scenarioFor } from './bots.ts';
import { Histogram, type WorkerTick } from './stats.ts';

const d = workerData as { worker: number; workers: number; from: number; to: number; total: number; scenario: string; url: string; durationMs: number; rampMs: number; runId: string };
let connected = 0;
let actions = 0;
let errors = 0;
let errorKinds: Record<string, number> = {};
let rejected = 0;
let hist = new Histogram();
const env = {
  url: d.url,
  until: Date.now() + d.durationMs,
  record: (ms: number) => hist.record(ms),
  action: () => { actions++; },
  error: (kind: string) => { errors++; errorKinds[kind] = (errorKinds[kind] ?? 0) + 1; },
  rejected: (kind: string) => { rejected++; errorKinds[`rejected:${kind}`] = (errorKinds[`rejected:${kind}`] ?? 0) + 1; },
  connected: (delta: number) => { connected += delta; },
};

const timer = setInterval(() => {
  const tick: WorkerTick = { type: 'tick', worker: d.worker, connected, actions, errors, rejected, errorKinds, latency: { counts: hist.counts, max: hist.max } };
  parentPort!.postMessage(tick);
  actions = 0; errors = 0; rejected = 0; errorKinds = {}; hist = new Histogram();
}, 1000);

const bots: Promise<void>[] = [];
for (let i = d.from; i < d.to; i++) {
  const delay = d.total > 1 ? (d.rampMs * i) / d.total : 0;
  bots.push((async () => {
    await new Promise((r) => setTimeout(r, delay));
    try {
      const token = await enroll(env, `lt${d.runId}_${i}`.slice(0, 20));
      env.action();
      await runBot(env, scenarioFor(d.scenario, i, d.total), token);
    } catch (err) {
      env.error(err instanceof Error ? (err.name === 'TimeoutError' ? 'http_timeout' : err.message.split(' ')[0].slice(0, 40)) : 'error');
    }
  })());
}
await Promise.allSettled(bots);
await new Promise((r) => setTimeout(r, 1100)); // a last tick
clearInterval(timer);
parentPort!.postMessage({ type: 'done', worker: d.worker });
