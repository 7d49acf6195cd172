import type { EntityManager } from '@mikro-orm/postgresql';
import type { WritePart } from '../sql.ts';

/** Event types written to the outbox (and published on the event stream). */
export type OutboxEventType = 'signup' | 'session_start' | 'session_end' | 'round_settled' | 'progress' | 'reward_granted' | 'purchase';

/** Writes a domain event in the caller's transaction: it is published only if the change that caused it commits. */
export async function writeOutbox(
  em: EntityManager,
  e: { type: OutboxEventType; userId?: string | null; payload: Record<string, unknown>; traceId?: string | null },
): Promise<void> {
  await em.execute(
    `insert into outbox (event_type, user_id, payload, trace_id, version, created_at, attempts) values (?, ?, ?, ?, 1, now(), 0)`,
    [e.type, e.userId ?? null, JSON.stringify(e.payload), e.traceId ?? null],
  );
}

/** The insert of several domain events (one statement, in the given order), to run with `executeTogether` in the caller's transaction. */
export function outboxWrites(
  events: Array<{ type: OutboxEventType; userId?: string | null; payload: Record<string, unknown>; traceId?: string | null }>,
): WritePart[] {
  if (events.length === 0) return [];
  const rows = events.map((e, seq) => ({
    seq,
    event_type: e.type,
    user_id: e.userId ?? null,
    payload: e.payload,
    trace_id: e.traceId ?? null,
  }));
  return [
    {
      sql: `insert into outbox (event_type, user_id, payload, trace_id, version, created_at, attempts)
          select event_type, user_id, payload, trace_id, 1, now(), 0
            from json_to_recordset(?::json) as v(seq int, event_type text, user_id uuid, payload jsonb, trace_id text)
           order by seq`,
      params: [JSON.stringify(rows)],
    },
  ];
}
