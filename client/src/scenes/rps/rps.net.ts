// The duel room's network side: the messages it sends, joining a duel with every handler wired, the pick request,
// the house's seed commitment, and the result rebuilt from the state after a rejoin.
import type { Room, SeatReservation } from '@colyseus/sdk';
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../../rooms/rps/rps.state.ts';
import { api } from '../../net/api.ts';
import { ask, joinRoom, RoomError } from '../../net/rooms.ts';
import type { Balances, DuelResult, DuelSeat as SeatMessage, HouseInfo, Seeds } from '../../net/types.ts';

export type { DuelResult, DuelSeat as SeatMessage, HouseInfo } from '../../net/types.ts';

export type RpsRoom = Room<any, RpsState>;
export type SeatKey = 'a' | 'b';
export type RpsSeat = NonNullable<ReturnType<RpsState['seats']['get']>>;

/** What the scene does with each message and state change of a duel room. */
export interface DuelHandlers {
  seat(m: SeatMessage): void;
  result(m: DuelResult): void;
  balances(b: Balances): void;
  state(s: RpsState): void;
  left(): void;
}

/**
 * Joins a duel at `stake` with the seat the server's pairing gives (the oldest duel waiting for an opponent, else a new
 * one); 0 only takes back a held seat.
 */
export function joinDuel(stake: number): Promise<RpsRoom> {
  const reserve = stake > 0 ? () => api<SeatReservation>('POST', '/games/rps/seat', { body: { stake } }) : undefined;
  return joinRoom<RpsState>('rps', { stake }, reserve);
}

/** Wires a duel room's messages to the handlers. */
export function wireDuel(room: RpsRoom, on: DuelHandlers): void {
  room.onMessage('seat', (m: SeatMessage) => on.seat(m));
  room.onMessage('pick_accepted', () => undefined);
  room.onMessage('result', (m: DuelResult) => on.result(m));
  room.onMessage('balances', (m: { balances: Balances }) => on.balances(m.balances));
  room.onMessage('error', () => undefined);
  room.onStateChange((s) => on.state(s));
  room.onLeave(() => on.left());
}

/** Sends this seat's pick; resolves with the pick the room accepted. */
export async function sendPick(room: RpsRoom, pick: RpsPick): Promise<RpsPick> {
  const { body } = await ask<{ pick: RpsPick }>(room, 'pick', { pick }, ['pick_accepted']);
  return body.pick;
}

/** The committed server seed hash the house's pick is drawn from. */
export async function fetchCommitment(): Promise<string> {
  const seeds = await api<Seeds>('GET', '/fairness/seeds');
  return seeds.server_seed_hash;
}

/** A finished duel's result as the state holds it (a rejoin after the reveal gets no result message). */
export function resultFromState(s: RpsState): DuelResult {
  const seat = (k: SeatKey) => s.seats.get(k);
  return {
    picks: { a: (seat('a')?.revealed || null) as RpsPick | null, b: (seat('b')?.revealed || null) as RpsPick | null },
    result: (s.result || 'void') as DuelResult['result'],
    payouts: { a: seat('a')?.payout ?? 0, b: seat('b')?.payout ?? 0 },
    rake: s.rake,
    house: null,
  };
}

/** The error code and toast text of a failed join or pick (`what` names the action). */
export function describeRpsError(err: unknown, what: string): { code: string; text: string } {
  let code = 'internal/error',
    text = `${what}.`;
  if (err instanceof RoomError) {
    code = err.code;
    text = err.message;
  } else if (err instanceof Error) {
    text = /GOLD|stake|funds/i.test(err.message) ? err.message : `${what}: ${err.message}`;
    const c = (err as { code?: unknown }).code;
    if (typeof c === 'string' || typeof c === 'number') code = String(c);
  }
  return { code, text };
}
