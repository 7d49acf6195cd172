// A product card of the shop (badges, what it gives, price for the chosen quantity, buy row, status line) and the
// "Safe checkout" tile closing the grid.
import type { Product } from '../../net/types.ts';
import { fmt, h } from '../../ui/dom.ts';
import {
  addCurrencies,
  clampQty,
  currencyText,
  describeGrant,
  maxQty,
  prettify,
  REASONS,
  reasonHelp,
  stockLeft,
  usd,
} from './shop.format.ts';

export type CardState = 'idle' | 'buying' | 'pending' | 'success' | 'failed';

/** The purchase attempt of one product card. */
export interface Attempt {
  state: CardState;
  message: string;
  quantity: number;
  /** the Idempotency-Key of the current attempt (kept for a retry of the same sku and quantity) */
  key?: string;
  keyFor?: string;
  /** a failure worth retrying with the same key (network, 5xx) */
  retry?: boolean;
  receipt?: string;
}

/** What a card asks the scene to do. */
export interface CardActions {
  buy(p: Product): void;
  /** opens the payment dialog of the card's pending purchase */
  pay(p: Product, receipt: string): void;
  /** the quantity changed: show the new total */
  quantityChanged(p: Product): void;
}

const KIND_GLYPH: Record<string, string> = { bundle: '✦', item: '♣', booster: '▲', currency_pack: '◆' };

export function productCard(p: Product, a: Attempt, on: CardActions): HTMLElement {
  const busy = a.state === 'buying';
  const max = maxQty(p);
  const badges: Array<HTMLElement | null> = [
    p.discount_pct ? h('span', { class: 'badge discount', testid: `badge-discount-${p.sku}` }, `-${p.discount_pct}%`) : null,
    p.bonus && Object.keys(p.bonus).length
      ? h('span', { class: 'badge bonus', testid: `badge-bonus-${p.sku}` }, `+${currencyText(p.bonus)} bonus`)
      : null,
    p.one_time ? h('span', { class: 'badge once', testid: `badge-once-${p.sku}` }, 'One-time') : null,
    p.limited
      ? h(
          'span',
          { class: `badge ${stockLeft(p) > 0 ? 'limited' : 'soldout'}`, testid: `badge-limited-${p.sku}` },
          stockLeft(p) > 0 ? `Limited · ${fmt(stockLeft(p))}/${fmt(p.limited.total)} left` : 'Sold out',
        )
      : null,
    p.currency === 'USD' ? h('span', { class: 'badge premium' }, 'Premium') : null,
    p.owned ? h('span', { class: 'badge owned', testid: `badge-owned-${p.sku}` }, 'Owned') : null,
  ];
  const qty =
    !p.one_time && max > 1 && p.can_buy && a.state !== 'pending'
      ? h('input', {
          type: 'number',
          min: '1',
          max: String(max),
          value: String(clampQty(a.quantity, max)),
          'aria-label': `Quantity of ${p.name}`,
          testid: `shop-qty-${p.sku}`,
          disabled: busy,
          oninput: (e: Event) => {
            a.quantity = clampQty(Number((e.target as HTMLInputElement).value), max);
            on.quantityChanged(p);
          },
          onkeydown: (e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              on.buy(p);
            }
          },
        })
      : null;
  const label = busy
    ? 'Buying…'
    : !p.can_buy
      ? (REASONS[p.reason ?? ''] ?? prettify(p.reason ?? 'unavailable'))
      : a.state === 'failed' && a.retry
        ? 'Retry'
        : a.state === 'pending'
          ? 'Buy more'
          : 'Buy';
  const button = h(
    'button',
    {
      class: p.can_buy && a.state !== 'pending' ? 'primary' : '',
      testid: `shop-buy-${p.sku}`,
      disabled: busy || !p.can_buy,
      title: p.can_buy ? undefined : reasonHelp(p),
      onclick: () => on.buy(p),
    },
    label,
  );
  const continuePay =
    a.state === 'pending' && a.receipt
      ? h('button', { class: 'primary', testid: `shop-pay-${p.sku}`, onclick: () => on.pay(p, a.receipt!) }, 'Pay now')
      : null;
  const capNote = p.per_user_cap !== null ? `${fmt(p.cap_left ?? 0)} of ${fmt(p.per_user_cap)} left for you` : '';
  return h(
    'article',
    {
      class: 'card shop-card',
      testid: `shop-card-${p.sku}`,
      'data-state': a.state,
      'data-owned': String(p.owned),
      'data-can-buy': String(p.can_buy),
      'aria-label': p.name,
    },
    h('div', { class: 'head' }, icon(p), h('b', {}, p.name)),
    h('div', { class: 'badges' }, ...badges),
    h('p', { class: 'desc small muted' }, p.description),
    h(
      'p',
      { class: 'gets small' },
      'You get ',
      h('b', {}, describeGrant({ currencies: addCurrencies(p.grants.currencies, p.bonus), items: p.grants.items })),
    ),
    h('div', { class: 'priceline' }, priceTag(p, clampQty(a.quantity, max)), h('span', { class: 'small muted' }, capNote)),
    h('div', { class: 'buyrow' }, qty, button, continuePay),
    h('p', { class: 'status', role: 'status', testid: `shop-status-${p.sku}` }, a.message || (!p.can_buy ? reasonHelp(p) : '')),
  );
}

/** How buying works, closing the grid: wallet products at once, premium packs through the payment provider. */
export function checkoutTile(pending: number): HTMLElement {
  return h(
    'aside',
    { class: 'card shop-card checkout', 'aria-label': 'How checkout works' },
    h('div', { class: 'head' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), h('b', {}, 'Safe checkout')),
    h(
      'p',
      { class: 'small muted flush' },
      'GOLD and GEM products are paid and delivered at once. Premium packs are paid with the payment provider; they arrive when it confirms.',
    ),
    h('p', { class: 'small muted flush' }, 'A retried purchase is never charged twice.'),
    pending ? h('p', { class: 'small flush text-cyan' }, `${pending} payment${pending > 1 ? 's' : ''} waiting for the provider.`) : null,
  );
}

/** The price of `quantity` units (struck-through list price when discounted). */
export function priceTag(p: Product, quantity: number): HTMLElement {
  const n = Math.max(1, quantity);
  if (p.currency === 'USD') {
    return h(
      'span',
      { class: 'price usd', testid: `shop-price-${p.sku}` },
      p.discount_pct ? h('s', {}, usd(p.price * n)) : null,
      usd(p.final_price * n),
    );
  }
  return h(
    'span',
    { class: `price ${p.currency === 'GEM' ? 'gem' : 'gold'}`, testid: `shop-price-${p.sku}` },
    p.discount_pct ? h('s', {}, fmt(p.price * n)) : null,
    fmt(p.final_price * n),
    ' ',
    h('img', { src: p.currency === 'GEM' ? '/assets/gem.svg' : '/assets/coin.svg', alt: p.currency }),
  );
}

function icon(p: Product): HTMLElement {
  const cur = p.grants.currencies.GEM ? 'gem' : p.grants.currencies.GOLD ? 'coin' : null;
  return h(
    'span',
    { class: 'icon', 'aria-hidden': 'true' },
    cur ? h('img', { src: `/assets/${cur}.svg`, alt: '' }) : (KIND_GLYPH[p.kind] ?? '✦'),
  );
}
