// Slot players for the bench: sign-ups, and spins as fast as the players can send them, from bots in worker threads.
import { Worker } from 'node:worker_threads';
import { Histogram } from '../loadtest/stats.ts';

/** Signs up `n` players named `bench_<i>`, one after another. */
export async function signupMany(url: string, n: number) {
  const out: { token: string; userId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `bench_${i}`, password: 'bench-password' }),
    });
    const body = (await res.json()) as { access_token: string; user: { id: string } };
    out.push({ token: body.access_token, userId: body.user.id });
  }
  return out;
}

/** A growing pool of players named `<prefix>_<i>` (16 sign-ups at a time); the same tokens on every call. */
export function playerPool(prefix: string) {
  const tokens: string[] = [];
  return async (url: string, n: number): Promise<string[]> => {
    while (tokens.length < n) {
      const from = tokens.length;
      const batch = await Promise.all(
        Array.from({ length: Math.min(16, n - from) }, async (_, k) => {
          const res = await fetch(`${url}/api/auth/signup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: `${prefix}_${from + k}`, password: 'bench-password' }),
          });
          if (res.status !== 201) throw new Error(`bench sign-up failed: ${res.status} ${await res.text()}`);
          return ((await res.json()) as { access_token: string }).access_token;
        }),
      );
      tokens.push(...batch);
    }
    return tokens;
  };
}

/**
 * Slot spins as fast as the players can send them, from bots in two worker threads (so the bots do not share the
 * server's event loop): settled rounds per second, end to end (WebSocket in → commit → result out).
 */
export async function slotRounds(url: string, tokens: string[], opts: { urls?: string[]; seconds: number; onGo?: () => Promise<void> }) {
  const window = opts.seconds;
  const halves = [tokens.slice(0, tokens.length / 2), tokens.slice(tokens.length / 2)];
  const joined: Promise<void>[] = [];
  const workers: Worker[] = [];
  const results = Promise.all(
    halves.map(
      (group) =>
        new Promise<{ rounds: number; counts: number[]; max: number; cpuMs: number }>((resolve, reject) => {
          const w = new Worker(new URL('./slot-bots.ts', import.meta.url), {
            execArgv: ['--import', 'tsx'],
            workerData: { url, tokens: group },
          });
          workers.push(w);
          joined.push(
            new Promise((j) =>
              w.on('message', (m: { type: string }) => {
                if (m.type === 'joined') j();
              }),
            ),
          );
          w.on('message', (m: { type: string; rounds: number; counts: number[]; max: number; cpuMs: number }) => {
            if (m.type === 'done') resolve(m);
          });
          w.once('error', reject);
        }),
    ),
  );
  // once everyone has joined: how the players are spread over the processes (each one's colyseus_clients), then go
  await Promise.race([Promise.all(joined), results]);
  const clientsByProcess = await Promise.all(
    (opts.urls ?? [url]).map(async (u) =>
      Number(
        (
          await fetch(`${u}/metrics`).then(
            (r) => r.text(),
            () => '',
          )
        ).match(/^colyseus_clients (\d+)/m)?.[1] ?? NaN,
      ),
    ),
  );
  await opts.onGo?.();
  const until = Date.now() + window * 1000;
  for (const w of workers) w.postMessage({ type: 'go', until });
  const done = await results;
  const hist = new Histogram();
  for (const r of done) hist.merge(r);
  const rounds = done.reduce((a, r) => a + r.rounds, 0);
  // the servers' own view: how many spins shared each commit (Prometheus histogram game_commit_batch_size, since start)
  let sum = 0,
    count = 0;
  for (const u of opts.urls ?? [url]) {
    const text = await fetch(`${u}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    const read = (name: string) => Number(text.match(new RegExp(`^${name} ([\\d.e+]+)$`, 'm'))?.[1] ?? 0);
    sum += read('game_commit_batch_size_sum');
    count += read('game_commit_batch_size_count');
  }
  const perCommit = count > 0 ? Math.round((sum / count) * 10) / 10 : NaN;
  return {
    perSecond: rounds / window,
    p50: hist.percentile(0.5),
    p99: hist.percentile(0.99),
    clients_by_process: clientsByProcess,
    rounds,
    seconds: window,
    hist,
    perCommit,
    /** CPU ms of the bots' worker threads over the window */
    botsCpuMs: done.reduce((a, r) => a + r.cpuMs, 0),
  };
}

export type SlotRun = Awaited<ReturnType<typeof slotRounds>>;

/** Several slot runs of one configuration as one figure: all their rounds over all their time. */
export function combine(runs: SlotRun[]) {
  const hist = new Histogram();
  for (const r of runs) hist.merge(r.hist);
  const rounds = runs.reduce((a, r) => a + r.rounds, 0);
  const time = runs.reduce((a, r) => a + r.seconds, 0);
  return {
    perSecond: rounds / time,
    p50: hist.percentile(0.5),
    p99: hist.percentile(0.99),
    runs: runs.map((r) => ({ per_second: r.perSecond, clients_by_process: r.clients_by_process })),
  };
}
