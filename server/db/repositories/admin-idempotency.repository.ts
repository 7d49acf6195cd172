import type { EntityManager } from '@mikro-orm/postgresql';

/** An admin write's key as stored: the first request's fingerprint and, once it finished, its response. */
export interface StoredAdminKey {
  fingerprint: string;
  status: 'running' | 'done';
  responseStatus: number | null;
  /** JSON text */
  responseBody: string | null;
}

/** The admin_idempotency_keys table: one row per (operator, Idempotency-Key). */
export const adminIdempotencyKeys = {
  /**
   * Takes the key for a new request (status `running`); false when it is taken. Run on its own (autocommit), so a
   * concurrent request with the same key sees the row at once instead of waiting on a lock. A `running` row older than
   * `staleBefore` with the same fingerprint (its process died) is taken over.
   */
  async claim(em: EntityManager, actorId: string, key: string, fingerprint: string, now: Date, staleBefore: Date): Promise<boolean> {
    const rows = await em.execute<unknown[]>(
      `insert into admin_idempotency_keys (actor_id, key, fingerprint, status, started_at) values (?, ?, ?, 'running', ?)
       on conflict (actor_id, key) do update set started_at = excluded.started_at
         where admin_idempotency_keys.status = 'running' and admin_idempotency_keys.started_at < ?
           and admin_idempotency_keys.fingerprint = excluded.fingerprint
       returning key`,
      [actorId, key, fingerprint, now, staleBefore],
    );
    return rows.length > 0;
  },

  async find(em: EntityManager, actorId: string, key: string): Promise<StoredAdminKey | undefined> {
    const [row] = await em.execute<Array<Record<string, unknown>>>(
      `select fingerprint, status, response_status, response_body from admin_idempotency_keys where actor_id = ? and key = ?`,
      [actorId, key],
    );
    if (!row) return undefined;
    return {
      fingerprint: row.fingerprint as string,
      status: row.status as StoredAdminKey['status'],
      responseStatus: row.response_status as number | null,
      responseBody: row.response_body as string | null,
    };
  },

  /** Stores the response (in the transaction of the write it answers). */
  async complete(em: EntityManager, actorId: string, key: string, status: number, body: string, now: Date): Promise<void> {
    await em.execute(
      `update admin_idempotency_keys set status = 'done', response_status = ?, response_body = ?, completed_at = ? where actor_id = ? and key = ?`,
      [status, body, now, actorId, key],
    );
  },

  /** Gives a key back after an unexpected failure, so a retry runs again. */
  async release(em: EntityManager, actorId: string, key: string): Promise<void> {
    await em.execute(`delete from admin_idempotency_keys where actor_id = ? and key = ? and status = 'running'`, [actorId, key]);
  },
};
