import type { EntityManager } from '@mikro-orm/postgresql';
import { InventoryItem } from '../entities/inventory.entity.ts';
import { fieldList } from '../entity-sql.ts';

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
  await em.execute(
    `insert into inventory_items (id, user_id, item_id, quantity, source, acquired_at) values (gen_random_uuid(), ?, ?, ?, ?, now())
     on conflict (user_id, item_id) do update set quantity = inventory_items.quantity + excluded.quantity`,
    [userId, itemId, quantity, source],
  );
}

/** The inventory_items table. */
export const inventory = {
  grant: grantItem,

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
