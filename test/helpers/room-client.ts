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
  private readonly waiters: Array<{ types: string[]; match: (p: any) => boolean; resolve: (m: { type: string; payload: any }) => void }> =
    [];

  constructor(room: Room) {
    room.onMessage('*', (type: string | number, payload: unknown) => {
      const m = { type: String(type), payload };
      const i = this.waiters.findIndex((w) => w.types.includes(m.type) && w.match(m.payload));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
      else this.messages.push(m);
    });
  }

  /** The next message of `type` (optionally matching), already received or still to come. */
  async next<T = any>(type: string, match: (p: any) => boolean = () => true, timeoutMs = 8000): Promise<T> {
    return (await this.first([type], match, timeoutMs)).payload as T;
  }

  /**
   * The next message of any of `types` (an answer or an error): one waiter for all of them, so a type that did not
   * come cannot stay behind waiting and take a later attempt's message (as two racing `next` calls would).
   */
  first(types: string[], match: (p: any) => boolean = () => true, timeoutMs = 8000): Promise<{ type: string; payload: any }> {
    const i = this.messages.findIndex((m) => types.includes(m.type) && match(m.payload));
    if (i >= 0) return Promise.resolve(this.messages.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        types,
        match,
        resolve: (m: { type: string; payload: any }) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        // a waiter that timed out leaves: a message arriving later stays in the inbox for whoever asks next
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(
          new Error(`no "${types.join('" or "')}" message within ${timeoutMs} ms; got: ${this.messages.map((m) => m.type).join(', ')}`),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
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
