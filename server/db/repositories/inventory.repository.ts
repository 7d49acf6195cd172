import type { EntityManager } from '@mikro-orm/postgresql';
import { InventoryItem } from '../entities/inventory.entity.ts';
import { fieldList } from '../entity-sql.ts';
import type { WritePart } from '../sql.ts';

/** An item a player owns; timestamps in PostgreSQL's text form, as the API sends them. */
export interface InventoryListing {
  itemId: string;
  quantity: number;
  source: string;
  acquiredAt: string;
  expiresAt: string | null;
}

/**
 * Adds `quantity` of an item to a player's inventory (one row per user and item), inside the caller's transaction.
 * Kept as SQL: the upsert adds to a row a concurrent grant may be adding to as well, without a lost update.
 */
export async function grantItem(em: EntityManager, userId: string, itemId: string, quantity: number, source: string): Promise<void> {
  await em.execute(GRANT_ITEM, [userId, itemId, quantity, source]);
}

const GRANT_ITEM = `insert into inventory_items (id, user_id, item_id, quantity, source, acquired_at) values (gen_random_uuid(), ?, ?, ?, ?, now())
     on conflict (user_id, item_id) do update set quantity = inventory_items.quantity + excluded.quantity`;

/**
 * The same grants as parts of one statement (`executeTogether`), an upsert per item: the units of an item listed
 * twice are added up first, since one statement may not upsert the same row twice (the row ends the same).
 */
function grantParts(userId: string, items: Array<{ item_id: string; quantity: number }>, source: string): WritePart[] {
  const units = new Map<string, number>();
  for (const i of items) units.set(i.item_id, (units.get(i.item_id) ?? 0) + i.quantity);
  return [...units].map(([itemId, quantity]) => ({ sql: GRANT_ITEM, params: [userId, itemId, quantity, source] }));
}

/** The inventory_items table. */
export const inventory = {
  grant: grantItem,
  grantParts,

  /** The player's items, oldest first. */
  async listForUser(em: EntityManager, userId: string): Promise<InventoryListing[]> {
    const cols = fieldList(em, InventoryItem, ['itemId', 'quantity', 'source', 'acquiredAt', 'expiresAt']);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${cols} from inventory_items where user_id = ? and quantity > 0 order by acquired_at`,
      [userId],
    );
    return rows.map((r) => ({
      itemId: r.item_id as string,
      quantity: r.quantity as number,
      source: r.source as string,
      acquiredAt: r.acquired_at as string,
      expiresAt: r.expires_at as string | null,
    }));
  },
};
