import { Client, type Room } from '@colyseus/sdk';

/** Joins a room as a logged-in player through the real matchmaking route and WebSocket. */
export async function joinAs(baseUrl: string, token: string, room: string, options: Record<string, unknown> = {}): Promise<Room> {
  const client = new Client(baseUrl);
  client.auth.token = token;
  return client.joinOrCreate(room, options);
}

/** Drops the connection without consent (as a network failure would) and returns the token to come back with. */
export function drop(room: Room): string {
  const token = room.reconnectionToken;
  room.reconnection.enabled = false;
  room.connection.close(4010);
  return token;
}

/**
 * Collects every message a room receives from the moment of the call, so a test can wait for one that arrived
 * before it started waiting (no race between `send` and `onMessage`).
 */
export class Inbox {
  private readonly messages: Array<{ type: string; payload: any }> = [];
  private readonly waiters: Array<{ type: string; match: (p: any) => boolean; resolve: (p: any) => void }> = [];

  constructor(room: Room) {
    room.onMessage('*', (type: string | number, payload: unknown) => {
      const m = { type: String(type), payload };
      const i = this.waiters.findIndex((w) => w.type === m.type && w.match(m.payload));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m.payload);
      else this.messages.push(m);
    });
  }

  /** The next message of `type` (optionally matching), already received or still to come. */
  next<T = any>(type: string, match: (p: any) => boolean = () => true, timeoutMs = 8000): Promise<T> {
    const i = this.messages.findIndex((m) => m.type === type && match(m.payload));
    if (i >= 0) return Promise.resolve(this.messages.splice(i, 1)[0].payload);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${type}" message within ${timeoutMs} ms; got: ${this.messages.map((m) => m.type).join(', ')}`)),
        timeoutMs,
      );
      this.waiters.push({
        type,
        match,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Every message of `type` received so far (and removes them). */
  drain(type: string): any[] {
    const out = this.messages.filter((m) => m.type === type).map((m) => m.payload);
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].type === type) this.messages.splice(i, 1);
    return out;
  }
}

/** Polls `fn` until `ok` holds or the time runs out; returns the last value. */
export async function eventually<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
