// The product form in the shop's drawer: edits a product (PATCH, sent with the version the operator saw) or creates
// one (its SKU, kind and grants too). Empty stock or cap means unlimited; the sale window is in UTC.
import type { FormEvent } from 'react';
import type { ProductRow } from '../api/types.ts';

const KINDS = ['currency_pack', 'item', 'booster', 'bundle'] as const;
const CURRENCIES = ['GOLD', 'GEM', 'USD'] as const;

/** The body fields the form sends (snake_case, as the API takes them). */
export type ProductBody = Record<string, unknown>;

interface ProductFormProps {
  /** the product being edited; undefined for a new product */
  product?: ProductRow;
  busy: boolean;
  onSubmit: (body: ProductBody) => void;
  onCancel?: () => void;
}

function int(form: FormData, name: string): number | null {
  const v = String(form.get(name) ?? '').trim();
  return v === '' ? null : Number(v);
}

function when(form: FormData, name: string): string | null {
  const v = String(form.get(name) ?? '').trim();
  return v === '' ? null : `${v}:00Z`;
}

function currencies(form: FormData, prefix: string): { GOLD?: number; GEM?: number } {
  const out: { GOLD?: number; GEM?: number } = {};
  for (const c of ['GOLD', 'GEM'] as const) {
    const n = int(form, `${prefix}_${c}`);
    if (n) out[c] = n;
  }
  return out;
}

/** The form's values as an API body: every editable field; SKU, kind and grants only for a new product. */
function bodyOf(form: FormData, isNew: boolean): ProductBody {
  const bonus = currencies(form, 'bonus');
  const body: ProductBody = {
    name: String(form.get('name') ?? '').trim(),
    description: String(form.get('description') ?? ''),
    price: int(form, 'price'),
    currency: form.get('currency'),
    discount_pct: int(form, 'discount_pct') ?? 0,
    bonus: Object.keys(bonus).length ? bonus : null,
    one_time: form.get('one_time') === 'on',
    stock_total: int(form, 'stock_total'),
    per_user_cap: int(form, 'per_user_cap'),
    rank: int(form, 'rank') ?? 0,
    sale_starts_at: when(form, 'sale_starts_at'),
    sale_ends_at: when(form, 'sale_ends_at'),
  };
  if (!isNew) return body;
  const itemId = String(form.get('item_id') ?? '').trim();
  return {
    ...body,
    sku: String(form.get('sku') ?? '').trim(),
    kind: form.get('kind'),
    active: form.get('active') === 'on',
    grants: { currencies: currencies(form, 'grant'), items: itemId ? [{ item_id: itemId, quantity: int(form, 'item_qty') ?? 1 }] : [] },
  };
}

const utc = (iso: string | null | undefined) => (iso ? iso.slice(0, 16) : '');

/** A product's editable fields; Save sends them. */
export function ProductForm({ product: p, busy, onSubmit, onCancel }: ProductFormProps) {
  const isNew = p === undefined;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit(bodyOf(new FormData(e.currentTarget), isNew));
  };
  return (
    <form className="edit-form" onSubmit={submit} data-testid="product-form">
      {isNew && (
        <>
          <label className="field">
            <span>SKU</span>
            <input name="sku" required pattern="[a-z0-9_]{1,40}" placeholder="gold_pack_small" />
          </label>
          <label className="field">
            <span>Kind</span>
            <select name="kind" defaultValue="currency_pack">
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="field span-2">
        <span>Name</span>
        <input name="name" required maxLength={80} defaultValue={p?.name} />
      </label>
      <label className="field span-2">
        <span>Description</span>
        <input name="description" maxLength={255} defaultValue={p?.description} />
      </label>
      <label className="field">
        <span>Price</span>
        <input name="price" type="number" required min={1} defaultValue={p?.price} />
      </label>
      <label className="field">
        <span>Currency</span>
        <select name="currency" defaultValue={p?.currency ?? 'GOLD'}>
          {CURRENCIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Discount %</span>
        <input name="discount_pct" type="number" min={0} max={90} defaultValue={p?.discount_pct ?? 0} />
      </label>
      <label className="field">
        <span>Rank</span>
        <input name="rank" type="number" defaultValue={p?.rank ?? 0} />
      </label>
      {isNew && (
        <>
          <label className="field">
            <span>Grants GOLD</span>
            <input name="grant_GOLD" type="number" min={1} />
          </label>
          <label className="field">
            <span>Grants GEM</span>
            <input name="grant_GEM" type="number" min={1} />
          </label>
          <label className="field">
            <span>Grants item id</span>
            <input name="item_id" maxLength={64} />
          </label>
          <label className="field">
            <span>Item quantity</span>
            <input name="item_qty" type="number" min={1} defaultValue={1} />
          </label>
        </>
      )}
      <label className="field">
        <span>Bonus GOLD</span>
        <input name="bonus_GOLD" type="number" min={1} defaultValue={p?.bonus?.GOLD} />
      </label>
      <label className="field">
        <span>Bonus GEM</span>
        <input name="bonus_GEM" type="number" min={1} defaultValue={p?.bonus?.GEM} />
      </label>
      <label className="field">
        <span>Stock (empty: unlimited)</span>
        <input name="stock_total" type="number" min={0} defaultValue={p?.stock_total ?? ''} />
      </label>
      <label className="field">
        <span>Per-player cap</span>
        <input name="per_user_cap" type="number" min={1} defaultValue={p?.per_user_cap ?? ''} />
      </label>
      <label className="field">
        <span>Sale starts (UTC)</span>
        <input name="sale_starts_at" type="datetime-local" defaultValue={utc(p?.sale_starts_at)} />
      </label>
      <label className="field">
        <span>Sale ends (UTC)</span>
        <input name="sale_ends_at" type="datetime-local" defaultValue={utc(p?.sale_ends_at)} />
      </label>
      <label className="check">
        <input name="one_time" type="checkbox" defaultChecked={p?.one_time} /> One-time purchase
      </label>
      {isNew && (
        <label className="check">
          <input name="active" type="checkbox" defaultChecked /> On sale at once
        </label>
      )}
      <div className="actions span-2">
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="product-save">
          {isNew ? 'Create product' : 'Save'}
        </button>
      </div>
    </form>
  );
}
