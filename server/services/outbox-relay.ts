import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../domain/shared/clock.ts';
import { fromJson } from '../db/sql.ts';

/** Publish attempts before an event is dead-lettered. */
export const OUTBOX_MAX_ATTEMPTS = 10;
const KNOWN_TYPES = ['signup', 'session_start', 'session_end', 'round_settled', 'progress', 'reward_granted', 'purchase'] as const;

/** The standard envelope of every published event. */
const Envelope = z.object({
  event_type: z.enum(KNOWN_TYPES),
  user_id: z.string().nullable(),
  ts: z.string(),
  trace_id: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  version: z.number().int().positive(),
});

interface OutboxRow { id: string; event_type: string; user_id: string | null; payload: unknown; trace_id: string | null; version: number; created_at: string; attempts: number }

/** Adds the entry only if this outbox id was never published (marker + XADD in one atomic script). */
const PUBLISH_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', 604800) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000000, '*', unpack(ARGV))
end
return false`;

/**
 * Moves outbox rows to a Redis Stream, oldest first. Each row is published through a script that sets a per-row
 * marker and adds the entry atomically, so a row whose commit was lost after publishing (a crash) is not added
 * twice. Failures are retried with exponential backoff and dead-lettered after OUTBOX_MAX_ATTEMPTS.
 */
export class OutboxRelay {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly clock: Clock,
    private readonly retryBaseMs: number,
  ) {}

  get deadLetterStream() { return `${this.stream}:dead`; }

  /** Publishes up to `limit` due rows; returns how many were published, retried and dead-lettered. */
  async relayBatch(limit = 200): Promise<{ published: number; retried: number; dead: number }> {
    const stats = { published: 0, retried: 0, dead: 0 };
    await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const rows = await em.execute<OutboxRow[]>(
        `select id, event_type, user_id, payload, trace_id, version, created_at, attempts from outbox
          where published_at is null and dead_at is null and (next_attempt_at is null or next_attempt_at <= ?)
          order by id limit ? for update skip locked`, [this.clock.now(), limit]);
      for (const row of rows) {
        try {
          await this.publish(row);
          await em.execute('update outbox set published_at = ?, attempts = attempts + 1 where id = ?', [this.clock.now(), row.id]);
          stats.published++;
        } catch (err) {
          const attempts = row.attempts + 1;
          const message = (err instanceof Error ? err.message : String(err)).slice(0, 250);
          if (attempts >= OUTBOX_MAX_ATTEMPTS) {
            await em.execute('update outbox set attempts = ?, last_error = ?, dead_at = ? where id = ?', [attempts, message, this.clock.now(), row.id]);
            await this.redis.xadd(this.deadLetterStream, '*', 'outbox_id', row.id, 'error', message, 'row', JSON.stringify(row)).catch(() => undefined);
            stats.dead++;
          } else {
            const delay = Math.min(300_000, this.retryBaseMs * 2 ** (attempts - 1));
            await em.execute('update outbox set attempts = ?, last_error = ?, next_attempt_at = ? where id = ?',
              [attempts, message, new Date(this.clock.now().getTime() + delay), row.id]);
            stats.retried++;
          }
        }
      }
    });
    return stats;
  }

  /** Pending events and the age of the oldest (seconds), for the metrics gauges. */
  async backlog(): Promise<{ pending: number; lagSeconds: number }> {
    const [r] = await (this.orm.em.fork() as EntityManager).execute<{ n: number; oldest: string | null }[]>(
      'select count(*)::int as n, min(created_at) as oldest from outbox where published_at is null and dead_at is null');
    return { pending: r.n, lagSeconds: r.oldest ? Math.max(0, (this.clock.now().getTime() - new Date(r.oldest).getTime()) / 1000) : 0 };
  }

  private async publish(row: OutboxRow) {
    const envelope = Envelope.parse({
      event_type: row.event_type, user_id: row.user_id, ts: new Date(row.created_at).toISOString(), trace_id: row.trace_id,
      payload: fromJson(row.payload), version: row.version,
    });
    await this.redis.eval(PUBLISH_ONCE, 2, `${this.stream}:published:${row.id}`, this.stream,
      'outbox_id', row.id, 'event_type', envelope.event_type, 'user_id', envelope.user_id ?? '', 'ts', envelope.ts,
      'trace_id', envelope.trace_id ?? '', 'payload', JSON.stringify(envelope.payload), 'version', String(envelope.version));
  }
}
