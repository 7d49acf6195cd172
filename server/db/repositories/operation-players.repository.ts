import type { EntityManager } from '@mikro-orm/postgresql';

/** What an operation reads and changes of one player besides wallets (locked where it changes them). */
export const operationFacts = {
  /** The player's status, the row locked for the caller's transaction; null when there is no such player. */
  async lockStatus(em: EntityManager, userId: string): Promise<string | null> {
    const [row] = await em.execute<Array<{ status: string }>>(`select status from users where id = ? for update`, [userId]);
    return row?.status ?? null;
  },

  async status(em: EntityManager, userId: string): Promise<string | null> {
    const [row] = await em.execute<Array<{ status: string }>>(`select status from users where id = ?`, [userId]);
    return row?.status ?? null;
  },

  async hasTag(em: EntityManager, userId: string, tag: string): Promise<boolean> {
    const [row] = await em.execute<Array<{ found: boolean }>>(
      `select exists (select 1 from player_tags where user_id = ? and tag = ?) as found`,
      [userId, tag],
    );
    return Boolean(row?.found);
  },

  async itemQuantity(em: EntityManager, userId: string, itemId: string): Promise<number> {
    const [row] = await em.execute<Array<{ quantity: number }>>(`select quantity from inventory_items where user_id = ? and item_id = ?`, [
      userId,
      itemId,
    ]);
    return row ? Number(row.quantity) : 0;
  },

  /** Takes `quantity` of an item back; false (nothing changed) when the player holds fewer. */
  async takeItem(em: EntityManager, userId: string, itemId: string, quantity: number): Promise<boolean> {
    const rows = await em.execute<unknown[]>(
      `update inventory_items set quantity = quantity - ? where user_id = ? and item_id = ? and quantity >= ? returning 1`,
      [quantity, userId, itemId, quantity],
    );
    return rows.length > 0;
  },
};

/** Reads over a segment's members (the select of `membersSql`, one `user_id` column). */
export const segmentMembers = {
  async count(em: EntityManager, members: { sql: string; params: unknown[] }): Promise<number> {
    const [row] = await em.execute<Array<{ n: string }>>(`select count(*) as n from (${members.sql}) m`, members.params);
    return Number(row.n);
  },

  async sample(em: EntityManager, members: { sql: string; params: unknown[] }, limit: number): Promise<string[]> {
    const rows = await em.execute<Array<{ user_id: string }>>(`select m.user_id from (${members.sql}) m order by m.user_id limit ?`, [
      ...members.params,
      limit,
    ]);
    return rows.map((r) => r.user_id);
  },

  /** The select of a segment target's job items: each member with an empty payload. */
  itemsSql(members: { sql: string; params: unknown[] }): { sql: string; params: unknown[] } {
    return { sql: `select m.user_id, '{}'::jsonb as payload from (${members.sql}) m order by m.user_id`, params: members.params };
  },

  async usernames(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows = await em.execute<Array<{ id: string; username: string }>>(
      `select id, username from users where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(ids)],
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  },
};
