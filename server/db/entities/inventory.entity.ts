import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Items a player owns (gacha pulls now; shop purchases later). One row per (user, item). */
export const InventoryItem = defineEntity({
  name: 'InventoryItem',
  tableName: 'inventory_items',
  uniques: [{ name: 'inventory_items_user_item_unique', properties: ['userId', 'itemId'] }],
  checks: [{ name: 'inventory_items_quantity_non_negative', expression: 'quantity >= 0' }],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().index(),
    itemId: p.string().length(64),
    quantity: p.integer().default(1),
    source: p.string().length(32),
    acquiredAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
  },
});

/** Gacha pity counters per player and banner (JSON state owned by domain/games/gacha). */
export const GachaPity = defineEntity({
  name: 'GachaPity',
  tableName: 'gacha_pity',
  properties: {
    userId: p.uuid().primary(),
    bannerId: p.string().length(32).primary(),
    state: p.json<Record<string, unknown>>(),
    pulls: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IInventoryItem = InferEntity<typeof InventoryItem>;
