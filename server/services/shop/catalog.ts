import { discountedPrice, isOnSale, type Bundle } from '../../../domain/shop/pricing.ts';
import type { ProductRecord } from '../../db/repositories/product.repository.ts';
import type { CatalogEntry } from './shop.results.ts';

/** Whether and when a product is on sale, as dates. */
export function saleWindow(p: ProductRecord) {
  return {
    active: p.active,
    saleStartsAt: p.saleStartsAt ? new Date(p.saleStartsAt) : null,
    saleEndsAt: p.saleEndsAt ? new Date(p.saleEndsAt) : null,
  };
}

/** A product as this player sees it, given the units they bought (or are paying for) and the time. */
export function catalogEntry(p: ProductRecord, bought: number, now: Date): CatalogEntry {
  const onSale = isOnSale(saleWindow(p), now);
  const capLeft = p.perUserCap === null ? null : Math.max(0, p.perUserCap - bought);
  const owned = p.oneTime && bought > 0;
  const soldOut = p.stockRemaining !== null && p.stockRemaining <= 0;
  const reason = !onSale ? 'not_available' : owned ? 'already_owned' : soldOut ? 'sold_out' : capLeft === 0 ? 'cap_reached' : null;
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    kind: p.kind,
    price: p.price,
    currency: p.priceCurrency,
    discountPct: p.discountPct,
    finalPrice: discountedPrice(p.price, p.discountPct),
    grants: p.grants as unknown as Bundle,
    bonus: p.bonus as Bundle['currencies'] | null,
    oneTime: p.oneTime,
    owned,
    limited: p.stockTotal === null ? null : { total: p.stockTotal, remaining: p.stockRemaining },
    perUserCap: p.perUserCap,
    capLeft,
    sale: { startsAt: p.saleStartsAt, endsAt: p.saleEndsAt },
    rank: p.rank,
    canBuy: reason === null,
    reason,
  };
}
