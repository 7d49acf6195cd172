import type { EntityManager } from '@mikro-orm/postgresql';
import { clampDiscount } from '../../domain/shop/pricing.ts';
import type { ProductSeed } from '../db/seeders/demo-catalog.ts';

/** Inserts the products that do not exist yet (by sku); existing ones are left as operators edited them. Returns how many were added. */
export async function seedProducts(em: EntityManager, products: ProductSeed[]): Promise<number> {
  let added = 0;
  for (const p of products) {
    const rows = await em.execute<unknown[]>(
      `insert into products (id, sku, name, description, kind, price, price_currency, discount_pct, grants, bonus, one_time, stock_total, stock_remaining, per_user_cap, active, rank, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, now()) on conflict (sku) do nothing returning id`,
      [p.sku, p.name, p.description, p.kind, p.price, p.priceCurrency, clampDiscount(p.discountPct ?? 0), JSON.stringify(p.grants),
        p.bonus ? JSON.stringify(p.bonus) : null, p.oneTime ?? false, p.stock ?? null, p.stock ?? null, p.perUserCap ?? null, p.rank]);
    added += rows.length;
  }
  return added;
}
