// The duel's control bar: stake chips and "Find opponent", the wait line with Cancel, the pick buttons with the
// timer, the result with "Play again"; one row shows per mode. Keys: R / P / S pick, Esc cancels, Enter plays.
import { PICKS, type RpsPick } from '../../../../domain/games/rps/rules.ts';
import { fmt, h } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { isChord, isTyping } from '../shared/keys.ts';
import { NAMES, type Mode, type Outcome } from './rps.format.ts';
import '../../ui/rps-theme.css';

export const STAKES = [10, 25, 50, 100, 250, 500];
const KEYS: Record<string, RpsPick> = { KeyR: 'rock', KeyP: 'paper', KeyS: 'scissors' };

/** What the controls ask the scene to do. */
export interface RpsActions {
  mode(): Mode;
  chooseStake(stake: number): void;
  play(): void;
  pick(p: RpsPick): void;
  cancel(): void;
  backToStakes(): void;
}

export class RpsControls {
  readonly bar: HTMLElement;
  readonly resultText: HTMLElement;
  private sections: Record<'idle' | 'wait' | 'pick' | 'done', HTMLElement>;
  private stakeButtons: HTMLButtonElement[];
  private findButton: HTMLButtonElement;
  private pickButtons: HTMLButtonElement[];
  private timerText: HTMLElement;
  private waitText: HTMLElement;
  private againButton: HTMLButtonElement;

  constructor(private readonly actions: RpsActions) {
    this.stakeButtons = STAKES.map((s) =>
      h('button', { type: 'button', testid: `rps-stake-${s}`, 'aria-pressed': 'false', onclick: () => actions.chooseStake(s) }, fmt(s)),
    );
    this.findButton = h('button', { class: 'primary big', testid: 'rps-find', onclick: () => actions.play() }, 'Find opponent');
    this.pickButtons = PICKS.map((p) =>
      h(
        'button',
        { class: 'big', testid: `rps-pick-${p}`, onclick: () => actions.pick(p), title: `Key ${p[0].toUpperCase()}` },
        `${NAMES[p]} (${p[0].toUpperCase()})`,
      ),
    );
    this.timerText = h('span', { class: 'muted timer', testid: 'rps-timer' });
    this.waitText = h('span', { testid: 'rps-wait-text' }, 'Looking for an opponent…');
    this.resultText = h('span', { testid: 'rps-result-text', role: 'status', 'aria-live': 'polite' });
    this.againButton = h('button', { class: 'primary big', testid: 'rps-again', onclick: () => actions.play() }, 'Play again');
    this.sections = {
      idle: h(
        'div',
        { class: 'row' },
        h('span', { class: 'muted' }, 'Stake'),
        h('div', { class: 'row stakes', role: 'group', 'aria-label': 'Stake (GOLD)' }, ...this.stakeButtons),
        this.findButton,
      ),
      wait: h(
        'div',
        { class: 'row' },
        this.waitText,
        h('button', { testid: 'rps-cancel', onclick: () => actions.cancel() }, 'Cancel (Esc)'),
      ),
      pick: h('div', { class: 'row' }, ...this.pickButtons, this.timerText),
      done: h(
        'div',
        { class: 'row' },
        this.resultText,
        this.againButton,
        h('button', { testid: 'rps-change', onclick: () => actions.backToStakes() }, 'Change stake'),
      ),
    };
    this.bar = h(
      'div',
      { class: 'controls', testid: 'rps-controls' },
      ...Object.values(this.sections),
      h(
        'span',
        { class: 'muted small' },
        'R · P · S pick · Enter plays · ',
        h('a', { href: '#/fairness', class: 'text-cyan' }, 'verify rounds'),
      ),
    );
  }

  /** The page-wide keys: R / P / S pick, Esc leaves the queue, Enter plays (also on a just chosen stake chip). */
  readonly onKey = (e: KeyboardEvent): void => {
    if (isChord(e) || isTyping(e)) return;
    const t = e.target as HTMLElement | null;
    const tag = t?.tagName ?? '';
    const mode = this.actions.mode();
    const pick = KEYS[e.code];
    if (pick && mode === 'picking') {
      e.preventDefault();
      this.actions.pick(pick);
      return;
    }
    if (e.code === 'Escape' && mode === 'waiting') {
      e.preventDefault();
      this.actions.cancel();
      return;
    }
    // other focused buttons and links keep their Enter
    const onChip = tag === 'BUTTON' && this.sections.idle.contains(t);
    if (
      (e.code === 'Enter' || e.code === 'NumpadEnter') &&
      (onChip || (tag !== 'BUTTON' && tag !== 'A')) &&
      (mode === 'idle' || mode === 'done')
    ) {
      e.preventDefault();
      this.actions.play();
    }
  };

  showStake(s: number): void {
    for (const b of this.stakeButtons) {
      const on = b.dataset.testid === `rps-stake-${s}`;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('primary', on);
    }
    this.findButton.textContent = `Find opponent · ${fmt(s)} GOLD`;
    setInfo('stake', s);
  }

  /** Shows the row of a mode; `stake` is the duel's (or the chosen) stake. */
  setMode(mode: Mode, myPick: RpsPick | null, picking: boolean, stake: number, chosenStake: number): void {
    const show = { idle: mode === 'idle', wait: mode === 'joining' || mode === 'waiting', pick: mode === 'picking', done: mode === 'done' };
    // (a class, not the hidden attribute: .row sets display and would win over [hidden])
    for (const [k, el] of Object.entries(this.sections)) el.classList.toggle('off', !show[k as keyof typeof show]);
    this.pickButtons.forEach((b) => {
      b.disabled = mode !== 'picking' || !!myPick || picking;
      b.classList.toggle('primary', false);
    });
    if (myPick) this.pickButtons[PICKS.indexOf(myPick)]?.classList.add('primary');
    this.againButton.textContent = `Play again · ${fmt(stake)} GOLD`;
    this.waitText.textContent =
      mode === 'joining' ? `Joining a ${fmt(chosenStake)} GOLD duel…` : `Waiting for an opponent at ${fmt(stake)} GOLD…`;
  }

  /** Disables the pick buttons (while a pick is on its way, or once one is made). */
  lockPicks(locked: boolean): void {
    this.pickButtons.forEach((b) => {
      b.disabled = locked;
    });
  }

  /** The result line: "You won · +95 GOLD · pot 100 − rake 5" (banner = the canvas banner's title, colour, line). */
  showOutcome(outcome: Outcome, banner: [string, string, string]): void {
    const [title, , line] = banner;
    const said = { 'YOU WIN': 'You won', 'YOU LOSE': 'You lost', DRAW: 'Draw' }[title] ?? 'No duel';
    this.resultText.textContent = `${said} · ${line}`;
    this.resultText.className = outcome === 'win' ? 'win' : outcome === 'loss' ? 'loss' : 'muted';
  }

  setTimer(text: string): void {
    this.timerText.textContent = text;
  }
}
