import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyKey } from '../entities/shop.entity.ts';
import { fieldList } from '../entity-sql.ts';

/** A stored key: the request it was first used with, and its result once that request completed. */
export interface StoredKey {
  requestHash: string;
  /** the result as JSON text (text, not jsonb, so a replay keeps the first answer's key order), null while in progress */
  result: string | null;
}

/** The idempotency_keys table: one row per (user, scoped key), written in the transaction of the request it guards. */
export const idempotencyKeys = {
  /**
   * Takes the key for this request; false when it exists already. Kept as SQL: `on conflict do nothing` makes a
   * concurrent request with the same key wait for the first one's transaction, where the ORM's insert would fail.
   */
  async take(em: EntityManager, userId: string, key: string, requestHash: string): Promise<boolean> {
    const inserted = await em.execute<unknown[]>(
      `insert into idempotency_keys (user_id, key, request_hash, created_at) values (?, ?, ?, now()) on conflict do nothing returning key`,
      [userId, key, requestHash],
    );
    return inserted.length > 0;
  },

  // find and complete are raw too: on the purchase path the ORM's findOne / nativeUpdate measured ~0.5 ms slower each

  async find(em: EntityManager, userId: string, key: string): Promise<StoredKey> {
    const [row] = await em.execute<{ request_hash: string; result: string | null }[]>(
      `select ${fieldList(em, IdempotencyKey, ['requestHash', 'result'])} from idempotency_keys where user_id = ? and key = ?`,
      [userId, key],
    );
    return { requestHash: row.request_hash, result: row.result };
  },

  /** Stores the result of the request that took the key. */
  async complete(em: EntityManager, userId: string, key: string, result: string): Promise<void> {
    await em.execute('update idempotency_keys set result = ? where user_id = ? and key = ?', [result, userId, key]);
  },
};
