// The shop's DOM layout: the catalog panel, the purchase history (with Pay on a pending provider payment) and the
// player's items.
import type { InventoryItem } from '../../net/types.ts';
import { fill, fmt, h } from '../../ui/dom.ts';
import { prettify, usd, when } from './shop.format.ts';
import type { PurchaseRow } from './shop.net.ts';
import '../../ui/shop-theme.css';

export class ShopControls {
  readonly catalog = h('div', { class: 'catalog', testid: 'shop-catalog' }, h('p', { class: 'loading' }, 'Loading the catalog…'));
  private history = h('div', { class: 'history', testid: 'shop-history' });
  private items = h('div', { class: 'chips', testid: 'shop-items' });

  constructor(screen: HTMLElement) {
    screen.classList.add('shop');
    fill(
      screen,
      h('section', { class: 'col grow' }, h('div', { class: 'panel catalog-panel grow' }, this.catalog)),
      h(
        'section',
        { class: 'col side-col' },
        h('div', { class: 'panel grow', 'aria-label': 'Purchase history' }, h('h2', {}, 'Purchase history'), this.history),
        h('div', { class: 'panel items-panel', 'aria-label': 'Your items' }, h('h2', {}, 'Your items'), this.items),
      ),
    );
  }

  /** The last 30 purchases; `name` names a sku, `pay` opens the payment dialog of a pending one. */
  renderHistory(rows: PurchaseRow[], name: (sku: string) => string, pay: (r: PurchaseRow) => void): void {
    if (!rows.length) {
      fill(this.history, h('p', { class: 'muted small' }, 'No purchases yet.'));
      return;
    }
    fill(
      this.history,
      ...rows
        .slice(0, 30)
        .map((r) =>
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
              ? h('button', { testid: `purchase-pay-${r.receipt_code}`, onclick: () => pay(r) }, 'Pay')
              : null,
            h('span', { class: `st ${r.status}` }, r.status),
          ),
        ),
    );
  }

  renderItems(items: InventoryItem[]): void {
    fill(
      this.items,
      ...(items.length
        ? items.map((i) => h('span', { class: 'chip', testid: `item-${i.item_id}` }, `${prettify(i.item_id)} ×${fmt(i.quantity)}`))
        : [h('p', { class: 'muted small flush' }, 'Nothing yet: what you buy lands here.')]),
    );
  }
}
