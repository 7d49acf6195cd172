// The crash table's network side: the messages the room sends, joining with every handler wired, the two requests
// (bet, cash out) and the player-facing text of a refusal.
import type { Room } from '@colyseus/sdk';
import type { CrashState } from '../../../../rooms/crash/crash.state.ts';
import { ask, joinRoom, RoomError } from '../../net/rooms.ts';
import type { BetPlaced, CashedOut, Crashed, Refunded, YourBet } from '../../net/types.ts';

export type { BetPlaced, CashedOut, Crashed, Refunded, YourBet } from '../../net/types.ts';
import { fmt } from '../../ui/dom.ts';

export type CrashRoom = Room<any, CrashState>;

/** What the scene does with each message and state change of the table. */
export interface CrashHandlers {
  betPlaced(m: BetPlaced): void;
  cashedOut(m: CashedOut): void;
  refunded(m: Refunded): void;
  crashed(m: Crashed): void;
  /** on joining: this player's bet in the current round, placed before (a reload, another tab) */
  yourBet(m: YourBet): void;
  state(s: CrashState): void;
  left(): void;
}

/** Joins the crash table and wires its messages to the handlers. */
export async function joinCrashTable(on: CrashHandlers): Promise<CrashRoom> {
  const room = await joinRoom<CrashState>('crash');
  room.onMessage('bet_placed', (m: BetPlaced) => on.betPlaced(m));
  room.onMessage('cashed_out', (m: CashedOut) => on.cashedOut(m));
  room.onMessage('bet_refunded', (m: Refunded) => on.refunded(m));
  room.onMessage('crashed', (m: Crashed) => on.crashed(m));
  room.onMessage('your_bet', (m: YourBet) => on.yourBet(m));
  room.onMessage('error', () => undefined); // errors are answered to ask(); unmatched ones are shown there
  room.onStateChange((s) => on.state(s));
  room.onLeave(() => on.left());
  return room;
}

/** Places a bet (autoCashout in hundredths, or none); resolves on the room's `bet_placed`. */
export async function sendBet(room: CrashRoom, amount: number, autoCashout?: number): Promise<void> {
  await ask(room, 'bet', autoCashout ? { amount, autoCashout } : { amount }, ['bet_placed']);
}

/** Cashes out the riding bet; resolves on the room's `cashed_out`. */
export async function sendCashout(room: CrashRoom): Promise<void> {
  await ask(room, 'cashout', {}, ['cashed_out']);
}

/** The error code and the toast text of a refused or failed request (`message` overrides the generic text). */
export function describeCrashError(err: unknown, message?: string): { code: string; text: string } {
  let code = 'internal/error',
    text = message ?? 'The table refused that.';
  if (typeof err === 'string') code = err;
  else if (err instanceof RoomError) {
    code = err.code;
    const d = err.details as { reason?: string; balance?: number; required?: number };
    if (code === 'wallet/insufficient_funds')
      text = `Not enough GOLD${d.balance !== undefined ? `: you have ${fmt(d.balance)}` : ''}${d.required !== undefined ? `, the bet needs ${fmt(d.required)}` : ''}.`;
    else if (code === 'game/too_late') text = `Too late! ${err.message}`;
    else if (code === 'rate/limited') text = 'Slow down: too many actions at once.';
    else text = err.message;
  } else if (err instanceof Error) text = err.message;
  return { code, text };
}
