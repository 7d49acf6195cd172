// The one Colyseus client. Scenes join rooms through here (never construct a client themselves). Each joined
// game room's reconnection token is kept in sessionStorage so a page reload rejoins the same seat (game rooms hold
// a dropped seat for ROOM_RECONNECT_SECONDS).
import { Client, type Room, type SeatReservation } from '@colyseus/sdk';
import { PLAY_BLOCKED_CLOSE_CODE, SIGNED_OUT_CLOSE_CODE } from '../../../domain/realtime/kick.ts';
import { endSession, refreshTokens } from './api.ts';
import { store, toast } from '../state/store.ts';
import { showRealityCheck } from '../ui/limits.ts';
import type { RealityCheckMessage, RoomErrorMessage } from './types.ts';

export type RoomName = 'hub' | 'slot' | 'crash' | 'rps' | 'gacha';

const client = new Client(location.origin);
const tokenKey = (name: RoomName) => `neon.room.${name}`;

function authorize(): void {
  client.auth.token = store.getState().auth.accessToken ?? '';
}

/** An error message a room sent (`error` type) or a refused join, as an Error with the server's code. */
export class RoomError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Joins a room: rejoins the saved seat after a reload when it is still held, else takes the seat `reserve` gets from
 * the server's own matchmaking (an RPS duel), else joinOrCreate. A refused join with an expired access token is retried
 * once after a token refresh.
 */
export async function joinRoom<S = unknown>(
  name: RoomName,
  options: Record<string, unknown> = {},
  reserve?: () => Promise<SeatReservation>,
): Promise<Room<any, S>> {
  const saved = sessionStorage.getItem(tokenKey(name));
  if (saved) {
    sessionStorage.removeItem(tokenKey(name));
    try {
      const room = await client.reconnect<S>(saved);
      return remember(name, room);
    } catch {
      /* the seat is gone: join afresh */
    }
  }
  authorize();
  const used = client.auth.token;
  const enter = async () => (reserve ? client.consumeSeatReservation<S>(await reserve()) : client.joinOrCreate<S>(name, options));
  try {
    return remember(name, await enter());
  } catch (err) {
    const text = String((err as Error).message);
    // responsible play (docs/limits.md): the refusal names the rule, its end or what remains of the limit
    const limit = /^(limits\/\w+): (.*)$/s.exec(text);
    if (limit) {
      toast(limit[2], 'error', 8000);
      if (limit[1] === 'limits/cool_off' || limit[1] === 'limits/self_excluded') location.hash = '#/lobby';
      throw new RoomError(limit[1], limit[2]);
    }
    if (!/token|auth|expired|revoked/i.test(text)) throw err;
    // refresh unless another call already rotated the pair while this join was in flight
    if (store.getState().auth.accessToken === used && !(await refreshTokens())) {
      endSession();
      throw err;
    }
    authorize();
    return remember(name, await enter());
  }
}

function remember<S>(name: RoomName, room: Room<any, S>): Room<any, S> {
  // an operator banned the player or ended their sessions: every room closes with this code, and the client signs out
  room.onLeave((code: number) => {
    if (code === SIGNED_OUT_CLOSE_CODE) endSession();
  });
  if (name === 'hub') return room; // the hub keeps no seat for a dropped client: a reload simply joins again
  // a reality check every N minutes of play: Continue, or Leave for the lobby
  room.onMessage('reality_check', (m: RealityCheckMessage) =>
    showRealityCheck(m, () => {
      void leaveRoom(room);
      location.hash = '#/lobby';
    }),
  );
  // the player started a cool-off or self-exclusion (maybe in another tab): the game rooms close, the lobby stays
  room.onLeave((code: number) => {
    if (code !== PLAY_BLOCKED_CLOSE_CODE) return;
    toast('Your break started: games are closed until it ends.', 'info', 8000);
    location.hash = '#/lobby';
  });
  sessionStorage.setItem(tokenKey(name), room.reconnectionToken);
  room.onReconnect(() => sessionStorage.setItem(tokenKey(name), room.reconnectionToken));
  room.onLeave(() => {
    if (sessionStorage.getItem(tokenKey(name)) === room.reconnectionToken) sessionStorage.removeItem(tokenKey(name));
  });
  return room;
}

/** Leaves on purpose (the seat is released at once, the session closes and its hooks run). */
export async function leaveRoom(room: Room | null | undefined): Promise<void> {
  if (!room) return;
  try {
    await room.leave(true);
  } catch {
    /* already gone */
  }
}

/** Forgets every saved seat (logout). */
export function forgetRooms(): void {
  for (const name of ['hub', 'slot', 'crash', 'rps', 'gacha'] as RoomName[]) sessionStorage.removeItem(tokenKey(name));
}

/** Sends a message and resolves with the first reply of one of `replies` (or rejects on an `error` with the same ref). */
export function ask<T>(
  room: Room,
  type: string,
  payload: Record<string, unknown>,
  replies: string[],
  timeoutMs = 15000,
): Promise<{ type: string; body: T }> {
  const ref = `${type}-${Math.random().toString(36).slice(2, 10)}`;
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const done = () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
    const timer = setTimeout(() => {
      done();
      reject(new RoomError('room/timeout', 'The table did not answer in time.'));
    }, timeoutMs);
    for (const r of replies) {
      offs.push(
        room.onMessage(r, (body: any) => {
          if (body && body.ref !== undefined && body.ref !== ref) return;
          done();
          resolve({ type: r, body: body as T });
        }),
      );
    }
    offs.push(
      room.onMessage('error', (e: RoomErrorMessage | undefined) => {
        if (e?.ref !== undefined && e.ref !== ref) return;
        done();
        reject(new RoomError(e?.code ?? 'internal/error', e?.message ?? 'The table refused that.', e ?? {}));
      }),
    );
    room.send(type, { ...payload, ref });
  });
}
