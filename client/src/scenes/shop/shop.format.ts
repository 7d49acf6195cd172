// How shop facts read: grants and currency amounts, USD prices, item ids, dates, why a product cannot be bought,
// and the quantity a product allows.
import type { Balances, Product } from '../../net/types.ts';
import { fmt } from '../../ui/dom.ts';
import type { Grant } from './shop.net.ts';

/** The buy button's label for a product that cannot be bought. */
export const REASONS: Record<string, string> = {
  already_owned: 'Owned',
  sold_out: 'Sold out',
  cap_reached: 'Limit reached',
  not_available: 'Not on sale',
};

/** Why a product cannot be bought, as a sentence. */
export function reasonHelp(p: Product): string {
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

export function describeGrant(g: Grant | undefined): string {
  if (!g) return 'delivered';
  const parts = [
    currencyText(g.currencies ?? {}),
    ...(g.items ?? []).map((i) => `${i.quantity > 1 ? `${i.quantity}× ` : ''}${prettify(i.item_id)}`),
  ].filter(Boolean);
  return parts.join(' + ') || 'delivered';
}

export function currencyText(c: Partial<Balances>): string {
  return (['GOLD', 'GEM'] as const)
    .filter((k) => (c[k] ?? 0) > 0)
    .map((k) => `${fmt(c[k]!)} ${k}`)
    .join(' + ');
}

export function addCurrencies(a: Partial<Balances>, b: Partial<Balances> | null): Partial<Balances> {
  const out: Partial<Balances> = {};
  for (const k of ['GOLD', 'GEM'] as const) {
    const n = (a[k] ?? 0) + (b?.[k] ?? 0);
    if (n > 0) out[k] = n;
  }
  return out;
}

/** The most of a product one purchase may take (caps and stock apply; one-time products: 1). */
export function maxQty(p: Product): number {
  if (p.one_time) return 1;
  let max = 100;
  if (p.cap_left !== null) max = Math.min(max, p.cap_left);
  if (p.limited) max = Math.min(max, stockLeft(p));
  return Math.max(1, max);
}

export function clampQty(n: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : 1;
}

export function usd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** An id as words: "xp_booster" → "XP booster". */
export function prettify(id: string): string {
  const s = id
    .replace(/[-_]+/g, ' ')
    .trim()
    .replace(/\bxp\b/gi, 'XP');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** What is left of a limited product's stock (all of it while the server tracks no remainder). */
export function stockLeft(p: Product): number {
  return p.limited ? (p.limited.remaining ?? p.limited.total) : Infinity;
}
