// A product's facts in the shop drawer: what it costs, grants and limits, read-only.
import type { ProductRow } from '../api/types.ts';
import { amount, price, time } from './format.ts';

const currencies = (c: { GOLD?: number; GEM?: number } | null) =>
  c && Object.keys(c).length
    ? Object.entries(c)
        .map(([k, v]) => `${amount(v)} ${k}`)
        .join(', ')
    : '–';

/** The product as players get it. */
export function ProductFacts({ product: p }: { product: ProductRow }) {
  return (
    <dl className="facts" data-testid="product-facts">
      <dt>SKU</dt>
      <dd>
        <code>{p.sku}</code> ({p.kind})
      </dd>
      <dt>Status</dt>
      <dd>
        <span className={`badge ${p.active ? 'active' : 'inactive'}`}>{p.active ? 'on sale' : 'inactive'}</span> · version {p.version}
      </dd>
      <dt>Price</dt>
      <dd>
        {price(p.final_price, p.currency)}
        {p.discount_pct ? ` (−${p.discount_pct}% of ${price(p.price, p.currency)})` : ''}
      </dd>
      <dt>Grants</dt>
      <dd>
        {[currencies(p.grants.currencies), ...p.grants.items.map((i) => `${i.quantity} × ${i.item_id}`)]
          .filter((s) => s !== '–')
          .join(', ') || '–'}
      </dd>
      <dt>Bonus</dt>
      <dd>{currencies(p.bonus)}</dd>
      <dt>One-time</dt>
      <dd>{p.one_time ? 'yes' : 'no'}</dd>
      <dt>Stock</dt>
      <dd>{p.stock_total === null ? 'unlimited' : `${amount(p.stock_remaining)} of ${amount(p.stock_total)} left`}</dd>
      <dt>Per-player cap</dt>
      <dd>{p.per_user_cap === null ? 'none' : amount(p.per_user_cap)}</dd>
      <dt>Rank</dt>
      <dd>{p.rank}</dd>
      <dt>Sale window</dt>
      <dd>
        {time(p.sale_starts_at)} → {time(p.sale_ends_at)}
      </dd>
      <dt>Created</dt>
      <dd>{time(p.created_at)}</dd>
    </dl>
  );
}
