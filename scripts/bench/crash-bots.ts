// Crash bench bots in a worker thread (off the server's event loop): its players join the crash table, then (on the
// bench's go) each bets 10 GOLD as soon as a betting window opens (or at a random moment of its first `spreadMs`, as
// players who see the window open bet over its first seconds) and cashes out when the multiplier reaches a random
// target (1.10x–3.00x), for a number of rounds. Reports bet and cash-out acknowledgements, the intervals between
// state patches while the curve runs, and what went wrong.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Client, type Room } from '@colyseus/sdk';
import { Histogram } from '../loadtest/stats.ts';

export interface CrashBotsReport {
  type: 'done';
  bets: { counts: number[]; max: number };
  cashouts: { counts: number[]; max: number };
  patches: { counts: number[]; max: number };
  placed: number;
  cashedOut: number;
  tooLate: number;
  errors: Record<string, number>;
  /** this thread's event-loop delay p99 and max (ms) over the rounds: how late the bots themselves read a reply */
  loopDelay: { p99: number; max: number };
  /** every acknowledged bet: the seat's session id, when it was sent and when its `bet_placed` was read (epoch ms) */
  betTimes: Array<[string, number, number]>;
}

const d = workerData as { url: string; tokens: string[]; rounds: number; joinConcurrency: number; spreadMs: number };
const bets = new Histogram();
const cashouts = new Histogram();
const patches = new Histogram();
const errors: Record<string, number> = {};
const tally = { placed: 0, cashedOut: 0, tooLate: 0 };
const betTimes: Array<[string, number, number]> = [];
/** epoch ms, comparable between this process's threads (the bench's server reads the same clock) */
const epoch = () => performance.timeOrigin + performance.now();
const error = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
let going = false;

interface CrashView {
  phase: string;
  roundId: string;
  multiplier: number;
}

/** One player: bets in `rounds` betting windows after the go, cashing out at its target; resolves when its last round crashed. */
function play(room: Room): Promise<void> {
  return new Promise((done) => {
    let played = 0;
    let betRound = '';
    let target = Infinity;
    let asked: { kind: 'bet' | 'cashout'; at: number } | undefined;
    let lastRunningPatch = 0;
    const answer = (ok: boolean, code?: string) => {
      if (!asked) return;
      const ms = epoch() - asked.at;
      (asked.kind === 'bet' ? bets : cashouts).record(ms);
      if (code === 'game/too_late') tally.tooLate++;
      else if (!ok) error(`${asked.kind}:${code}`);
      else if (asked.kind === 'bet') {
        tally.placed++;
        betTimes.push([room.sessionId, asked.at, asked.at + ms]);
      } else tally.cashedOut++;
      asked = undefined;
    };
    room.onMessage('bet_placed', () => answer(true));
    room.onMessage('cashed_out', () => answer(true));
    room.onMessage('error', (m: { code?: string }) => answer(false, String(m?.code ?? 'error')));
    room.onLeave(() => {
      if (played < d.rounds) error('left');
      done();
    });
    room.onStateChange((st: CrashView) => {
      const now = performance.now();
      if (lastRunningPatch > 0) patches.record(now - lastRunningPatch);
      lastRunningPatch = st.phase === 'running' ? now : 0;
      if (!going) return;
      if (st.phase === 'betting' && st.roundId !== betRound && played < d.rounds && !asked) {
        betRound = st.roundId;
        target = 110 + Math.floor(Math.random() * 190);
        const bet = () => {
          asked = { kind: 'bet', at: epoch() };
          room.send('bet', { amount: 10 });
        };
        if (d.spreadMs > 0) setTimeout(bet, Math.random() * d.spreadMs);
        else bet();
      } else if (st.phase === 'running' && st.roundId === betRound && st.multiplier >= target && !asked) {
        target = Infinity;
        asked = { kind: 'cashout', at: epoch() };
        room.send('cashout', {});
      } else if (st.phase === 'crashed' && st.roundId === betRound) {
        betRound = '';
        played++;
        if (played >= d.rounds) done();
      }
    });
  });
}

// at most `joinConcurrency` joins in flight
const rooms: Room[] = [];
let failed = 0;
const queue = [...d.tokens];
await Promise.all(
  Array.from({ length: d.joinConcurrency }, async () => {
    for (let token = queue.shift(); token; token = queue.shift()) {
      const c = new Client(d.url);
      c.auth.token = token;
      try {
        const room = await c.joinOrCreate('crash');
        // messages the bots do not act on ('crashed' arrives before the go, too)
        room.onMessage('*', () => undefined);
        rooms.push(room);
      } catch (err) {
        failed++;
        error(`join:${err instanceof Error ? err.message.slice(0, 60) : 'error'}`);
      }
    }
  }),
);
const playing = rooms.map(play);
parentPort!.postMessage({ type: 'joined', failed, roomIds: [...new Set(rooms.map((r) => r.roomId))] });
await new Promise((resolve) => parentPort!.once('message', resolve));
going = true;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const timeout = new Promise((resolve) => setTimeout(resolve, 60_000 * d.rounds));
await Promise.race([Promise.all(playing), timeout]);
await Promise.allSettled(rooms.map((r) => r.leave()));
parentPort!.postMessage({
  type: 'done',
  bets: { counts: bets.counts, max: bets.max },
  cashouts: { counts: cashouts.counts, max: cashouts.max },
  patches: { counts: patches.counts, max: patches.max },
  ...tally,
  errors,
  loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  betTimes,
} satisfies CrashBotsReport);
