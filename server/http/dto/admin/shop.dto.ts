import { z } from 'zod';
import { discountedPrice } from '../../../../domain/shop/pricing.ts';
import { PRICE_CURRENCIES, PRODUCT_KINDS } from '../../../db/entities/shop.entity.ts';
import type { AdminProductRow } from '../../../db/repositories/admin-products.repository.ts';
import type { ProductInput } from '../../../services/admin/shop-admin.service.ts';
import { PageQuery } from './paging.dto.ts';

const Amount = z.number().int().min(1).max(1_000_000_000);
const Currencies = z.object({ GOLD: Amount.optional(), GEM: Amount.optional() }).strict();
const Grants = z
  .object({
    currencies: Currencies.default({}),
    items: z
      .array(z.object({ item_id: z.string().min(1).max(64), quantity: z.number().int().min(1).max(1000) }).strict())
      .max(20)
      .default([]),
  })
  .strict();
const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The editable fields of a product, snake_case; every field optional (PATCH), the create body requires some. */
const ProductFieldsBody = z
  .object({
    sku: z.string().regex(/^[a-z0-9_]{1,40}$/, 'lowercase letters, digits and _ (1–40)'),
    name: z.string().min(1).max(80),
    description: z.string().max(255),
    kind: z.enum(PRODUCT_KINDS),
    price: Amount,
    currency: z.enum(PRICE_CURRENCIES),
    discount_pct: z.number().int().describe('clamped to 0–90'),
    grants: Grants,
    bonus: Currencies.nullable(),
    one_time: z.boolean(),
    stock_total: z.number().int().min(0).max(1_000_000_000).nullable().describe('limited stock; null = unlimited'),
    per_user_cap: z.number().int().min(1).max(1_000_000).nullable(),
    rank: z.number().int().min(-1_000_000).max(1_000_000),
    sale_starts_at: When.nullable(),
    sale_ends_at: When.nullable(),
    active: z.boolean(),
  })
  .partial()
  .strict();

export const ProductCreateBody = ProductFieldsBody.required({
  sku: true,
  name: true,
  kind: true,
  price: true,
  currency: true,
  grants: true,
});
export const ProductPatchBody = ProductFieldsBody.omit({ sku: true });
/** `{id}` of a product. */
export const ProductParams = z.object({ id: z.uuid() });
export const ProductActiveBody = z.object({ active: z.boolean() }).strict();
export const ProductListQuery = PageQuery.extend({ active: z.enum(['true', 'false']).optional() });

/** A create or PATCH body in the service's terms. */
export function productInput(b: z.output<typeof ProductFieldsBody>): ProductInput {
  return {
    sku: b.sku,
    name: b.name,
    description: b.description,
    kind: b.kind,
    price: b.price,
    priceCurrency: b.currency,
    discountPct: b.discount_pct,
    grants: b.grants,
    bonus: b.bonus,
    oneTime: b.one_time,
    stockTotal: b.stock_total,
    perUserCap: b.per_user_cap,
    rank: b.rank,
    saleStartsAt: b.sale_starts_at,
    saleEndsAt: b.sale_ends_at,
    active: b.active,
  };
}

/** A product on the admin wire. */
export function adminProductBody(p: AdminProductRow) {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    kind: p.kind,
    price: p.price,
    currency: p.priceCurrency,
    discount_pct: p.discountPct,
    final_price: discountedPrice(p.price, p.discountPct),
    grants: p.grants,
    bonus: p.bonus,
    one_time: p.oneTime,
    stock_total: p.stockTotal,
    stock_remaining: p.stockRemaining,
    per_user_cap: p.perUserCap,
    rank: p.rank,
    sale_starts_at: p.saleStartsAt?.toISOString() ?? null,
    sale_ends_at: p.saleEndsAt?.toISOString() ?? null,
    active: p.active,
    version: p.version,
    created_at: p.createdAt.toISOString(),
  };
}
export type AdminProductBody = ReturnType<typeof adminProductBody>;
