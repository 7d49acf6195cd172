import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PRODUCT_KINDS = ['currency_pack', 'item', 'booster', 'bundle'] as const;
/** GOLD and GEM are paid from the wallet; USD (cents) is paid through the payment provider. */
export const PRICE_CURRENCIES = ['GOLD', 'GEM', 'USD'] as const;

/** A catalog entry. Stock and caps are enforced by the database (CHECKs, row locks, a partial unique index). */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  checks: [
    { name: 'products_discount_range', expression: 'discount_pct between 0 and 95' },
    { name: 'products_price_positive', expression: 'price > 0' },
    {
      name: 'products_stock_non_negative',
      expression: 'stock_remaining is null or (stock_remaining >= 0 and stock_remaining <= stock_total)',
    },
  ],
  properties: {
    id: p.uuid().primary(),
    sku: p.string().length(40).unique(),
    name: p.string().length(80),
    description: p.string().length(255).default(''),
    kind: p.enum([...PRODUCT_KINDS]),
    price: p.bigint('number'),
    priceCurrency: p.enum([...PRICE_CURRENCIES]),
    discountPct: p.integer().default(0),
    /** what one unit grants: `{currencies: {GOLD?, GEM?}, items: [{item_id, quantity}]}` */
    grants: p.json<Record<string, unknown>>(),
    /** extra currency granted per unit (shown as a badge), `{GOLD?, GEM?}` */
    bonus: p.json<Record<string, number>>().nullable(),
    oneTime: p.boolean().default(false),
    stockTotal: p.integer().nullable(),
    stockRemaining: p.integer().nullable(),
    perUserCap: p.integer().nullable(),
    saleStartsAt: p.datetime().nullable(),
    saleEndsAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    rank: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** optimistic lock: operators edit products while purchases take their stock */
    version: p.integer().version(),
  },
});

/**
 * A purchase. One-time products can be bought once per player: a partial unique index over live purchases
 * (pending or succeeded) makes the database refuse a second one, whatever the concurrency.
 */
export const Purchase = defineEntity({
  name: 'Purchase',
  tableName: 'purchases',
  indexes: [
    {
      name: 'purchases_one_time_unique',
      expression: `create unique index "purchases_one_time_unique" on "purchases" ("user_id", "product_id") where "one_time" and "status" in ('pending', 'succeeded')`,
    },
    { name: 'purchases_user_idx', properties: ['userId', 'createdAt'] },
    {
      name: 'purchases_pending_idx',
      expression: `create index "purchases_pending_idx" on "purchases" ("created_at") where "status" = 'pending'`,
    },
    {
      name: 'purchases_succeeded_created_idx',
      expression: `create index "purchases_succeeded_created_idx" on "purchases" ("created_at") where "status" = 'succeeded'`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    productId: p.uuid(),
    sku: p.string().length(40),
    quantity: p.integer(),
    unitPrice: p.bigint('number'),
    totalPrice: p.bigint('number'),
    priceCurrency: p.enum([...PRICE_CURRENCIES]),
    oneTime: p.boolean().default(false),
    status: p.enum(['pending', 'succeeded', 'failed', 'refunded', 'voided']),
    receiptCode: p.string().length(32).nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
});

/** Stock reserved for a pending (provider-paid) purchase; released when it fails or expires. */
export const StockHold = defineEntity({
  name: 'StockHold',
  tableName: 'stock_holds',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    purchaseId: p.uuid().unique(),
    quantity: p.integer(),
    status: p.enum(['held', 'consumed', 'released']).default('held'),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Every payment-provider callback we accepted, deduplicated by the provider's event id. */
export const PaymentEvent = defineEntity({
  name: 'PaymentEvent',
  tableName: 'payment_events',
  properties: {
    id: p.uuid().primary(),
    providerEventId: p.string().length(64).unique(),
    receiptCode: p.string().length(32),
    status: p.string().length(16),
    result: p.json<Record<string, unknown>>(),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Stored results of idempotent requests: same key + same request → the same result, even after a restart. */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    userId: p.uuid().primary(),
    /** `<scope>:<client key>` */
    key: p.string().length(200).primary(),
    requestHash: p.string().length(64),
    /** the operation's result as JSON (text, so a replay keeps the first answer's key order: jsonb would reorder keys); null while in progress */
    result: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IProduct = InferEntity<typeof Product>;
export type IPurchase = InferEntity<typeof Purchase>;
