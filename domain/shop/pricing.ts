import { DomainError } from '../shared/errors.ts';

/** Clamps a discount to the allowed 0–95 % (integer percent). */
export function clampDiscount(pct: number): number {
  return Math.min(95, Math.max(0, Math.round(pct)));
}

/** Unit price after the discount, rounded down, never below 1 (integer minor units). */
export function discountedPrice(price: number, discountPct: number): number {
  return Math.max(1, Math.floor((price * (100 - clampDiscount(discountPct))) / 100));
}

/** What one unit of a product grants. */
export interface Bundle {
  currencies: Partial<Record<'GOLD' | 'GEM', number>>;
  items: Array<{ item_id: string; quantity: number }>;
}

/** The bundle of `quantity` units, bonus currency included (integer amounts). */
export function grantFor(grants: Bundle, bonus: Partial<Record<'GOLD' | 'GEM', number>> | null, quantity: number): Bundle {
  const currencies: Bundle['currencies'] = {};
  for (const c of ['GOLD', 'GEM'] as const) {
    const n = ((grants.currencies?.[c] ?? 0) + (bonus?.[c] ?? 0)) * quantity;
    if (n > 0) currencies[c] = n;
  }
  return { currencies, items: (grants.items ?? []).map((i) => ({ item_id: i.item_id, quantity: i.quantity * quantity })) };
}

/** Whether a product can be sold at `now` (active and inside its sale window). */
export function isOnSale(p: { active: boolean; saleStartsAt: Date | null; saleEndsAt: Date | null }, now: Date): boolean {
  return p.active && (!p.saleStartsAt || p.saleStartsAt <= now) && (!p.saleEndsAt || now < p.saleEndsAt);
}

/** Asserts a purchase quantity: 1 for one-time products, otherwise 1..max. */
export function assertQuantity(quantity: number, oneTime: boolean, max = 100): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > (oneTime ? 1 : max)) {
    throw new DomainError('request/invalid', oneTime ? 'A one-time product is bought one at a time.' : `Quantity must be 1..${max}.`);
  }
}
