// The slot hall's DOM: the bet-per-line select with the total bet, the Spin button (Space spins), the room's big
// wins and this player's last spins.
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import { fill, fmt, h, x100 } from '../../ui/dom.ts';
import type { BigWin, SpinResult } from './slot.net.ts';

export class SlotControls {
  readonly bet = h('select', { id: 'bet', testid: 'slot-bet', 'aria-label': 'Bet per line' });
  readonly spinButton: HTMLButtonElement;
  private total = h('span', { class: 'muted', testid: 'slot-total-bet' });
  private bigWins = h('div', { class: 'small' });
  private history = h('div', { class: 'small', testid: 'slot-history' });

  constructor(
    screen: HTMLElement,
    private readonly spin: () => void,
  ) {
    screen.classList.add('game');
    this.spinButton = h('button', { class: 'primary big', testid: 'slot-spin', onclick: () => spin(), disabled: true }, 'Spin');
    screen.append(
      h('aside', { class: 'panel side left' }, h('h2', {}, 'Big wins'), this.bigWins),
      h('aside', { class: 'panel side right' }, h('h2', {}, 'Your spins'), this.history),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'bet', class: 'inline' }, 'Bet per line ', this.bet),
        this.total,
        this.spinButton,
        h('span', { class: 'muted small' }, 'Space spins · ', h('a', { href: '#/fairness', class: 'text-cyan' }, 'verify rounds')),
      ),
    );
    this.bet.addEventListener('change', () => this.showTotal());
  }

  /** Space spins (unless a select or a button has the focus). */
  readonly onKey = (e: KeyboardEvent): void => {
    const tag = (e.target as HTMLElement)?.tagName;
    if (e.code === 'Space' && tag !== 'SELECT' && tag !== 'BUTTON') {
      e.preventDefault();
      this.spin();
    }
  };

  /** The bet levels the machine offers (the chosen one kept when still offered). */
  setBetLevels(levels: number[]): void {
    const prev = Number(this.bet.value) || levels[0];
    fill(this.bet, ...levels.map((l) => h('option', { value: String(l), selected: l === prev }, fmt(l))));
    this.showTotal();
  }

  private showTotal(): void {
    const total = Number(this.bet.value) * SLOT_V1.paylines.length;
    this.total.textContent = `Total bet ${fmt(total)} GOLD (${SLOT_V1.paylines.length} lines)`;
  }

  /** Adds a spin on top of "Your spins" (twelve kept). */
  addHistory(r: SpinResult): void {
    const row = h(
      'div',
      { class: 'item' },
      h('span', {}, `Bet ${fmt(r.bet)}`),
      h('span', { class: r.total_payout > 0 ? 'win' : 'muted' }, r.total_payout > 0 ? `+${fmt(r.total_payout)}` : '0'),
    );
    this.history.prepend(row);
    while (this.history.childElementCount > 12) this.history.lastElementChild?.remove();
  }

  renderBigWins(list: BigWin[]): void {
    fill(
      this.bigWins,
      ...(list.length
        ? list
            .slice(-8)
            .reverse()
            .map((b) =>
              h(
                'div',
                { class: 'item' },
                h('span', {}, b.username),
                h('span', { class: 'win' }, `${fmt(b.payout)} · ${x100(b.multiplier)}`),
              ),
            )
        : [h('p', { class: 'muted' }, 'No big wins yet: 20× the bet or more shows here.')]),
    );
  }
}
