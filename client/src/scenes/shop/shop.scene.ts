// The shop: the catalog as cards (badges for discount, bonus, one-time, limited stock; the server's `can_buy` and
// `reason` decide what may be bought), purchases with one Idempotency-Key per attempt (kept when the player retries it),
// each card moving idle → buying → success | failed, and premium USD packs going pending → the local test payment
// provider (a dialog whose Pay / Decline make the dev endpoint send a signed webhook) → the `purchase_update` push.
// Balances shown are always the server's (purchase answers, hub pushes, GET /api/wallet). This file holds the
// scene's life and the purchase flow; the cards, the layout, the payment dialog, the sign and the requests live
// beside it.
import { describeError, newIdempotencyKey } from '../../net/api.ts';
import { onHubPush } from '../../net/hub.ts';
import { refreshWallet } from '../../app.ts';
import type { Balances, Product } from '../../net/types.ts';
import { patch, setBalances, toast } from '../../state/store.ts';
import { fill, fmt, h } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { NeonScene } from '../base.ts';
import { checkoutTile, priceTag, productCard, type Attempt, type CardState } from './shop.card.ts';
import { ShopControls } from './shop.controls.ts';
import { clampQty, describeGrant, maxQty } from './shop.format.ts';
import { completeDevPayment, isProviderMissing, isRetryable, loadShop, postPurchase, type PurchaseUpdate } from './shop.net.ts';
import { PaymentDialog } from './shop.payment.ts';
import { ShopSign } from './shop.sign.ts';

export class ShopScene extends NeonScene {
  private products: Product[] = [];
  private attempts = new Map<string, Attempt>();
  private controls!: ShopControls;
  private payment!: PaymentDialog;
  private sign!: ShopSign;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private reloadSeq = 0;
  /** counts entries into the scene: a purchase started on an earlier visit must not touch this one */
  private visit = 0;
  /** pending provider payments in the purchase history */
  private pendingPayments = 0;
  /** test id of the control that had the keyboard focus before a re-render */
  private lastFocus: string | null = null;

  constructor() {
    super('shop');
  }

  protected async build(): Promise<void> {
    this.visit++;
    this.attempts = new Map();
    this.lastFocus = null;
    this.sign = new ShopSign(this);
    this.controls = new ShopControls(this.screen);
    this.payment = new PaymentDialog(this.screen, (status) => void this.complete(status));
    this.onCleanup(
      onHubPush((type, p) => {
        if (type === 'purchase_update') this.onPurchaseUpdate(p as PurchaseUpdate);
        // an operator changed the products: read the catalog again and re-render the cards
        if (type === 'catalog_update') this.scheduleReload();
      }),
    );
    this.onCleanup(() => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
    });
    this.onKey(this.payment.onKey);
    await this.reload();
  }

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
      const data = await loadShop();
      if (seq !== this.reloadSeq) return null;
      if (!this.active) return data.balances;
      this.products = data.products;
      this.pendingPayments = data.purchases.filter((p) => p.status === 'pending').length;
      patch('shop', { products: data.products });
      this.renderCatalog();
      const name = (sku: string) => this.products.find((p) => p.sku === sku)?.name ?? sku;
      this.controls.renderHistory(data.purchases, name, (r) =>
        this.payment.show({ sku: r.sku, name: name(r.sku) }, r.receipt_code!, Number(r.total_price)),
      );
      this.controls.renderItems(data.items);
      setInfo('products', data.products.length);
      setInfo('pendingPurchases', this.pendingPayments);
      return data.balances;
    } catch (err) {
      if (!this.active || seq !== this.reloadSeq) return null;
      if (!this.products.length) {
        fill(
          this.controls.catalog,
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
    const old = this.controls.catalog.querySelector(`[data-testid="shop-card-${sku}"]`);
    if (p && old) this.keepFocus(() => old.replaceWith(this.card(p)));
  }

  /** Re-renders without losing the keyboard focus (the element with the same test id gets it back). */
  private keepFocus(render: () => void): void {
    const active = document.activeElement as HTMLElement | null;
    if (active?.dataset?.testid && this.screen.contains(active)) this.lastFocus = active.dataset.testid;
    render();
    const now = document.activeElement;
    if (!this.lastFocus || this.payment.current || (now && now !== document.body)) return;
    const again = this.screen.querySelector<HTMLElement>(`[data-testid="${this.lastFocus}"]`);
    if (again && !(again as HTMLButtonElement).disabled) again.focus();
  }

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
      const r = await postPurchase(p.sku, quantity, a.key);
      if (r.balances) setBalances(r.balances as Balances);
      if (!live()) return;
      a.key = undefined;
      if (r.status === 'pending' && r.receipt_code) {
        a.receipt = r.receipt_code;
        this.setState(p.sku, 'pending', 'Awaiting payment…');
        this.payment.show(p, r.receipt_code, Number(r.amount ?? p.final_price * quantity));
        await this.reload();
        return;
      }
      // the card turns to its final state once the catalog (owned, stock, caps) and the wallet were read again
      await this.reload();
      if (!live()) return;
      if (r.status === 'succeeded') {
        this.setState(p.sku, 'success', `Bought${quantity > 1 ? ` ${quantity}×` : ''}: ${describeGrant(r.granted)}`);
        this.sign.celebrate(r.granted);
      } else {
        this.setState(p.sku, 'failed', `The purchase ended as ${r.status}.`);
      }
    } catch (err) {
      if (!live()) return;
      const retryable = isRetryable(err);
      a.retry = retryable;
      if (!retryable) a.key = undefined;
      toast(describeError(err), 'error');
      await this.reload();
      if (!live()) return;
      this.setState(p.sku, 'failed', `${describeError(err)}${retryable ? ' Retry sends the same purchase again.' : ''}`);
    }
  }

  /** The hub's word on a purchase (this or another tab, the webhook, a voided hold): update the card and reload. */
  private onPurchaseUpdate(p: PurchaseUpdate): void {
    const a = this.attempts.get(p.sku);
    if (a?.state === 'pending' && p.status !== 'pending') {
      if (p.status === 'succeeded') this.setState(p.sku, 'success', `Payment received: ${describeGrant(p.granted)}`);
      else this.setState(p.sku, 'failed', p.status === 'voided' ? 'The payment expired and was voided.' : 'The payment was declined.');
    }
    this.scheduleReload();
  }

  /** Pay or Decline: the dev endpoint signs and delivers the provider's webhook; then the server's balances are shown. */
  private async complete(status: 'success' | 'failed'): Promise<void> {
    const m = this.payment.current;
    if (!m || m.sending) return;
    m.setBusy(true);
    m.setState('sending', status === 'success' ? 'Authorising… sending the signed webhook' : 'Declining… sending the signed webhook');
    try {
      const r = await completeDevPayment(m.receipt, status);
      // shop and wallet read again after the webhook committed; the dialog shows those numbers
      let balances = await this.reload();
      if (!balances) balances = await refreshWallet();
      if (!this.active) return;
      const a = this.attempt(m.sku);
      const product = this.products.find((x) => x.sku === m.sku);
      const name = product?.name ?? m.sku;
      if (r.purchase_status === 'succeeded') {
        if (a.state !== 'success') this.setState(m.sku, 'success', `Payment received: ${name} delivered`);
        m.setState('succeeded', `Payment accepted: ${name} delivered. GEM ${fmt(balances.GEM)} · GOLD ${fmt(balances.GOLD)}`);
        this.sign.celebrate(product?.grants);
      } else {
        const voided = r.purchase_status === 'voided';
        if (a.state !== 'failed')
          this.setState(m.sku, 'failed', voided ? 'The payment expired and was voided.' : 'The payment was declined.');
        m.setState('failed', voided ? 'This payment had already expired.' : 'Payment declined: nothing was charged.');
      }
      m.finish();
    } catch (err) {
      if (!this.active || this.payment.current !== m) return;
      const text = isProviderMissing(err)
        ? 'The test payment provider is not available on this server (development only).'
        : describeError(err);
      m.setState('error', text);
      m.setBusy(false);
    }
  }

  private renderCatalog(): void {
    this.keepFocus(() =>
      fill(
        this.controls.catalog,
        ...(this.products.length
          ? [...this.products.map((p) => this.card(p)), checkoutTile(this.pendingPayments)]
          : [h('p', { class: 'muted' }, 'The shop is empty right now. Come back soon!')]),
      ),
    );
  }

  private card(p: Product): HTMLElement {
    return productCard(p, this.attempt(p.sku), {
      buy: (x) => void this.buy(x),
      pay: (x, receipt) => this.payment.show(x, receipt, x.final_price * this.attempt(x.sku).quantity),
      quantityChanged: (x) => this.updateTotal(x),
    });
  }

  private updateTotal(p: Product): void {
    const el = this.controls.catalog.querySelector(`[data-testid="shop-card-${p.sku}"] .priceline`);
    if (!el) return;
    el.firstElementChild?.replaceWith(priceTag(p, clampQty(this.attempt(p.sku).quantity, maxQty(p))));
  }
}
