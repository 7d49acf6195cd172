import type { EntityManager } from '@mikro-orm/postgresql';

/** The player_tags table: one row per (player, tag). */
export const playerTags = {
  /** Tags the given players (existing players only) with `tag`; returns the players newly tagged. */
  async add(em: EntityManager, userIds: string[], tag: string, at: Date): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await em.execute<Array<{ user_id: string }>>(
      `insert into player_tags (user_id, tag, created_at)
       select u.id, ?, ? from users u where u.id = any(?::uuid[]) and u.role = 'player'
       on conflict (user_id, tag) do nothing returning user_id`,
      [tag, at, toArray(userIds)],
    );
    return rows.map((r) => r.user_id);
  },

  /** Removes `tag` from the given players; returns the players it was removed from. */
  async remove(em: EntityManager, userIds: string[], tag: string): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await em.execute<Array<{ user_id: string }>>(
      `delete from player_tags where tag = ? and user_id = any(?::uuid[]) returning user_id`,
      [tag, toArray(userIds)],
    );
    return rows.map((r) => r.user_id);
  },

  /** One player's tags, by name. */
  async ofPlayer(em: EntityManager, userId: string): Promise<Array<{ tag: string; createdAt: Date }>> {
    const rows = await em.execute<Array<{ tag: string; created_at: string | Date }>>(
      `select tag, created_at from player_tags where user_id = ? order by tag`,
      [userId],
    );
    return rows.map((r) => ({ tag: r.tag, createdAt: new Date(r.created_at) }));
  },

  async isPlayer(em: EntityManager, userId: string): Promise<boolean> {
    const rows = await em.execute<unknown[]>(`select 1 from users where id = ? and role = 'player'`, [userId]);
    return rows.length > 0;
  },

  /** Every tag in use with its number of players, most used first (for the rule builder's menu). */
  async inUse(em: EntityManager, limit: number): Promise<Array<{ tag: string; players: number }>> {
    return em.execute<Array<{ tag: string; players: number }>>(
      `select tag, count(*)::int as players from player_tags group by tag order by players desc, tag limit ?`,
      [limit],
    );
  },
};

/** A PostgreSQL array literal of uuids (validated by the caller), passed as one text parameter. */
function toArray(ids: string[]): string {
  return `{${ids.join(',')}}`;
}
