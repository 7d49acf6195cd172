// The gacha's DOM: banner tabs (arrow keys move between them), the rates and pity panel, the results panel, the
// message line and the 1× / 10× pull buttons with their costs. Keys: 1 pulls once, 0 pulls ten, Space / Enter /
// Esc skip a reveal.
import { BANNERS } from '../../../../domain/games/gacha/banners.ts';
import type { Balances } from '../../net/types.ts';
import { fill, fmt, h } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { isTyping } from '../shared/keys.ts';
import type { BannerInfo } from './gacha.net.ts';
import '../../ui/gacha-theme.css';

export const TABS = BANNERS.map((b) => b.id);

/** What the controls ask the scene to do. */
export interface GachaActions {
  pull(count: 1 | 10): void;
  skip(): void;
  pulling(): boolean;
  selectBanner(id: string): void;
  bannerId(): string;
}

export class GachaControls {
  readonly rates = h('div', { testid: 'gacha-rates' });
  readonly pityBox = h('div', { testid: 'gacha-pity-box' });
  readonly pullList = h('div', { testid: 'gacha-results' });
  readonly legendList = h('div', { testid: 'gacha-legendaries' });
  private tabs: HTMLElement;
  private message = h('div', { class: 'message', role: 'alert', testid: 'gacha-error', hidden: true });
  private cost1 = h('span', { class: 'cost' });
  private cost10 = h('span', { class: 'cost' });
  private pull1: HTMLButtonElement;
  private pull10: HTMLButtonElement;

  constructor(
    screen: HTMLElement,
    private readonly actions: GachaActions,
  ) {
    screen.classList.add('game', 'gacha');
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Banners', onkeydown: (e: KeyboardEvent) => this.onTabKey(e) });
    this.pull1 = h(
      'button',
      { class: 'primary big', testid: 'gacha-pull-1', disabled: true, onclick: () => actions.pull(1), 'aria-keyshortcuts': '1' },
      'Pull 1×',
      h('br'),
      this.cost1,
    );
    this.pull10 = h(
      'button',
      { class: 'primary big', testid: 'gacha-pull-10', disabled: true, onclick: () => actions.pull(10), 'aria-keyshortcuts': '0' },
      'Pull 10×',
      h('br'),
      this.cost10,
    );
    screen.append(
      h(
        'aside',
        { class: 'panel side left', 'aria-label': 'Banner' },
        this.tabs,
        h('h2', {}, 'Disclosed rates'),
        this.rates,
        h('h2', { class: 'later' }, 'Pity'),
        this.pityBox,
      ),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'Results' },
        h('h2', {}, 'Your last pull'),
        this.pullList,
        h('h2', { class: 'later' }, 'Legendary pulls here'),
        this.legendList,
      ),
      this.message,
      h(
        'div',
        { class: 'controls' },
        this.pull1,
        this.pull10,
        h(
          'span',
          { class: 'muted small' },
          h('kbd', {}, '1'),
          ' pulls once · ',
          h('kbd', {}, '0'),
          ' pulls ten',
          h('br'),
          'click the cards to skip · ',
          h('a', { href: '#/fairness', class: 'text-cyan' }, 'verify rounds'),
        ),
      ),
    );
  }

  /** The page-wide keys: 1 pulls once, 0 pulls ten, Esc (or Space / Enter during a reveal) skips. */
  readonly onKey = (e: KeyboardEvent): void => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '1') {
      e.preventDefault();
      this.actions.pull(1);
    } else if (e.key === '0') {
      e.preventDefault();
      this.actions.pull(10);
    } else if (e.key === 'Escape' || ((e.key === ' ' || e.key === 'Enter') && this.actions.pulling())) {
      if (this.actions.pulling()) {
        e.preventDefault();
        this.actions.skip();
      }
    }
  };

  private onTabKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(this.actions.bannerId()) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    this.actions.selectBanner(next); // re-renders the tabs at once, before joining the banner's room
    this.tabs.querySelector<HTMLButtonElement>(`[data-testid="gacha-tab-${next}"]`)?.focus();
  }

  /** One tab per banner, the selected one marked. */
  renderTabs(selected: string, pulling: boolean): void {
    fill(
      this.tabs,
      ...TABS.map((id) => {
        const info = BANNERS.find((x) => x.id === id)!;
        return h(
          'button',
          {
            role: 'tab',
            'aria-selected': String(id === selected),
            testid: `gacha-tab-${id}`,
            disabled: pulling,
            onclick: () => this.actions.selectBanner(id),
          },
          info.name,
          h('span', { class: 'small' }, info.currency),
        );
      }),
    );
  }

  /** Enables the pull buttons when a pull can start; a cost the wallet cannot pay shows red. */
  update(b: BannerInfo, ready: boolean, pulling: boolean, balances: Balances | null | undefined): void {
    this.pull1.disabled = !ready;
    this.pull10.disabled = !ready;
    const have = balances ? balances[b.currency] : null;
    this.cost1.textContent = `${fmt(b.cost.single)} ${b.currency}`;
    this.cost10.textContent = `${fmt(b.cost.ten)} ${b.currency}`;
    this.cost1.classList.toggle('loss', have !== null && have < b.cost.single);
    this.cost10.classList.toggle('loss', have !== null && have < b.cost.ten);
    this.tabs.querySelectorAll('button').forEach((el) => {
      (el as HTMLButtonElement).disabled = pulling;
    });
  }

  showMessage(text: string, action: HTMLElement | null): void {
    fill(this.message, h('span', {}, text), action);
    this.message.hidden = false;
    setInfo('gachaError', text);
  }

  hideMessage(): void {
    this.message.hidden = true;
    fill(this.message);
    setInfo('gachaError', '');
  }
}
