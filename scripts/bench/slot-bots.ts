// Bench bots in a worker thread (off the server's event loop): its players join, then (on the bench's go, the same moment
// for every worker) each spins without pause until the end; it reports how many rounds settled, their round trips and the
// thread's CPU time over the window.
import { parentPort, workerData } from 'node:worker_threads';
import { Client, type Room } from '@colyseus/sdk';
import { Histogram } from '../loadtest/stats.ts';
import { threadCpuMs } from './cpu.ts';

const d = workerData as { url: string; tokens: string[] };
const rooms: Room[] = [];
for (const token of d.tokens) {
  const c = new Client(d.url);
  c.auth.token = token;
  const r = await c.joinOrCreate('slot');
  r.onMessage('*', () => undefined);
  rooms.push(r);
}
// every worker's players spin in the same window: the bench says go once all of them have joined
parentPort!.postMessage({ type: 'joined' });
const until = await new Promise<number>((resolve) => parentPort!.once('message', (m: { type: 'go'; until: number }) => resolve(m.until)));
const hist = new Histogram();
let rounds = 0;
const cpuAtGo = threadCpuMs();
await Promise.all(
  rooms.map(async (room) => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const ok = await new Promise<boolean>((resolve) => {
        const a = room.onMessage('spin_result', () => {
          a();
          b();
          resolve(true);
        });
        const b = room.onMessage('error', () => {
          a();
          b();
          resolve(false);
        });
        room.send('spin', { betPerLine: 1 });
      });
      if (ok) {
        rounds++;
        hist.record(performance.now() - t0);
      }
    }
  }),
);
// this thread's CPU over the window, so the bench can tell the bots' share of the process apart from the server's
const cpuMs = threadCpuMs() - cpuAtGo;
await Promise.all(rooms.map((r) => r.leave()));
parentPort!.postMessage({ type: 'done', rounds, counts: hist.counts, max: hist.max, cpuMs });
