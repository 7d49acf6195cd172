// The crash table's DOM: the bet form (amount, auto cash-out, Bet, Cash out, status line), the players of the round,
// the last crash points and this client's own rounds, and the keys (Enter bets, Space cashes out).
import type { CrashState } from '../../../../rooms/crash/crash.state.ts';
import { fill, fmt, h, x100 } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { isChord, isTyping } from '../shared/keys.ts';
import '../../ui/crash-theme.css';

interface BetView {
  userId: string;
  username: string;
  amount: number;
  autoCashout: number;
  cashedOutAt: number;
  payout: number;
  status: string;
}

/** What the controls ask the scene to do. */
export interface CrashActions {
  placeBet(): void;
  cashOut(): void;
  canCashOut(): boolean;
}

export class CrashControls {
  readonly amount: HTMLInputElement;
  readonly auto: HTMLInputElement;
  readonly betButton: HTMLButtonElement;
  readonly cashButton: HTMLButtonElement;
  readonly statusLine: HTMLElement;
  private form: HTMLFormElement;
  private players: HTMLElement;
  private playersHead: HTMLElement;
  private historyChips: HTMLElement;
  private mine: HTMLElement;
  private betsKey = '';
  private historyKey = '';

  constructor(
    screen: HTMLElement,
    private readonly actions: CrashActions,
  ) {
    screen.classList.add('game', 'crash');
    this.amount = h('input', {
      id: 'crash-amount',
      testid: 'crash-amount',
      class: 'bet-amount',
      type: 'number',
      min: '1',
      step: '1',
      value: '100',
      inputmode: 'numeric',
    });
    this.auto = h('input', {
      id: 'crash-auto',
      testid: 'crash-auto',
      class: 'auto-cashout',
      type: 'number',
      min: '1.01',
      step: '0.01',
      placeholder: 'off',
      inputmode: 'decimal',
    });
    this.betButton = h('button', { class: 'primary big', type: 'submit', testid: 'crash-bet', disabled: true }, 'Bet');
    this.cashButton = h(
      'button',
      { class: 'big cashout', type: 'button', testid: 'crash-cashout', disabled: true, onclick: () => actions.cashOut() },
      'Cash out',
    );
    this.statusLine = h(
      'span',
      { class: 'small bet-status', testid: 'crash-status', role: 'status', 'aria-live': 'polite' },
      'Connecting…',
    );
    this.form = h(
      'form',
      {
        class: 'controls',
        testid: 'crash-controls',
        onsubmit: (e: Event) => {
          e.preventDefault();
          actions.placeBet();
        },
      },
      h('label', { for: 'crash-amount', class: 'inline' }, 'Bet ', this.amount, ' GOLD'),
      h(
        'label',
        { for: 'crash-auto', class: 'inline', title: 'Cash out automatically at this multiplier (leave empty for manual)' },
        'Auto cash-out ',
        this.auto,
        ' ×',
      ),
      this.betButton,
      this.cashButton,
      this.statusLine,
      h(
        'span',
        { class: 'muted small' },
        'Enter bets · Space cashes out · ',
        h('a', { href: '#/fairness', class: 'text-cyan' }, 'verify rounds'),
      ),
    );
    this.playersHead = h('p', { class: 'small muted', testid: 'crash-players-head' }, 'No bets yet this round.');
    this.players = h('div', { class: 'small', testid: 'crash-players' });
    this.historyChips = h('div', { class: 'badges history-chips', testid: 'crash-history' });
    this.mine = h('div', { class: 'small', testid: 'crash-mine' }, h('p', { class: 'muted' }, 'Your bets show here.'));
    screen.append(
      h('aside', { class: 'panel side left', 'aria-label': 'Players this round' }, h('h2', {}, 'Players'), this.playersHead, this.players),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'History' },
        h('h2', {}, 'Last crashes'),
        this.historyChips,
        h('h2', {}, 'Your rounds'),
        this.mine,
      ),
      this.form,
    );
  }

  /** The page-wide keys: Enter bets, Space cashes out (text fields and other focused buttons keep their keys). */
  readonly onKey = (e: KeyboardEvent): void => {
    if (isChord(e) || isTyping(e)) return; // typing: the form handles Enter
    const t = e.target as HTMLElement | null;
    const tag = t?.tagName ?? '';
    if (tag === 'BUTTON' || tag === 'A') {
      // a focused button keeps Enter and Space, except Space on this table's own buttons while a cash-out is possible
      if (e.code === 'Space' && this.form.contains(t) && this.actions.canCashOut()) {
        e.preventDefault();
        this.actions.cashOut();
      }
      return;
    }
    if (e.code === 'Space') {
      e.preventDefault();
      this.actions.cashOut();
    } else if (e.code === 'Enter' || e.code === 'NumpadEnter') {
      e.preventDefault();
      this.actions.placeBet();
    }
  };

  /** The bet in the form (auto cash-out in hundredths), or the reason it cannot be sent (the field is focused). */
  readBet(): { amount: number; autoCashout?: number } | { error: string } {
    const amount = Number(this.amount.value);
    if (!Number.isInteger(amount) || amount < 1) {
      this.amount.focus();
      return { error: 'Enter a whole number of GOLD to bet.' };
    }
    if (this.auto.value.trim() === '') return { amount };
    const x = Number(this.auto.value);
    const autoCashout = Math.round(x * 100);
    if (!Number.isFinite(x) || autoCashout < 101) {
      this.auto.focus();
      return { error: 'Auto cash-out must be at least 1.01× (or empty).' };
    }
    return { amount, autoCashout };
  }

  /** Adds a button that re-enters the table (after a failed join or a lost connection). */
  offerRejoin(label: string, onClick: () => void): void {
    this.form.append(h('button', { testid: 'crash-rejoin', onclick: onClick }, label));
  }

  /** Enables the buttons; a riding bet locks its fields (the focus leaves them so Space cashes out straight after Enter). */
  setEnabled(canBet: boolean, canCash: boolean, placing: boolean, locked: boolean): void {
    this.betButton.disabled = !canBet;
    this.betButton.textContent = placing ? 'Placing…' : 'Bet';
    this.cashButton.disabled = !canCash;
    this.cashButton.classList.toggle('primary', canCash);
    if (locked && (document.activeElement === this.amount || document.activeElement === this.auto))
      (document.activeElement as HTMLElement).blur();
    this.amount.disabled = this.auto.disabled = locked;
  }

  renderPlayers(s: CrashState, userId: string): void {
    const list: BetView[] = [];
    s.bets.forEach((b, id) =>
      list.push({
        userId: id,
        username: b.username,
        amount: b.amount,
        autoCashout: b.autoCashout,
        cashedOutAt: b.cashedOutAt,
        payout: b.payout,
        status: b.status,
      }),
    );
    const key =
      list.map((b) => `${b.userId}:${b.amount}:${b.status}:${b.cashedOutAt}:${b.payout}`).join('|') +
      s.phase +
      s.betCount +
      ':' +
      s.betTotal;
    if (key === this.betsKey) return;
    this.betsKey = key;
    setInfo('players', s.betCount);
    const order = (b: BetView) => (b.status === 'cashed_out' ? 0 : b.status === 'riding' ? 1 : 2);
    list.sort((a, b) => order(a) - order(b) || b.cashedOutAt - a.cashedOutAt || b.amount - a.amount);
    // the state lists the biggest bets only; the count and the total are the whole round's
    const shown = list.length < s.betCount ? ` (${Math.min(list.length, 40)} shown)` : '';
    this.playersHead.textContent = s.betCount
      ? `${s.betCount} bet${s.betCount === 1 ? '' : 's'} · ${fmt(s.betTotal)} GOLD${shown}`
      : s.phase === 'betting'
        ? 'No bets yet this round.'
        : 'Nobody bet this round.';
    fill(this.players, ...list.slice(0, 40).map((b) => playerRow(b, b.userId === userId)));
  }

  renderHistory(s: CrashState): void {
    const points: number[] = [];
    s.history.forEach((p) => points.push(p));
    const key = points.join(',');
    if (key === this.historyKey) return;
    this.historyKey = key;
    setInfo('history', points.length);
    const chip = (p: number) =>
      h('span', { class: `badge chip ${p >= 1000 ? 'high' : p >= 200 ? 'mid' : 'low'}`, testid: 'crash-history-chip' }, x100(p));
    fill(
      this.historyChips,
      ...(points.length ? points.slice().reverse().map(chip) : [h('span', { class: 'muted small' }, 'No rounds yet.')]),
    );
  }

  /** Adds a settled bet of this client on top of "Your rounds" (ten kept). */
  addMine(amount: number, how: 'cashed_out' | 'lost' | 'refunded', multiplier: number, payout: number, reason?: string): void {
    if (this.mine.querySelector('p.muted')) this.mine.replaceChildren();
    const right =
      how === 'cashed_out'
        ? h('span', { class: 'win' }, `${x100(multiplier)}${reason === 'auto_cashout' ? ' auto' : ''} · +${fmt(payout)}`)
        : how === 'lost'
          ? h('span', { class: 'loss' }, `crashed ${x100(multiplier)}`)
          : h('span', { class: 'muted' }, 'refunded');
    this.mine.prepend(h('div', { class: 'item', testid: 'crash-mine-row' }, h('span', {}, `Bet ${fmt(amount)}`), right));
    while (this.mine.childElementCount > 10) this.mine.lastElementChild?.remove();
  }
}

function playerRow(b: BetView, me: boolean): HTMLElement {
  const what =
    b.status === 'cashed_out'
      ? h('span', { class: 'win' }, `${x100(b.cashedOutAt)} · +${fmt(b.payout)}`)
      : b.status === 'lost'
        ? h('span', { class: 'loss' }, 'lost')
        : b.status === 'refunded'
          ? h('span', { class: 'muted' }, 'refunded')
          : h('span', { class: 'text-cyan' }, b.autoCashout ? `auto ${x100(b.autoCashout)}` : 'riding');
  return h(
    'div',
    { class: 'item', testid: me ? 'crash-player-me' : 'crash-player' },
    h(
      'span',
      { class: me ? 'me' : undefined },
      me ? `${b.username} (you)` : b.username,
      h('br'),
      h('span', { class: 'muted' }, `${fmt(b.amount)} GOLD`),
    ),
    what,
  );
}
