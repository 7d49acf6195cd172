// The slot room's network side: the spin result it sends, joining with the machine and big-win handlers wired, the
// spin request and the text of a failed spin.
import type { Room } from '@colyseus/sdk';
import type { LineWin } from '../../../../domain/games/slot/rules.ts';
import { ask, joinRoom, RoomError } from '../../net/rooms.ts';
import type { BigWin, SpinResult } from '../../net/types.ts';

export type { BigWin, SpinResult } from '../../net/types.ts';

/** A spin's outcome, as the room sends it. */
export type SpinOutcomeView = SpinResult['outcome'];

/** What the scene does with the slot room's messages and state. */
export interface SlotHandlers {
  machine(betLevels: number[]): void;
  bigWin(b: BigWin): void;
  /** the room's recent big wins */
  state(bigWins: BigWin[]): void;
}

/** Joins the slot hall. */
export function joinSlot(): Promise<Room> {
  return joinRoom('slot');
}

/** Wires the slot room's messages to the handlers. */
export function wireSlot(room: Room, on: SlotHandlers): void {
  room.onMessage('machine', (m: { bet_levels: number[] }) => on.machine(m.bet_levels));
  room.onMessage('big_win', (b: BigWin) => on.bigWin(b));
  room.onStateChange((s: any) => {
    const list: BigWin[] = [];
    s?.bigWins?.forEach?.((b: any) => list.push({ username: b.username, payout: b.payout, multiplier: b.multiplier }));
    on.state(list);
  });
}

/** Spins once at `betPerLine`; resolves with the committed result (free spins included). */
export async function sendSpin(room: Room, betPerLine: number): Promise<SpinResult> {
  const { body } = await ask<SpinResult>(room, 'spin', { betPerLine }, ['spin_result']);
  return body;
}

/** The toast text of a failed spin. */
export function describeSpinError(err: unknown): string {
  return err instanceof RoomError || err instanceof Error ? err.message : 'The spin failed.';
}
