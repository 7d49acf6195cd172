import type { EntityManager } from '@mikro-orm/postgresql';
import { clampDiscount } from '../../../domain/shop/pricing.ts';
import type { ProductSeed } from './demo-catalog.ts';
import type { EventSeed, MissionSeed } from './demo-liveops.ts';

/** Inserts the products that do not exist yet (by sku); existing ones are left as operators edited them. Returns how many were added. */
export async function seedProducts(em: EntityManager, products: ProductSeed[]): Promise<number> {
  let added = 0;
  for (const p of products) {
    const rows = await em.execute<unknown[]>(
      `insert into products (id, sku, name, description, kind, price, price_currency, discount_pct, grants, bonus, one_time, stock_total, stock_remaining, per_user_cap, active, rank, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, now()) on conflict (sku) do nothing returning id`,
      [
        p.sku,
        p.name,
        p.description,
        p.kind,
        p.price,
        p.priceCurrency,
        clampDiscount(p.discountPct ?? 0),
        JSON.stringify(p.grants),
        p.bonus ? JSON.stringify(p.bonus) : null,
        p.oneTime ?? false,
        p.stock ?? null,
        p.stock ?? null,
        p.perUserCap ?? null,
        p.rank,
      ],
    );
    added += rows.length;
  }
  return added;
}

/** Inserts demo events (starting now; `days` bounds limited ones) and missions that do not exist yet (by code). */
export async function seedLiveOps(em: EntityManager, events: EventSeed[], missions: MissionSeed[], now: Date): Promise<number> {
  let added = 0;
  for (const e of events) {
    const ends = e.days ? new Date(now.getTime() + e.days * 86_400_000) : null;
    added += (
      await em.execute<unknown[]>(
        `insert into events (id, code, name, description, type, condition, reward, starts_at, ends_at, active, rank, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, true, ?, now()) on conflict (code) do nothing returning id`,
        [e.code, e.name, e.description, e.type, JSON.stringify(e.condition), JSON.stringify(e.reward), now, ends, e.rank],
      )
    ).length;
  }
  for (const m of missions) {
    added += (
      await em.execute<unknown[]>(
        `insert into missions (id, code, name, period, condition, reward, active, rank, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, true, ?, now()) on conflict (code) do nothing returning id`,
        [m.code, m.name, m.period, JSON.stringify(m.condition), JSON.stringify(m.reward), m.rank],
      )
    ).length;
  }
  return added;
}
