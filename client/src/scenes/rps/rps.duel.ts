// What this client knows of the duel it sits in: its seat, its pick, the house's commitment, the result, and which
// state it last showed.
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../../rooms/rps/rps.state.ts';
import { setInfo } from '../../testing/hooks.ts';
import type { DuelResult, RpsSeat, SeatKey, SeatMessage } from './rps.net.ts';

export class Duel {
  seat: SeatKey | null = null;
  myPick: RpsPick | null = null;
  /** the house's committed server seed hash ('' while loading) */
  commitment: string | null = null;
  lastResult: DuelResult | null = null;
  /** the room whose result was shown */
  revealedRoom = '';
  /** the facts of the last state shown (phase, result, picks) */
  stateKey = '';

  /** The seat the room gave this client. */
  takeSeat(m: SeatMessage): void {
    this.seat = m.seat;
    setInfo('seat', m.seat);
    setInfo('duelId', m.duel_id);
  }

  /** Forgets the previous duel's seat, pick, commitment and result. */
  reset(): void {
    Object.assign(this, { seat: null, myPick: null, lastResult: null, commitment: null, stateKey: '' });
  }

  opponent(s: RpsState | null | undefined): RpsSeat | undefined {
    const other = this.seat === 'a' ? 'b' : this.seat === 'b' ? 'a' : null;
    return other && s ? s.seats?.get(other) : undefined;
  }

  /** The names over the two hands on the stage. */
  names(s: RpsState | undefined, username: string): { mine: string; theirs: string } {
    const opp = this.opponent(s);
    return {
      theirs: opp ? (opp.isHouse ? 'HOUSE' : opp.username.toUpperCase()) : 'OPPONENT',
      mine: `YOU · ${username}`.toUpperCase(),
    };
  }

  /** Learns this client's seat and pick from the state; true when the state shows something new. */
  learn(s: RpsState, userId: string): boolean {
    if (!this.seat)
      s.seats.forEach((seat, key) => {
        if (!seat.isHouse && seat.userId === userId) this.seat = key as SeatKey;
      });
    const me = this.seat ? s.seats.get(this.seat) : undefined;
    if (me?.hasPicked && me.pick && !this.myPick) {
      this.myPick = me.pick as RpsPick;
      setInfo('picked', this.myPick);
    }
    const opp = this.opponent(s);
    const key = [s.phase, s.result, this.seat, me?.hasPicked, opp?.username, opp?.hasPicked, this.myPick].join('|');
    if (key === this.stateKey) return false;
    this.stateKey = key;
    return true;
  }
}
