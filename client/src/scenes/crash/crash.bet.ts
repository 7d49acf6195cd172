// This client's bet at the crash table: its status in which round, its amount and auto cash-out, the last payout,
// and how it reads in the status line.
import { fmt } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { x100 } from '../../ui/dom.ts';
import type { MyBetView } from './crash.format.ts';

export type BetStatus = 'none' | 'placing' | 'placed' | 'cashed_out' | 'lost' | 'refunded';

export class MyBet {
  status: BetStatus = 'none';
  /** the crash round the status belongs to */
  round = '';
  amount = 0;
  /** auto cash-out in hundredths, 0 for none */
  auto = 0;
  lastPayout = 0;

  /** Sets the status (published to the test hooks, 'placing' shown as 'none'). */
  set(status: BetStatus, round: string): void {
    this.status = status;
    this.round = round;
    setInfo('betStatus', status === 'placing' ? 'none' : status);
  }

  /** The bet rides in this round. */
  ridingIn(round: string): boolean {
    return this.status === 'placed' && this.round === round;
  }

  /** Takes over a bet found in the state (after a reload the seat and its bet are back). */
  adopt(b: { amount: number; autoCashout: number; status: string }, round: string): void {
    this.amount = b.amount;
    this.auto = b.autoCashout;
    this.set(b.status === 'riding' ? 'placed' : (b.status as BetStatus), round);
  }

  view(round: string, userId: string): MyBetView {
    const mineNow = this.round === round;
    return {
      riding: this.status === 'placed' && mineNow,
      cashed: this.status === 'cashed_out' && mineNow,
      amount: this.amount,
      auto: this.auto,
      lastPayout: this.lastPayout,
      userId,
    };
  }

  /** The status line under the controls while connected to the table. */
  describe(phase: string, round: string): string {
    const mineNow = this.round === round;
    if (mineNow && this.status === 'placed')
      return phase === 'betting'
        ? `Bet ${fmt(this.amount)} placed${this.auto ? ` · auto ${x100(this.auto)}` : ''}`
        : `Riding ${fmt(this.amount)} GOLD`;
    if (mineNow && this.status === 'cashed_out') return `Cashed out: +${fmt(this.lastPayout)} GOLD`;
    if (mineNow && this.status === 'lost') return `Lost ${fmt(this.amount)} GOLD`;
    if (mineNow && this.status === 'refunded') return 'Bet refunded';
    if (this.status === 'placing') return 'Placing your bet…';
    return phase === 'betting' ? 'Place your bet' : 'Next round soon';
  }
}
