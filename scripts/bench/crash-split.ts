// Where a crash bet's acknowledgement time goes, bet by bet. The bots (worker threads of the bench's own process) stamp
// when they sent a bet and when they read its `bet_placed`; here, on the server's thread, each seat's socket stamps when
// the server's event loop read a frame of it, and its client when the room sent it `bet_placed`. The threads read one
// clock (epoch ms from performance.timeOrigin), so each acknowledgement splits into three: in (sent → the server read
// it), server (read → `bet_placed` sent) and out (sent → the bot read it).

/** A seat as the bench sees it in the room: its session id, its socket, and its client's `send`. */
interface Seat {
  sessionId: string;
  ref: { on(event: 'message', f: () => void): unknown; off(event: 'message', f: () => void): unknown };
  send: (type: string, ...rest: unknown[]) => unknown;
}

/** Per seat: when the server read each of its frames, and when it sent it `bet_placed` (epoch ms). */
export interface SeatStamps {
  reads: Map<string, number[]>;
  replies: Map<string, number[]>;
}

const epoch = () => performance.timeOrigin + performance.now();

/** Stamps the seats of `rooms` (their frames read, their `bet_placed` sent) until `stop`. */
export function watchSeats(rooms: Array<{ clients: Iterable<unknown> } | undefined>): { stop(): SeatStamps } {
  const stamps: SeatStamps = { reads: new Map(), replies: new Map() };
  const undo: Array<() => void> = [];
  for (const room of rooms)
    for (const client of room?.clients ?? []) {
      const seat = client as Seat;
      const reads: number[] = [];
      const replies: number[] = [];
      stamps.reads.set(seat.sessionId, reads);
      stamps.replies.set(seat.sessionId, replies);
      const onMessage = () => reads.push(epoch());
      seat.ref.on('message', onMessage);
      const send = seat.send;
      seat.send = function (this: Seat, type: string, ...rest: unknown[]) {
        if (type === 'bet_placed') replies.push(epoch());
        return send.call(this, type, ...rest);
      };
      undo.push(() => {
        seat.ref.off('message', onMessage);
        seat.send = send;
      });
    }
  return {
    stop() {
      for (const f of undo) f();
      return stamps;
    },
  };
}

export interface BetSplit {
  /** bets whose frame read and reply were both found */
  matched: number;
  quantiles: Record<'in' | 'server' | 'out', { p50: number; p99: number }>;
  /** the mean of each part over the slowest 1 % of bets (by their whole acknowledgement) */
  slowest: Record<'in' | 'server' | 'out' | 'total', number>;
}

/**
 * Splits each acknowledged bet ([session id, sent, read], epoch ms, from the bots) with the server's stamps: the
 * first frame of the seat read after it was sent, and the first `bet_placed` sent to the seat after that read. A bot
 * has one request out at a time, so that frame is the bet.
 */
export function splitBets(bets: Array<[string, number, number]>, stamps: SeatStamps): BetSplit {
  const parts: Array<{ in: number; server: number; out: number; total: number }> = [];
  for (const [sid, sent, acked] of bets) {
    const read = stamps.reads.get(sid)?.find((t) => t >= sent && t <= acked);
    const replied = read === undefined ? undefined : stamps.replies.get(sid)?.find((t) => t >= read && t <= acked);
    if (read === undefined || replied === undefined) continue;
    parts.push({ in: read - sent, server: replied - read, out: acked - replied, total: acked - sent });
  }
  const q = (k: 'in' | 'server' | 'out', p: number) => {
    const xs = parts.map((x) => x[k]).sort((a, b) => a - b);
    return round(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0);
  };
  const tail = [...parts].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(parts.length / 100)));
  const mean = (k: 'in' | 'server' | 'out' | 'total') => round(tail.reduce((a, x) => a + x[k], 0) / Math.max(1, tail.length));
  return {
    matched: parts.length,
    quantiles: {
      in: { p50: q('in', 0.5), p99: q('in', 0.99) },
      server: { p50: q('server', 0.5), p99: q('server', 0.99) },
      out: { p50: q('out', 0.5), p99: q('out', 0.99) },
    },
    slowest: { in: mean('in'), server: mean('server'), out: mean('out'), total: mean('total') },
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
