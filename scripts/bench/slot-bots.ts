// Bench bots in a worker thread (off the server's event loop): each player spins without pause until the end and
// reports when its players have joined, then how many rounds settled and their round-trip latencies.
import { parentPort, workerData } from 'node:worker_threads';
import { Client, type Room } from '@colyseus/sdk';
import { Histogram } from '../loadtest/stats.ts';

const d = workerData as { url: string; tokens: string[]; seconds: number };
const rooms: Room[] = [];
for (const token of d.tokens) {
  const c = new Client(d.url);
  c.auth.token = token;
  const r = await c.joinOrCreate('slot');
  r.onMessage('*', () => undefined);
  rooms.push(r);
}
parentPort!.postMessage({ type: 'joined' });
const hist = new Histogram();
let rounds = 0;
const until = Date.now() + d.seconds * 1000;
await Promise.all(rooms.map(async (room) => {
  while (Date.now() < until) {
    const t0 = performance.now();
    const ok = await new Promise<boolean>((resolve) => {
      const a = room.onMessage('spin_result', () => { a(); b(); resolve(true); });
      const b = room.onMessage('error', () => { a(); b(); resolve(false); });
      room.send('spin', { betPerLine: 1 });
    });
    if (ok) { rounds++; hist.record(performance.now() - t0); }
  }
}));
await Promise.all(rooms.map((r) => r.leave()));
parentPort!.postMessage({ type: 'done', rounds, counts: hist.counts, max: hist.max });
