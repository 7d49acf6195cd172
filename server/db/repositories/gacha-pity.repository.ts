import type { EntityManager } from '@mikro-orm/postgresql';
import { InventoryItem } from '../entities/inventory.entity.ts';
import { fromJson } from '../sql.ts';

/** A player's pity state on a banner, or null before the first pull. */
export async function findPityState(em: EntityManager, userId: string, bannerId: string): Promise<unknown> {
  const rows = await em.execute<{ state: unknown }[]>('select state from gacha_pity where user_id = ? and banner_id = ?', [
    userId,
    bannerId,
  ]);
  return rows[0] ? fromJson(rows[0].state) : null;
}

/** Locks the player's pity row on a banner for the transaction (creating it at `initial`); returns its state. */
export async function lockPityState(
  em: EntityManager,
  userId: string,
  bannerId: string,
  initial: Record<string, unknown>,
): Promise<unknown> {
  await em.execute(
    `insert into gacha_pity (user_id, banner_id, state, pulls, updated_at) values (?, ?, ?, 0, now()) on conflict do nothing`,
    [userId, bannerId, JSON.stringify(initial)],
  );
  const [row] = await em.execute<{ state: unknown }[]>('select state from gacha_pity where user_id = ? and banner_id = ? for update', [
    userId,
    bannerId,
  ]);
  return fromJson(row.state);
}

/** Stores the pity state after `pulls` more pulls (the row is locked by `lockPityState`). */
export async function savePityState(em: EntityManager, userId: string, bannerId: string, state: unknown, pulls: number): Promise<void> {
  await em.execute(`update gacha_pity set state = ?, pulls = pulls + ?, updated_at = now() where user_id = ? and banner_id = ?`, [
    JSON.stringify(state),
    pulls,
    userId,
    bannerId,
  ]);
}

/** Which of these items the player owns (quantity > 0). */
export async function ownedItemIds(em: EntityManager, userId: string, itemIds: string[]): Promise<Set<string>> {
  const rows = await em.find(
    InventoryItem,
    { userId, itemId: { $in: itemIds }, quantity: { $gt: 0 } },
    { fields: ['itemId'], disableIdentityMap: true },
  );
  return new Set(rows.map((r) => r.itemId));
}
