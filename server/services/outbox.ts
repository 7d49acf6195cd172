import type { EntityManager } from '@mikro-orm/postgresql';

/** Event types written to the outbox (and published on the event stream). */
export type OutboxEventType = 'signup' | 'session_start' | 'session_end' | 'round_settled' | 'progress' | 'reward_granted' | 'purchase';

/** Writes a domain event in the caller's transaction: it is published only if the change that caused it commits. */
export async function writeOutbox(em: EntityManager, e: { type: OutboxEventType; userId?: string | null; payload: Record<string, unknown>; traceId?: string | null }): Promise<void> {
  await em.execute(
    `insert into outbox (event_type, user_id, payload, trace_id, version, created_at, attempts) values (?, ?, ?, ?, 1, now(), 0)`,
    [e.type, e.userId ?? null, JSON.stringify(e.payload), e.traceId ?? null]);
}
