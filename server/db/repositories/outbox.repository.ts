import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxEvent } from '../entities/liveops.entity.ts';
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

/** An outbox row waiting to be published. */
export interface OutboxRow {
  id: string;
  event_type: string;
  user_id: string | null;
  payload: unknown;
  trace_id: string | null;
  version: number;
  created_at: string;
  attempts: number;
}

/** Locks up to `limit` due rows, oldest first, skipping rows another relay holds (`skip locked`: relays run side by side). */
export async function lockDueOutbox(em: EntityManager, now: Date, limit: number): Promise<OutboxRow[]> {
  return em.execute<OutboxRow[]>(
    `select id, event_type, user_id, payload, trace_id, version, created_at, attempts from outbox
      where published_at is null and dead_at is null and (next_attempt_at is null or next_attempt_at <= ?)
      order by id limit ? for update skip locked`,
    [now, limit],
  );
}

/** Marks rows published (one UPDATE for the batch). */
export async function markOutboxPublished(em: EntityManager, ids: string[], at: Date): Promise<void> {
  await em.execute('update outbox set published_at = ?, attempts = attempts + 1 where id in (?)', [at, ids]);
}

/** Records a failed publish: retried from `retryAt`, or dead-lettered when `deadAt` is given. */
export async function markOutboxFailed(
  em: EntityManager,
  id: string,
  f: { attempts: number; error: string; retryAt?: Date; deadAt?: Date },
): Promise<void> {
  const set = f.deadAt ? { deadAt: f.deadAt } : { nextAttemptAt: f.retryAt };
  await em.nativeUpdate(OutboxEvent, { id: Number(id) }, { attempts: f.attempts, lastError: f.error, ...set });
}

/** Pending events and the creation time of the oldest. */
export async function outboxBacklog(em: EntityManager): Promise<{ pending: number; oldest: Date | null }> {
  const [r] = await em.execute<{ n: number; oldest: string | null }[]>(
    'select count(*)::int as n, min(created_at) as oldest from outbox where published_at is null and dead_at is null',
  );
  return { pending: r.n, oldest: r.oldest ? new Date(r.oldest) : null };
}
