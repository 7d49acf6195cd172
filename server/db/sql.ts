import type { EntityManager } from '@mikro-orm/postgresql';

/** A json/jsonb column from a raw query: the driver may hand it over parsed or as text. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Adds `quantity` of an item to a player's inventory (one row per user and item), inside the caller's transaction. */
export async function grantItem(em: EntityManager, userId: string, itemId: string, quantity: number, source: string): Promise<void> {
  await em.execute(
    `insert into inventory_items (id, user_id, item_id, quantity, source, acquired_at) values (gen_random_uuid(), ?, ?, ?, ?, now())
     on conflict (user_id, item_id) do update set quantity = inventory_items.quantity + excluded.quantity`, [userId, itemId, quantity, source]);
}
