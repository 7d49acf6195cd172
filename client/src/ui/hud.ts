// The top bar (brand, navigation, balances, level) and the toast stack. Both only render what the store holds.
import { watch, type Toast } from '../state/store.ts';
import { fill, fmt, h } from './dom.ts';
import { inboxControl } from './inbox.ts';

export const NAV: Array<{ key: string; label: string }> = [
  { key: 'lobby', label: 'Lobby' },
  { key: 'slot', label: 'Slot' },
  { key: 'crash', label: 'Crash' },
  { key: 'rps', label: 'RPS' },
  { key: 'gacha', label: 'Gacha' },
  { key: 'shop', label: 'Shop' },
  { key: 'profile', label: 'Profile' },
  { key: 'fairness', label: 'Fairness' },
];

/** Builds the top bar for a scene; returns it and a function that detaches its store subscriptions. */
export function hud(current: string, go: (key: string) => void, logout: () => void): { el: HTMLElement; dispose: () => void } {
  const gold = h('span', { testid: 'balance-gold' }, '…');
  const gem = h('span', { testid: 'balance-gem' }, '…');
  const levelText = h('span', { testid: 'level' }, '');
  const levelBar = h('i', { style: { width: '0%' } });
  const inbox = inboxControl(go);
  const el = h(
    'header',
    { class: 'hud' },
    h('span', { class: 'brand' }, 'NEON CLUB'),
    h(
      'nav',
      { 'aria-label': 'Main' },
      ...NAV.map((n) =>
        h(
          'button',
          {
            testid: `nav-${n.key}`,
            'aria-current': n.key === current ? 'page' : undefined,
            onclick: () => go(n.key),
          },
          n.label,
        ),
      ),
    ),
    h('div', { class: 'level', title: 'Level and XP' }, levelText, h('div', { class: 'bar' }, levelBar)),
    h(
      'div',
      { class: 'wallet' },
      h('span', { class: 'pill gold', title: 'GOLD' }, h('img', { src: '/assets/coin.svg', alt: 'GOLD' }), gold),
      h('span', { class: 'pill gem', title: 'GEM' }, h('img', { src: '/assets/gem.svg', alt: 'GEM' }), gem),
    ),
    inbox.el,
    h('button', { class: 'ghost', testid: 'logout', onclick: logout, title: 'Log out' }, 'Log out'),
  );
  const offs = [
    inbox.dispose,
    watch(
      (s) => s.dashboard.balances,
      (b) => {
        gold.textContent = b ? fmt(b.GOLD) : '…';
        gem.textContent = b ? fmt(b.GEM) : '…';
      },
    ),
    watch(
      (s) => s.dashboard.profile,
      (p) => {
        if (!p) return;
        const inLevel = p.xp % 500;
        levelText.textContent = `${p.username} · Lv ${p.level} · ${inLevel}/500 XP`;
        levelBar.style.width = `${Math.round((inLevel / 500) * 100)}%`;
      },
    ),
  ];
  return { el, dispose: () => offs.forEach((off) => off()) };
}

/** Keeps #toasts in step with the store's ui.toasts. */
export function mountToasts(root: HTMLElement): void {
  watch(
    (s) => s.ui.toasts,
    (toasts: Toast[]) => {
      fill(root, ...toasts.map((t) => h('div', { class: `toast ${t.kind}`, testid: `toast-${t.kind}` }, t.text)));
    },
  );
}
