// The duel's side panels: this duel (stake, pot, both seats, payout, rake), its fairness facts (the house's
// commitment, nonce and seed hash) and this client's last duels.
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../../rooms/rps/rps.state.ts';
import { fill, fmt, h } from '../../ui/dom.ts';
import { NAMES } from './rps.format.ts';
import type { DuelResult, HouseInfo, RpsSeat, SeatKey } from './rps.net.ts';

/** The duel facts the panels show. */
export interface DuelView {
  stake: number;
  seat: SeatKey | null;
  myPick: RpsPick | null;
  opp: RpsSeat | undefined;
}

export class RpsPanels {
  readonly duel = h('div', { class: 'small', testid: 'rps-duel' });
  readonly fairness = h('div', { class: 'small', testid: 'rps-fairness' });
  readonly history = h('div', { class: 'small', testid: 'rps-history' }, h('p', { class: 'muted' }, 'Your duels show here.'));

  /** The two side panels, to append to the screen. */
  elements(): HTMLElement[] {
    return [
      h(
        'aside',
        { class: 'panel side left', 'aria-label': 'This duel' },
        h('h2', {}, 'Duel'),
        this.duel,
        h('h3', {}, 'Rules'),
        h(
          'p',
          { class: 'small muted' },
          'Rock beats scissors, scissors beat paper, paper beats rock. The winner takes the pot minus a 2 % rake; a draw returns both stakes. No pick before the timer ends forfeits.',
        ),
      ),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'Fairness and history' },
        h('h2', {}, 'Fairness'),
        this.fairness,
        h('h2', { class: 'later' }, 'Your duels'),
        this.history,
      ),
    ];
  }

  /** This duel: the stake and pot before joining, then both seats and, once done, the payout and rake. */
  renderDuel(s: RpsState | null, v: DuelView): void {
    if (!s) {
      fill(
        this.duel,
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Stake'), h('b', {}, `${fmt(v.stake)} GOLD`)),
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Pot'), h('span', {}, `${fmt(2 * v.stake)} GOLD`)),
        h(
          'p',
          { class: 'muted' },
          'Both seats stake the same; the stake is held when you join and refunded if you leave before a duel starts.',
        ),
      );
      return;
    }
    const { opp, seat, myPick } = v;
    const me = seat ? s.seats.get(seat) : undefined;
    const pickState = (st: typeof me, isMe: boolean) =>
      !st
        ? h('span', { class: 'muted' }, '—')
        : s.phase === 'done'
          ? h('span', {}, st.revealed ? NAMES[st.revealed as RpsPick] : 'no pick')
          : st.hasPicked
            ? h('span', { class: 'win' }, isMe && myPick ? NAMES[myPick] : 'picked ✓')
            : h('span', { class: 'text-gold' }, s.phase === 'picking' ? 'choosing…' : 'seated');
    fill(
      this.duel,
      h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Stake'), h('b', {}, `${fmt(s.stake)} GOLD`)),
      h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Pot'), h('span', {}, `${fmt(2 * s.stake)} GOLD`)),
      h(
        'div',
        { class: 'item', testid: 'rps-seat-me' },
        h('span', {}, 'You', h('br'), h('span', { class: 'muted' }, `seat ${seat ?? '?'}`)),
        pickState(me, true),
      ),
      h(
        'div',
        { class: 'item', testid: 'rps-seat-opponent' },
        h(
          'span',
          {},
          opp ? (opp.isHouse ? 'House' : opp.username) : 'Waiting…',
          h('br'),
          h('span', { class: 'muted' }, opp?.isHouse ? 'provably fair pick' : opp ? 'player' : 'no opponent yet'),
        ),
        pickState(opp, false),
      ),
      s.phase === 'done' && me
        ? h(
            'div',
            { class: 'item' },
            h('span', { class: 'muted' }, 'Your payout'),
            h('b', { class: me.payout > s.stake ? 'win' : me.payout < s.stake ? 'loss' : '' }, `${fmt(me.payout)} GOLD`),
          )
        : null,
      s.phase === 'done' ? h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Rake'), h('span', {}, `${fmt(s.rake)} GOLD`)) : null,
    );
  }

  /** The house's fairness facts: its commitment during the duel, its pick's nonce and seed hash after the reveal. */
  renderFairness(house: HouseInfo | null, opp: RpsSeat | undefined, commitment: string | null): void {
    const link = h('a', { href: '#/fairness', testid: 'rps-fairness-link', class: 'text-cyan' }, 'Verify on the fairness page');
    if (house) {
      const same = commitment ? commitment === house.server_seed_hash : null;
      fill(
        this.fairness,
        h('p', {}, `The house picked ${NAMES[house.pick].toLowerCase()} from your draw.`),
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Nonce'), h('b', { testid: 'rps-nonce' }, String(house.nonce))),
        h('p', { class: 'muted seed-label' }, 'Server seed hash'),
        h('div', { class: 'mono', testid: 'rps-seed-hash' }, house.server_seed_hash),
        same === null
          ? null
          : h(
              'p',
              { class: same ? 'win' : 'loss' },
              same ? '✓ matches the committed hash shown during the duel' : 'differs from the hash shown during the duel',
            ),
        h('p', { class: 'muted' }, 'Reveal the seed to re-check the pick: floor(f × 3) → rock, paper, scissors.'),
        link,
      );
    } else if (opp?.isHouse && commitment) {
      fill(
        this.fairness,
        h('p', {}, 'The house picks from your provably fair draw. Committed server seed hash:'),
        h('div', { class: 'mono', testid: 'rps-commitment' }, commitment),
        link,
      );
    } else {
      fill(
        this.fairness,
        h(
          'p',
          { class: 'muted' },
          'Against the house, its pick comes from your seed pair: the server seed hash and nonce show here after the reveal.',
        ),
        link,
      );
    }
  }

  /** Adds a finished duel on top of "Your duels" (ten kept). */
  addHistory(r: DuelResult, seat: SeatKey, other: SeatKey, outcome: string, stake: number, opp: RpsSeat | undefined): void {
    if (this.history.querySelector('p.muted')) this.history.replaceChildren();
    const mine = r.payouts[seat];
    const right =
      outcome === 'win'
        ? h('span', { class: 'win' }, `+${fmt(mine)}`)
        : outcome === 'loss'
          ? h('span', { class: 'loss' }, `−${fmt(stake)}`)
          : h('span', { class: 'muted' }, outcome);
    this.history.prepend(
      h(
        'div',
        { class: 'item', testid: 'rps-history-row' },
        h(
          'span',
          {},
          `${r.picks[seat] ? NAMES[r.picks[seat]!] : 'No pick'} vs ${r.picks[other] ? NAMES[r.picks[other]!] : 'no pick'}`,
          h('br'),
          h('span', { class: 'muted' }, `${opp?.isHouse ? 'House' : (opp?.username ?? 'Opponent')} · stake ${fmt(stake)}`),
        ),
        right,
      ),
    );
    while (this.history.childElementCount > 10) this.history.lastElementChild?.remove();
  }
}
