// `npm run loadtest -- --scenario slot|crash|rps|gacha|mixed|http --players N --duration S [--ramp S] [--url URL]
//   [--report DIR] [--workers N] [--max-error-rate 0.01]`: simulated players sign up over HTTP and play through the
// real rooms with @colyseus/sdk, spread over worker threads. Prints a live line, writes report.json + report.html,
// and exits 1 when the error rate passes --max-error-rate.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SCENARIOS } from './bots.ts';
import { writeReport, type Report, type Second } from './report.ts';
import { Histogram, type WorkerTick } from './stats.ts';

const argv = process.argv.slice(2);
const arg = (name: string, def?: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const scenario = arg('scenario', 'mixed')!;
const players = Number(arg('players', '100'));
const duration = Number(arg('duration', '30'));
const ramp = Number(arg('ramp', String(Math.min(10, duration / 3))));
const url = arg('url', 'http://127.0.0.1:2567')!.replace(/\/$/, '');
const workers = Math.max(1, Math.min(players, Number(arg('workers', String(Math.max(1, availableParallelism() - 0))))));
const maxErrorRate = Number(arg('max-error-rate', '0.01'));
const reportDir = arg('report', `loadtest-reports/${new Date().toISOString().replace(/[:.]/g, '-')}-${scenario}`)!;
if (![...SCENARIOS, 'mixed'].includes(scenario) || !(players > 0) || !(duration > 0) || !(ramp >= 0)) {
  console.error('usage: npm run loadtest -- --scenario slot|crash|rps|gacha|mixed|http --players N --duration S [--ramp S] [--url URL] [--report DIR] [--workers N] [--max-error-rate R]');
  process.exit(2);
}
const health = await fetch(`${url}/ready`).catch(() => null);
if (!health?.ok) { console.error(`the server at ${url} is not ready (GET /ready): start it with npm start`); process.exit(2); }

const runId = Date.now().toString(36).slice(-5);
const total = new Histogram();
const timeline: Second[] = [];
const errorKinds: Record<string, number> = {};
const connectedBy = new Map<number, number>();
let actions = 0; let errors = 0; let rejected = 0; let peak = 0;
let second = { actions: 0, errors: 0, hist: new Histogram() };
const started = Date.now();
const tty = process.stdout.isTTY;

const threads = Array.from({ length: workers }, (_, w) => {
  const from = Math.floor((players * w) / workers);
  const to = Math.floor((players * (w + 1)) / workers);
  return new Worker(new URL('./worker.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    workerData: { worker: w, workers, from, to, total: players, scenario, url, durationMs: duration * 1000, rampMs: ramp * 1000, runId },
  });
});

const flush = setInterval(() => {
  const t = Math.round((Date.now() - started) / 1000);
  const connected = [...connectedBy.values()].reduce((a, b) => a + b, 0);
  peak = Math.max(peak, connected);
  const s = { t, connected, actions: second.actions, errors: second.errors, p50: second.hist.percentile(0.5), p95: second.hist.percentile(0.95), p99: second.hist.percentile(0.99) };
  timeline.push(s);
  second = { actions: 0, errors: 0, hist: new Histogram() };
  const line = `[${String(t).padStart(4)}s] connected ${connected}/${players}  actions/s ${s.actions}  p50/p95/p99 ${s.p50}/${s.p95}/${s.p99} ms  errors ${errors}`;
  if (tty) process.stdout.write(`\r${line.padEnd(100)}`);
  else if (t % 5 === 0) console.log(line);
}, 1000);

// bots that are stuck past the end (a hung request) are cut off: the run ends at duration + 20 s at the latest
const hardStop = setTimeout(() => { for (const th of threads) void th.terminate(); }, (duration + ramp + 20) * 1000);
await Promise.all(threads.map((th) => new Promise<void>((resolve, reject) => {
  th.on('message', (m: WorkerTick | { type: 'done' }) => {
    if (m.type === 'done') return resolve();
    connectedBy.set(m.worker, m.connected);
    actions += m.actions; errors += m.errors; rejected += m.rejected; second.actions += m.actions; second.errors += m.errors;
    for (const [k, v] of Object.entries(m.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
    total.merge(m.latency); second.hist.merge(m.latency);
  });
  th.on('error', reject);
  th.on('exit', () => resolve());
})));
clearInterval(flush);
clearTimeout(hardStop);
if (tty) process.stdout.write('\n');

const elapsed = (Date.now() - started) / 1000;
const errorRate = actions + errors > 0 ? errors / (actions + errors) : 0;
const report: Report = {
  scenario, players, duration_s: duration, workers, url, started_at: new Date(started).toISOString(),
  totals: {
    actions, errors, rejected, error_rate: errorRate, actions_per_s: actions / elapsed,
    p50_ms: total.percentile(0.5), p95_ms: total.percentile(0.95), p99_ms: total.percentile(0.99), max_ms: total.max, peak_connected: peak,
  },
  error_kinds: errorKinds, histogram: total.buckets(), timeline,
};
const files = writeReport(reportDir, report);
console.log(`done: ${actions} actions (${report.totals.actions_per_s.toFixed(1)}/s), errors ${errors} (${(errorRate * 100).toFixed(2)} %), rule rejections ${rejected}, ` +
  `p50/p95/p99 ${report.totals.p50_ms}/${report.totals.p95_ms}/${report.totals.p99_ms} ms, peak connected ${peak}`);
if (errors + rejected > 0) console.log(`errors by kind: ${Object.entries(errorKinds).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`report: ${files.json}\n        ${files.html}`);
process.exit(errorRate > maxErrorRate ? 1 : 0);
