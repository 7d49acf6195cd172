// `npm run loadtest -- --scenario slot|crash|rps|gacha|mixed|http --players N --duration S [--ramp S] [--url URL]
//   [--report DIR] [--workers N] [--max-error-rate 0.01] [--accounts FILE] [--fresh-accounts] [--enroll-concurrency 8]`: simulated players sign
// up over HTTP and play through the real rooms with @colyseus/sdk, spread over worker threads. Prints a live line,
// writes report.json + report.html, and exits 1 when the error rate passes --max-error-rate. The bots' accounts
// (name and refresh token, per server URL) are kept in --accounts (loadtest-reports/accounts.json), so the next run
// comes back as returning players instead of signing everyone up again (password hashing is the dearest thing a
// sign-up does); --fresh-accounts signs up new ones.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SCENARIOS, type BotAccount } from './bots.ts';
import { writeReport, type Report, type Second } from './report.ts';
import type { WorkerMessage } from './worker.ts';
import { Histogram, type WorkerTick } from './stats.ts';

const argv = process.argv.slice(2);
const arg = (name: string, def?: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const scenario = arg('scenario', 'mixed')!;
const players = Number(arg('players', '100'));
const duration = Number(arg('duration', '30'));
const ramp = Number(arg('ramp', String(Math.min(10, duration / 3))));
const url = arg('url', 'http://127.0.0.1:2567')!.replace(/\/$/, '');
const workers = Math.max(1, Math.min(players, Number(arg('workers', String(Math.max(1, availableParallelism() - 0))))));
const maxErrorRate = Number(arg('max-error-rate', '0.01'));
const reportDir = arg('report', `loadtest-reports/${new Date().toISOString().replace(/[:.]/g, '-')}-${scenario}`)!;
if (![...SCENARIOS, 'mixed'].includes(scenario) || !(players > 0) || !(duration > 0) || !(ramp >= 0)) {
  console.error(
    'usage: npm run loadtest -- --scenario slot|crash|rps|gacha|mixed|http --players N --duration S [--ramp S] [--url URL] [--report DIR] [--workers N] [--max-error-rate R] [--accounts FILE] [--fresh-accounts] [--enroll-concurrency N]',
  );
  process.exit(2);
}
const health = await fetch(`${url}/ready`).catch(() => null);
if (!health?.ok) {
  console.error(`the server at ${url} is not ready (GET /ready): start it with npm start`);
  process.exit(2);
}

const runId = Date.now().toString(36).slice(-5);
const accountsFile = arg('accounts', 'loadtest-reports/accounts.json')!;
const saved: Record<string, BotAccount[]> = existsSync(accountsFile) ? JSON.parse(readFileSync(accountsFile, 'utf8')) : {};
const known = argv.includes('--fresh-accounts') ? [] : (saved[url] ?? []);
const accounts: BotAccount[] = Array.from({ length: players }, (_, i) => known[i] ?? { username: `lt${runId}_${i}`.slice(0, 20) });
const returning = accounts.filter((a) => a.refreshToken).length;
if (returning > 0) console.log(`${returning} of ${players} bots come back with saved sessions (${accountsFile}); the rest sign up`);
const total = new Histogram();
const totalBy: Record<string, Histogram> = {};
const timeline: Second[] = [];
const errorKinds: Record<string, number> = {};
const connectedBy = new Map<number, number>();
let actions = 0;
let errors = 0;
let rejected = 0;
let peak = 0;
let second = { actions: 0, errors: 0, hist: new Histogram() };
const tty = process.stdout.isTTY;

const enrollInFlight = Math.max(1, Number(arg('enroll-concurrency', '8')));
const threads = Array.from({ length: workers }, (_, w) => {
  const from = Math.floor((players * w) / workers);
  const to = Math.floor((players * (w + 1)) / workers);
  return new Worker(new URL('./worker.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    workerData: {
      worker: w,
      workers,
      from,
      to,
      total: players,
      scenario,
      url,
      durationMs: duration * 1000,
      rampMs: ramp * 1000,
      accounts: accounts.slice(from, to),
      enrollConcurrency: Math.ceil(enrollInFlight / workers),
    },
  });
});

// phase 1: every bot gets a session (sign-up, log-in or a saved refresh token) before the timed play starts
const enrollStarted = Date.now();
const enrolledBy = new Map<number, number>();
const enrollment = { enrolled: 0, failed: 0, seconds: 0, per_s: 0, busy_answers: 0, returning };
console.log(`enrolling ${players} bots (${enrollInFlight} at a time) …`);
const enrollTick = setInterval(() => {
  const n = [...enrolledBy.values()].reduce((a, b) => a + b, 0);
  const line = `  enrolled ${n}/${players} in ${Math.round((Date.now() - enrollStarted) / 1000)} s`;
  if (tty) process.stdout.write(`\r${line.padEnd(60)}`);
  else if (Math.round((Date.now() - enrollStarted) / 1000) % 10 === 0) console.log(line);
}, 1000);
await Promise.all(
  threads.map(
    (th) =>
      new Promise<void>((resolve, reject) => {
        const onMessage = (m: WorkerMessage) => {
          if (m.type === 'enrolling') enrolledBy.set(m.worker, m.enrolled);
          if (m.type !== 'enrolled') return;
          th.off('message', onMessage);
          enrolledBy.set(m.worker, m.enrolled);
          enrollment.enrolled += m.enrolled;
          enrollment.failed += m.failed;
          errors += m.failed;
          enrollment.busy_answers += m.errorKinds['rejected:service/busy'] ?? 0;
          for (const [k, v] of Object.entries(m.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
          resolve();
        };
        th.on('message', onMessage);
        th.once('error', reject);
      }),
  ),
);
clearInterval(enrollTick);
enrollment.seconds = (Date.now() - enrollStarted) / 1000;
enrollment.per_s = enrollment.enrolled / Math.max(0.001, enrollment.seconds);
if (tty) process.stdout.write('\n');
console.log(
  `enrolled ${enrollment.enrolled} of ${players} in ${enrollment.seconds.toFixed(1)} s (${enrollment.per_s.toFixed(1)}/s; ${returning} came back with a saved session), ` +
    `${enrollment.failed} failed, ${enrollment.busy_answers} service/busy answers; playing ${duration} s …`,
);

// phase 2: the timed play
const started = Date.now();
for (const th of threads) th.postMessage({ type: 'go' });

const flush = setInterval(() => {
  const t = Math.round((Date.now() - started) / 1000);
  const connected = [...connectedBy.values()].reduce((a, b) => a + b, 0);
  peak = Math.max(peak, connected);
  const s = {
    t,
    connected,
    actions: second.actions,
    errors: second.errors,
    p50: second.hist.percentile(0.5),
    p95: second.hist.percentile(0.95),
    p99: second.hist.percentile(0.99),
  };
  timeline.push(s);
  second = { actions: 0, errors: 0, hist: new Histogram() };
  const line = `[${String(t).padStart(4)}s] connected ${connected}/${players}  actions/s ${s.actions}  p50/p95/p99 ${s.p50}/${s.p95}/${s.p99} ms  errors ${errors}`;
  if (tty) process.stdout.write(`\r${line.padEnd(100)}`);
  else if (t % 5 === 0) console.log(line);
}, 1000);

// bots that are stuck past the end (a hung request) are cut off: the run ends at duration + 20 s at the latest
const hardStop = setTimeout(
  () => {
    for (const th of threads) th.terminate().catch(() => undefined);
  },
  (duration + ramp + 20) * 1000,
);
await Promise.all(
  threads.map(
    (th) =>
      new Promise<void>((resolve, reject) => {
        th.on('message', (m: WorkerMessage) => {
          if (m.type === 'enrolling' || m.type === 'enrolled') return;
          if (m.type === 'done') {
            const from = Math.floor((players * m.worker) / workers);
            m.accounts.forEach((a, k) => {
              accounts[from + k] = a;
            });
            return resolve();
          }
          connectedBy.set(m.worker, m.connected);
          actions += m.actions;
          errors += m.errors;
          rejected += m.rejected;
          second.actions += m.actions;
          second.errors += m.errors;
          for (const [k, v] of Object.entries(m.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
          total.merge(m.latency);
          second.hist.merge(m.latency);
          for (const [k, h] of Object.entries(m.byScenario)) (totalBy[k] ??= new Histogram()).merge(h);
        });
        th.on('error', reject);
        th.on('exit', () => resolve());
      }),
  ),
);
clearInterval(flush);
clearTimeout(hardStop);
if (tty) process.stdout.write('\n');

const elapsed = (Date.now() - started) / 1000;
const errorRate = actions + errors > 0 ? errors / (actions + errors) : 0;
const report: Report = {
  scenario,
  players,
  duration_s: duration,
  workers,
  url,
  started_at: new Date(started).toISOString(),
  totals: {
    actions,
    errors,
    rejected,
    error_rate: errorRate,
    actions_per_s: actions / elapsed,
    p50_ms: total.percentile(0.5),
    p95_ms: total.percentile(0.95),
    p99_ms: total.percentile(0.99),
    max_ms: total.max,
    peak_connected: peak,
  },
  enrollment,
  by_scenario: Object.fromEntries(
    Object.entries(totalBy).map(([k, h]) => [
      k,
      { samples: h.total, p50_ms: h.percentile(0.5), p95_ms: h.percentile(0.95), p99_ms: h.percentile(0.99), max_ms: h.max },
    ]),
  ),
  error_kinds: errorKinds,
  histogram: total.buckets(),
  timeline,
};
const files = writeReport(reportDir, report);
// accounts beyond this run's players stay as they were for a later, bigger run
saved[url] = [...accounts, ...known.slice(players)];
mkdirSync(dirname(accountsFile), { recursive: true });
writeFileSync(accountsFile, JSON.stringify(saved));
console.log(
  `done: ${actions} actions (${report.totals.actions_per_s.toFixed(1)}/s), errors ${errors} (${(errorRate * 100).toFixed(2)} %), rule rejections ${rejected}, ` +
    `p50/p95/p99 ${report.totals.p50_ms}/${report.totals.p95_ms}/${report.totals.p99_ms} ms, peak connected ${peak}`,
);
if (Object.keys(report.by_scenario).length > 1)
  for (const [k, v] of Object.entries(report.by_scenario))
    console.log(
      `  ${k.padEnd(6)} ${v.samples} samples, p50/p95/p99 ${v.p50_ms}/${v.p95_ms}/${v.p99_ms} ms, max ${Math.round(v.max_ms)} ms`,
    );
if (errors + rejected > 0)
  console.log(
    `errors by kind: ${Object.entries(errorKinds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
console.log(`report: ${files.json}\n        ${files.html}`);
process.exit(errorRate > maxErrorRate ? 1 : 0);
