// The shop: the catalog as cards (badges for discount, bonus, one-time, limited stock; the server's `can_buy` and
// `reason` decide what may be bought), purchases with one Idempotency-Key per attempt (kept when the player retries it),
// each card moving idle → buying → success | failed, and premium USD packs going pending → the local test payment
// provider (a dialog whose Pay / Decline make the dev endpoint send a signed webhook) → the `purchase_update` push.
// Balances shown are always the server's (purchase answers, hub pushes, GET /api/wallet).
import Phaser from 'phaser';
import { ApiError, api, describeError, newIdempotencyKey } from '../net/api.ts';
import { onHubPush } from '../net/hub.ts';
import { refreshWallet } from '../app.ts';
import type { Balances, InventoryItem, Product, PurchaseResult } from '../net/types.ts';
import { patch, setBalances, toast } from '../state/store.ts';
import { COLORS } from '../config.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { setInfo } from '../testing/hooks.ts';
import '../ui/shop-theme.css';
import { NeonScene } from './base.ts';

type CardState = 'idle' | 'buying' | 'pending' | 'success' | 'failed';
interface Attempt {
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
interface PurchaseRow {
  purchase_id: string;
  sku: string;
  quantity: number;
  unit_price: string | number;
  total_price: string | number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed' | 'voided';
  receipt_code: string | null;
  created_at: string;
  completed_at: string | null;
}
interface DevPaymentAnswer {
  purchase_id: string;
  purchase_status: string;
  applied: boolean;
  duplicate?: boolean;
}

const REASONS: Record<string, string> = {
  already_owned: 'Owned',
  sold_out: 'Sold out',
  cap_reached: 'Limit reached',
  not_available: 'Not on sale',
};
const KIND_GLYPH: Record<string, string> = { bundle: '✦', item: '♣', booster: '▲', currency_pack: '◆' };

export class ShopScene extends NeonScene {
  private products: Product[] = [];
  private attempts = new Map<string, Attempt>();
  private catalogEl!: HTMLElement;
  private historyEl!: HTMLElement;
  private itemsEl!: HTMLElement;
  private modal: { root: HTMLElement; dialog: HTMLElement; receipt: string; sku: string } | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private reloadSeq = 0;
  /** counts entries into the scene: a purchase started on an earlier visit must not touch this one */
  private visit = 0;
  /** pending provider payments in the purchase history */
  private pendingPayments = 0;
  private sign!: Phaser.GameObjects.Text;
  /** test id of the control that had the keyboard focus before a re-render */
  private lastFocus: string | null = null;

  constructor() {
    super('shop');
  }

  protected async build(): Promise<void> {
    this.visit++;
    this.attempts = new Map();
    this.modal = null;
    this.lastFocus = null;
    this.drawSign();
    this.screen.classList.add('shop');
    this.catalogEl = h('div', { class: 'catalog', testid: 'shop-catalog' }, h('p', { class: 'loading' }, 'Loading the catalog…'));
    this.historyEl = h('div', { class: 'history', testid: 'shop-history' });
    this.itemsEl = h('div', { class: 'chips', testid: 'shop-items' });
    fill(
      this.screen,
      h('section', { class: 'col grow' }, h('div', { class: 'panel catalog-panel grow' }, this.catalogEl)),
      h(
        'section',
        { class: 'col', style: { width: '19em' } },
        h('div', { class: 'panel grow', 'aria-label': 'Purchase history' }, h('h2', {}, 'Purchase history'), this.historyEl),
        h('div', { class: 'panel', style: { maxHeight: '11em' }, 'aria-label': 'Your items' }, h('h2', {}, 'Your items'), this.itemsEl),
      ),
    );
    this.onCleanup(
      onHubPush((type, p) => {
        if (type === 'purchase_update') this.onPurchaseUpdate(p);
      }),
    );
    this.onCleanup(() => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
    });
    const onKey = (e: KeyboardEvent) => {
      if (!this.modal) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeSimulator();
        return;
      }
      if (e.key !== 'Tab') return;
      // keep the focus inside the payment dialog while it is open
      const focusable = [...this.modal.dialog.querySelectorAll<HTMLButtonElement>('button')].filter((b) => !b.hidden && !b.disabled);
      if (!focusable.length) return;
      const i = focusable.indexOf(document.activeElement as HTMLButtonElement);
      const next = e.shiftKey ? (i <= 0 ? focusable.length - 1 : i - 1) : i === -1 || i === focusable.length - 1 ? 0 : i + 1;
      e.preventDefault();
      focusable[next].focus();
    };
    window.addEventListener('keydown', onKey);
    this.onCleanup(() => window.removeEventListener('keydown', onKey));
    await this.reload();
  }

  // ---------------------------------------------------------------- data

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 120);
  }

  /**
   * Catalog, purchase history, inventory and wallet from the server, rendered; resolves with the balances. Only the
   * latest reload renders: an older one still in flight (started before a purchase committed) is dropped.
   */
  private async reload(): Promise<Balances | null> {
    const seq = ++this.reloadSeq;
    try {
      const [catalog, purchases, inventory, wallet] = await Promise.all([
        api<{ products: Product[] }>('GET', '/shop/catalog'),
        api<{ purchases: PurchaseRow[] }>('GET', '/shop/purchases'),
        api<{ items: InventoryItem[] }>('GET', '/inventory'),
        refreshWallet().then((balances) => ({ balances })),
      ]);
      if (seq !== this.reloadSeq) return null;
      if (!this.active) return wallet.balances;
      this.products = catalog.products;
      this.pendingPayments = purchases.purchases.filter((p) => p.status === 'pending').length;
      patch('shop', { products: catalog.products });
      this.renderCatalog();
      this.renderHistory(purchases.purchases);
      this.renderItems(inventory.items);
      setInfo('products', catalog.products.length);
      setInfo('pendingPurchases', this.pendingPayments);
      return wallet.balances;
    } catch (err) {
      if (!this.active || seq !== this.reloadSeq) return null;
      if (!this.products.length) {
        fill(
          this.catalogEl,
          h(
            'div',
            { role: 'alert' },
            h('p', {}, `The shop could not load: ${describeError(err)}`),
            h('button', { testid: 'shop-retry-load', onclick: () => void this.reload() }, 'Retry'),
          ),
        );
      } else {
        toast(`The shop could not refresh: ${describeError(err)}`, 'error');
      }
      return null;
    }
  }

  private attempt(sku: string): Attempt {
    let a = this.attempts.get(sku);
    if (!a) {
      a = { state: 'idle', message: '', quantity: 1 };
      this.attempts.set(sku, a);
    }
    return a;
  }

  private setState(sku: string, state: CardState, message: string): void {
    const a = this.attempt(sku);
    a.state = state;
    a.message = message;
    setInfo(`shop_${sku}`, state);
    const p = this.products.find((x) => x.sku === sku);
    const old = this.catalogEl.querySelector(`[data-testid="shop-card-${sku}"]`);
    if (p && old) this.keepFocus(() => old.replaceWith(this.card(p)));
  }

  /** Re-renders without losing the keyboard focus (the element with the same test id gets it back). */
  private keepFocus(render: () => void): void {
    const active = document.activeElement as HTMLElement | null;
    if (active?.dataset?.testid && this.screen.contains(active)) this.lastFocus = active.dataset.testid;
    render();
    const now = document.activeElement;
    if (!this.lastFocus || this.modal || (now && now !== document.body)) return;
    const again = this.screen.querySelector<HTMLElement>(`[data-testid="${this.lastFocus}"]`);
    if (again && !(again as HTMLButtonElement).disabled) again.focus();
  }

  // ---------------------------------------------------------------- buying

  private async buy(p: Product): Promise<void> {
    const a = this.attempt(p.sku);
    const v = this.visit;
    const live = () => this.active && v === this.visit;
    if (a.state === 'buying') return;
    const quantity = p.one_time ? 1 : clampQty(a.quantity, maxQty(p));
    const attemptId = `${p.sku}:${quantity}`;
    // the same attempt retried keeps its key (the server answers it once); anything else is a new attempt
    if (!a.key || a.keyFor !== attemptId || !a.retry) {
      a.key = newIdempotencyKey();
      a.keyFor = attemptId;
    }
    a.retry = false;
    this.setState(p.sku, 'buying', quantity > 1 ? `Buying ${quantity}×…` : 'Buying…');
    try {
      const r = await api<PurchaseResult & { granted?: Grant; paid?: { amount: number; currency: string } }>('POST', '/shop/purchase', {
        body: { sku: p.sku, quantity },
        idempotent: true,
        idempotencyKey: a.key,
      });
      if (r.balances) setBalances(r.balances as Balances);
      if (!live()) return;
      a.key = undefined;
      if (r.status === 'pending' && r.receipt_code) {
        a.receipt = r.receipt_code;
        this.setState(p.sku, 'pending', 'Awaiting payment…');
        this.openSimulator(p, r.receipt_code, Number(r.amount ?? p.final_price * quantity));
        await this.reload();
        return;
      }
      // the card turns to its final state once the catalog (owned, stock, caps) and the wallet were read again
      await this.reload();
      if (!live()) return;
      if (r.status === 'succeeded') {
        this.setState(p.sku, 'success', `Bought${quantity > 1 ? ` ${quantity}×` : ''}: ${describeGrant(r.granted)}`);
        this.celebrate(r.granted);
      } else {
        this.setState(p.sku, 'failed', `The purchase ended as ${r.status}.`);
      }
    } catch (err) {
      if (!live()) return;
      const retryable = !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
      a.retry = retryable;
      if (!retryable) a.key = undefined;
      toast(describeError(err), 'error');
      await this.reload();
      if (!live()) return;
      this.setState(p.sku, 'failed', `${describeError(err)}${retryable ? ' Retry sends the same purchase again.' : ''}`);
    }
  }

  /** The hub's word on a purchase (this or another tab, the webhook, a voided hold): update the card and reload. */
  private onPurchaseUpdate(p: { status: string; sku: string; receipt_code?: string; balances?: Balances; granted?: Grant }): void {
    const a = this.attempts.get(p.sku);
    if (a?.state === 'pending' && p.status !== 'pending') {
      if (p.status === 'succeeded') this.setState(p.sku, 'success', `Payment received: ${describeGrant(p.granted)}`);
      else this.setState(p.sku, 'failed', p.status === 'voided' ? 'The payment expired and was voided.' : 'The payment was declined.');
    }
    this.scheduleReload();
  }

  // ---------------------------------------------------------------- test payment provider

  private openSimulator(p: Pick<Product, 'sku' | 'name'>, receipt: string, amountCents: number): void {
    this.closeSimulator();
    const result = h('p', { class: 'result', testid: 'pay-sim-status', role: 'status' }, 'The provider is waiting for your decision.');
    const pay = h(
      'button',
      { class: 'primary big', testid: 'pay-sim-pay', onclick: () => void this.complete('success') },
      `Pay ${usd(amountCents)}`,
    );
    const decline = h('button', { testid: 'pay-sim-decline', onclick: () => void this.complete('failed') }, 'Decline');
    const close = h('button', { class: 'ghost', testid: 'pay-sim-close', onclick: () => this.closeSimulator() }, 'Later');
    const dialog = h(
      'div',
      {
        class: 'shop-modal',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'pay-sim-title',
        testid: 'pay-sim',
        'data-state': 'waiting',
      },
      h('div', { class: 'provider' }, h('span', {}, 'NEONPAY · sandbox'), h('span', {}, 'development only · no real money')),
      h('h2', { id: 'pay-sim-title' }, 'Test payment provider'),
      h('p', { class: 'small muted', style: { margin: 0 } }, `Neon Club asks you to pay for ${p.name}.`),
      h('div', { class: 'amount' }, usd(amountCents)),
      h(
        'div',
        { class: 'receipt' },
        h('span', { class: 'small muted' }, 'Receipt '),
        h('span', { class: 'mono', testid: 'pay-sim-receipt' }, receipt),
      ),
      result,
      h('div', { class: 'actions' }, close, decline, pay),
    );
    const root = h(
      'div',
      {
        class: 'shop-backdrop',
        onclick: (e: Event) => {
          if (e.target === root) this.closeSimulator();
        },
      },
      dialog,
    );
    this.modal = { root, dialog, receipt, sku: p.sku };
    this.screen.append(root);
    setInfo('paySim', 'waiting');
    pay.focus();
  }

  private closeSimulator(): void {
    if (!this.modal) return;
    this.modal.root.remove();
    this.modal = null;
    setInfo('paySim', 'closed');
  }

  /** Pay or Decline: the dev endpoint signs and delivers the provider's webhook; then the server's balances are shown. */
  private async complete(status: 'success' | 'failed'): Promise<void> {
    const m = this.modal;
    if (!m || m.dialog.dataset.state === 'sending') return;
    const buttons = [...m.dialog.querySelectorAll('button')] as HTMLButtonElement[];
    const result = m.dialog.querySelector('[data-testid="pay-sim-status"]')!;
    const setModal = (state: string, text: string) => {
      m.dialog.dataset.state = state;
      result.textContent = text;
      setInfo('paySim', state);
    };
    buttons.forEach((b) => {
      b.disabled = true;
    });
    setModal('sending', status === 'success' ? 'Authorising… sending the signed webhook' : 'Declining… sending the signed webhook');
    try {
      const r = await api<DevPaymentAnswer>('POST', `/dev/payments/${encodeURIComponent(m.receipt)}/complete`, {
        body: { status },
        idempotent: true,
      });
      // shop and wallet read again after the webhook committed; the dialog shows those numbers
      let balances = await this.reload();
      if (!balances) balances = await refreshWallet();
      if (!this.active) return;
      const a = this.attempt(m.sku);
      const name = this.products.find((x) => x.sku === m.sku)?.name ?? m.sku;
      if (r.purchase_status === 'succeeded') {
        if (a.state !== 'success') this.setState(m.sku, 'success', `Payment received: ${name} delivered`);
        setModal('succeeded', `Payment accepted: ${name} delivered. GEM ${fmt(balances.GEM)} · GOLD ${fmt(balances.GOLD)}`);
        this.celebrate(this.products.find((x) => x.sku === m.sku)?.grants);
      } else {
        if (a.state !== 'failed')
          this.setState(
            m.sku,
            'failed',
            r.purchase_status === 'voided' ? 'The payment expired and was voided.' : 'The payment was declined.',
          );
        setModal('failed', r.purchase_status === 'voided' ? 'This payment had already expired.' : 'Payment declined: nothing was charged.');
      }
      buttons.forEach((b) => {
        b.hidden = b.dataset.testid !== 'pay-sim-close';
        b.disabled = false;
      });
      const done = buttons.find((b) => b.dataset.testid === 'pay-sim-close')!;
      done.textContent = 'Done';
      done.classList.add('primary');
      done.focus();
    } catch (err) {
      if (!this.active || this.modal !== m) return;
      const unavailable = err instanceof ApiError && err.status === 404 && err.code === 'resource/not_found';
      setModal('error', unavailable ? 'The test payment provider is not available on this server (development only).' : describeError(err));
      buttons.forEach((b) => {
        b.disabled = false;
      });
    }
  }

  // ---------------------------------------------------------------- rendering

  private renderCatalog(): void {
    this.keepFocus(() =>
      fill(
        this.catalogEl,
        ...(this.products.length
          ? [...this.products.map((p) => this.card(p)), this.checkoutTile()]
          : [h('p', { class: 'muted' }, 'The shop is empty right now. Come back soon!')]),
      ),
    );
  }

  private card(p: Product): HTMLElement {
    const a = this.attempt(p.sku);
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
            { class: `badge ${p.limited.remaining > 0 ? 'limited' : 'soldout'}`, testid: `badge-limited-${p.sku}` },
            p.limited.remaining > 0 ? `Limited · ${fmt(p.limited.remaining)}/${fmt(p.limited.total)} left` : 'Sold out',
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
              this.updateTotal(p);
            },
            onkeydown: (e: KeyboardEvent) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void this.buy(p);
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
        title: p.can_buy ? undefined : this.reasonHelp(p),
        onclick: () => void this.buy(p),
      },
      label,
    );
    const continuePay =
      a.state === 'pending' && a.receipt
        ? h(
            'button',
            { class: 'primary', testid: `shop-pay-${p.sku}`, onclick: () => this.openSimulator(p, a.receipt!, p.final_price * a.quantity) },
            'Pay now',
          )
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
      h('div', { class: 'head' }, this.icon(p), h('b', {}, p.name)),
      h('div', { class: 'badges' }, ...badges),
      h('p', { class: 'desc small muted' }, p.description),
      h(
        'p',
        { class: 'gets small' },
        'You get ',
        h('b', {}, describeGrant({ currencies: addCurrencies(p.grants.currencies, p.bonus), items: p.grants.items })),
      ),
      h('div', { class: 'priceline' }, this.price(p, clampQty(a.quantity, max)), h('span', { class: 'small muted' }, capNote)),
      h('div', { class: 'buyrow' }, qty, button, continuePay),
      h('p', { class: 'status', role: 'status', testid: `shop-status-${p.sku}` }, a.message || (!p.can_buy ? this.reasonHelp(p) : '')),
    );
  }

  /** How buying works, closing the grid: wallet products at once, premium packs through the payment provider. */
  private checkoutTile(): HTMLElement {
    const pending = this.pendingPayments;
    return h(
      'aside',
      { class: 'card shop-card checkout', 'aria-label': 'How checkout works' },
      h('div', { class: 'head' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), h('b', {}, 'Safe checkout')),
      h(
        'p',
        { class: 'small muted', style: { margin: 0 } },
        'GOLD and GEM products are paid and delivered at once. Premium packs are paid with the payment provider; they arrive when it confirms.',
      ),
      h('p', { class: 'small muted', style: { margin: 0 } }, 'A retried purchase is never charged twice.'),
      pending
        ? h(
            'p',
            { class: 'small', style: { margin: 0, color: 'var(--cyan)' } },
            `${pending} payment${pending > 1 ? 's' : ''} waiting for the provider.`,
          )
        : null,
    );
  }

  private reasonHelp(p: Product): string {
    switch (p.reason) {
      case 'already_owned':
        return 'You own this one-time product.';
      case 'sold_out':
        return 'Every unit has been sold.';
      case 'cap_reached':
        return `Limited to ${p.per_user_cap ?? 0} per player.`;
      case 'not_available':
        return 'Not on sale right now.';
      default:
        return p.reason ? prettify(p.reason) : '';
    }
  }

  private updateTotal(p: Product): void {
    const el = this.catalogEl.querySelector(`[data-testid="shop-card-${p.sku}"] .priceline`);
    if (!el) return;
    el.firstElementChild?.replaceWith(this.price(p, clampQty(this.attempt(p.sku).quantity, maxQty(p))));
  }

  private price(p: Product, quantity: number): HTMLElement {
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
      { class: 'price', testid: `shop-price-${p.sku}`, style: { color: p.currency === 'GEM' ? 'var(--cyan)' : 'var(--gold)' } },
      p.discount_pct ? h('s', {}, fmt(p.price * n)) : null,
      fmt(p.final_price * n),
      ' ',
      h('img', { src: p.currency === 'GEM' ? '/assets/gem.svg' : '/assets/coin.svg', alt: p.currency }),
    );
  }

  private icon(p: Product): HTMLElement {
    const cur = p.grants.currencies.GEM ? 'gem' : p.grants.currencies.GOLD ? 'coin' : null;
    return h(
      'span',
      { class: 'icon', 'aria-hidden': 'true' },
      cur ? h('img', { src: `/assets/${cur}.svg`, alt: '' }) : (KIND_GLYPH[p.kind] ?? '✦'),
    );
  }

  private renderHistory(rows: PurchaseRow[]): void {
    if (!rows.length) {
      fill(this.historyEl, h('p', { class: 'muted small' }, 'No purchases yet.'));
      return;
    }
    const name = (sku: string) => this.products.find((p) => p.sku === sku)?.name ?? sku;
    fill(
      this.historyEl,
      ...rows.slice(0, 30).map((r) =>
        h(
          'div',
          { class: 'item', testid: `purchase-${r.purchase_id}`, 'data-sku': r.sku, 'data-status': r.status },
          h(
            'div',
            { class: 'progress grow' },
            h('span', {}, `${r.quantity > 1 ? `${r.quantity}× ` : ''}${name(r.sku)}`),
            h(
              'span',
              { class: 'when' },
              `${when(r.created_at)} · ${r.currency === 'USD' ? usd(Number(r.total_price)) : `${fmt(Number(r.total_price))} ${r.currency}`}`,
            ),
            r.receipt_code ? h('span', { class: 'when mono' }, `receipt ${r.receipt_code}`) : null,
          ),
          r.status === 'pending' && r.receipt_code
            ? h(
                'button',
                {
                  testid: `purchase-pay-${r.receipt_code}`,
                  onclick: () => this.openSimulator({ sku: r.sku, name: name(r.sku) }, r.receipt_code!, Number(r.total_price)),
                },
                'Pay',
              )
            : null,
          h('span', { class: `st ${r.status}` }, r.status),
        ),
      ),
    );
  }

  private renderItems(items: InventoryItem[]): void {
    fill(
      this.itemsEl,
      ...(items.length
        ? items.map((i) => h('span', { class: 'chip', testid: `item-${i.item_id}` }, `${prettify(i.item_id)} ×${fmt(i.quantity)}`))
        : [h('p', { class: 'muted small', style: { margin: 0 } }, 'Nothing yet: what you buy lands here.')]),
    );
  }

  // ---------------------------------------------------------------- canvas

  private drawSign(): void {
    const y = 96;
    const frame = this.add.graphics();
    const drawFrame = (a: number) => {
      frame.clear();
      frame.lineStyle(3, COLORS.pink, 0.55 + 0.45 * a).strokeRoundedRect(this.centerX - 190, y - 30, 380, 60, 14);
      frame.lineStyle(1, COLORS.cyan, 0.25 + 0.35 * a).strokeRoundedRect(this.centerX - 200, y - 38, 400, 76, 18);
    };
    drawFrame(1);
    this.sign = this.add
      .text(this.centerX, y, 'NEON SHOP', { fontFamily: 'DejaVu Sans', fontSize: '36px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 18, true, true);
    // the sign hums: a slow pulse with an occasional flicker
    this.tweens.addCounter({
      from: 0.75,
      to: 1,
      duration: 1400,
      yoyo: true,
      repeat: -1,
      onUpdate: (tw) => {
        const v = tw.getValue() ?? 1;
        drawFrame(v);
        this.sign.setAlpha(0.85 + 0.15 * v);
      },
    });
    this.time.addEvent({
      delay: 4200,
      loop: true,
      callback: () => this.tweens.add({ targets: this.sign, alpha: 0.35, duration: 60, yoyo: true, repeat: 1 }),
    });
    const floaters: Array<[string, number, number]> = [
      ['coin', this.centerX - 270, 0],
      ['gem', this.centerX + 270, 600],
      ['coin', this.centerX + 340, 1200],
      ['gem', this.centerX - 340, 300],
    ];
    for (const [key, x, delay] of floaters) {
      const img = this.add.image(x, y, key).setScale(0.55);
      this.tweens.add({
        targets: img,
        y: y - 10,
        angle: { from: -8, to: 8 },
        duration: 1500,
        delay,
        yoyo: true,
        repeat: -1,
        ease: 'Sine.easeInOut',
      });
    }
  }

  /** A burst of coins or gems out of the sign after a purchase succeeded. */
  private celebrate(granted?: Grant): void {
    const key = granted?.currencies?.GEM ? 'gem' : 'coin';
    const p = this.add.particles(this.centerX, 96, key, {
      speed: { min: 120, max: 320 },
      angle: { min: 200, max: 340 },
      gravityY: 520,
      lifespan: 1100,
      scale: { start: 0.45, end: 0.2 },
      alpha: { start: 1, end: 0 },
      rotate: { min: -180, max: 180 },
      emitting: false,
    });
    p.explode(24);
    this.time.delayedCall(1300, () => p.destroy());
    this.tweens.add({ targets: this.sign, scale: { from: 1.12, to: 1 }, duration: 380, ease: 'Back.easeOut' });
  }
}

interface Grant {
  currencies?: Partial<Balances>;
  items?: Array<{ item_id: string; quantity: number }>;
}

function describeGrant(g: Grant | undefined): string {
  if (!g) return 'delivered';
  const parts = [
    currencyText(g.currencies ?? {}),
    ...(g.items ?? []).map((i) => `${i.quantity > 1 ? `${i.quantity}× ` : ''}${prettify(i.item_id)}`),
  ].filter(Boolean);
  return parts.join(' + ') || 'delivered';
}

function currencyText(c: Partial<Balances>): string {
  return (['GOLD', 'GEM'] as const)
    .filter((k) => (c[k] ?? 0) > 0)
    .map((k) => `${fmt(c[k]!)} ${k}`)
    .join(' + ');
}

function addCurrencies(a: Partial<Balances>, b: Partial<Balances> | null): Partial<Balances> {
  const out: Partial<Balances> = {};
  for (const k of ['GOLD', 'GEM'] as const) {
    const n = (a[k] ?? 0) + (b?.[k] ?? 0);
    if (n > 0) out[k] = n;
  }
  return out;
}

function maxQty(p: Product): number {
  if (p.one_time) return 1;
  let max = 100;
  if (p.cap_left !== null) max = Math.min(max, p.cap_left);
  if (p.limited) max = Math.min(max, p.limited.remaining);
  return Math.max(1, max);
}

function clampQty(n: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : 1;
}

function usd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

function prettify(id: string): string {
  const s = id
    .replace(/[-_]+/g, ' ')
    .trim()
    .replace(/\bxp\b/gi, 'XP');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
