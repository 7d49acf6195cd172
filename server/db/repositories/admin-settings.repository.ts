import type { EntityManager } from '@mikro-orm/postgresql';
import { fromJson } from '../sql.ts';

/** The admin_settings table: console-wide switches, one JSON value per key. */
export const adminSettings = {
  async get<T>(em: EntityManager, key: string): Promise<T | undefined> {
    const [row] = await em.execute<Array<{ value: unknown }>>(`select value from admin_settings where key = ?`, [key]);
    return row ? fromJson<T>(row.value) : undefined;
  },

  async set(em: EntityManager, key: string, value: unknown, updatedBy: string | null, now: Date): Promise<void> {
    await em.execute(
      `insert into admin_settings (key, value, updated_at, updated_by) values (?, ?::jsonb, ?, ?)
       on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [key, JSON.stringify(value), now, updatedBy],
    );
  },
};
