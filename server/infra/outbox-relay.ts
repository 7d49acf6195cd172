import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../domain/shared/clock.ts';
import { fromJson } from '../db/sql.ts';
import * as outbox from '../db/repositories/outbox.repository.ts';
import type { OutboxRow } from '../db/repositories/outbox.repository.ts';

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

/** Adds the entry only if this outbox id was never published (marker + XADD in one atomic script). */
const PUBLISH_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', 604800) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', 1000000, '*', unpack(ARGV))
end
return false`;

/** Rows taken per transaction, and the most transactions one relay run makes before it yields to the next run. */
const BATCH_ROWS = 500;
const BATCHES_PER_RUN = 10;

/**
 * Moves outbox rows to a Redis Stream, oldest first. Each row is published through a script that sets a per-row
 * marker and adds the entry atomically, so a row whose commit was lost after publishing (a crash) is not added
 * twice. A batch's scripts go to Redis in one pipeline (run in order) and its published rows are marked with one
 * UPDATE. Failures are retried with exponential backoff and dead-lettered after OUTBOX_MAX_ATTEMPTS. A run while the
 * Redis connection is not ready publishes nothing and leaves the rows' attempts alone.
 */
export class OutboxRelay {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly clock: Clock,
    private readonly retryBaseMs: number,
  ) {}

  get deadLetterStream() {
    return `${this.stream}:dead`;
  }

  /** Publishes due rows, batch after batch while full batches keep coming (at most BATCHES_PER_RUN of them). */
  async relayDue(): Promise<{ published: number; retried: number; dead: number }> {
    const total = { published: 0, retried: 0, dead: 0 };
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const got = await this.relayBatch(BATCH_ROWS);
      total.published += got.published;
      total.retried += got.retried;
      total.dead += got.dead;
      if (got.published + got.retried + got.dead < BATCH_ROWS) break;
    }
    return total;
  }

  /** Publishes up to `limit` due rows in one transaction; returns how many were published, retried and dead-lettered. */
  async relayBatch(limit = BATCH_ROWS): Promise<{ published: number; retried: number; dead: number }> {
    const stats = { published: 0, retried: 0, dead: 0 };
    // Redis away (or not reconnected yet, while BullMQ's connection already is): every publish would fail and count
    // as an attempt of each row. The rows wait for a later run instead.
    if (this.redis.status !== 'ready') return stats;
    await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const rows = await outbox.lockDueOutbox(em, this.clock.now(), limit);
      if (rows.length === 0) return;
      const failures = await this.publishAll(rows);
      const published = rows.filter((r) => !failures.has(r.id)).map((r) => r.id);
      if (published.length > 0) {
        await outbox.markOutboxPublished(em, published, this.clock.now());
        stats.published = published.length;
      }
      for (const row of rows) {
        const err = failures.get(row.id);
        if (err === undefined) continue;
        const attempts = row.attempts + 1;
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 250);
        if (attempts >= OUTBOX_MAX_ATTEMPTS) {
          await outbox.markOutboxFailed(em, row.id, { attempts, error: message, deadAt: this.clock.now() });
          await this.redis
            .xadd(this.deadLetterStream, '*', 'outbox_id', row.id, 'error', message, 'row', JSON.stringify(row))
            .catch(() => undefined);
          stats.dead++;
        } else {
          const delay = Math.min(300_000, this.retryBaseMs * 2 ** (attempts - 1));
          await outbox.markOutboxFailed(em, row.id, { attempts, error: message, retryAt: new Date(this.clock.now().getTime() + delay) });
          stats.retried++;
        }
      }
    });
    return stats;
  }

  /** Pending events and the age of the oldest (seconds), for the metrics gauges. */
  async backlog(): Promise<{ pending: number; lagSeconds: number }> {
    const r = await outbox.outboxBacklog(this.orm.em.fork() as EntityManager);
    return { pending: r.pending, lagSeconds: r.oldest ? Math.max(0, (this.clock.now().getTime() - r.oldest.getTime()) / 1000) : 0 };
  }

  /** Sends every row's publish script in one pipeline; returns the rows that failed (a bad envelope, a Redis error) and why. */
  private async publishAll(rows: OutboxRow[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const pipeline = this.redis.pipeline();
    const sent: OutboxRow[] = [];
    for (const row of rows) {
      try {
        pipeline.eval(PUBLISH_ONCE, 2, `${this.stream}:published:${row.id}`, this.stream, ...this.fields(row));
        sent.push(row);
      } catch (err) {
        failures.set(row.id, err);
      }
    }
    if (sent.length === 0) return failures;
    const replies = await pipeline.exec().catch((err: unknown) => sent.map(() => [err, null] as [unknown, unknown]));
    sent.forEach((row, i) => {
      const err = replies?.[i]?.[0] ?? (replies ? null : new Error('Redis gave no reply'));
      if (err) failures.set(row.id, err);
    });
    return failures;
  }

  /** The stream entry's fields: the standard envelope (validated) and the outbox id. */
  private fields(row: OutboxRow): string[] {
    const envelope = Envelope.parse({
      event_type: row.event_type,
      user_id: row.user_id,
      ts: new Date(row.created_at).toISOString(),
      trace_id: row.trace_id,
      payload: fromJson(row.payload),
      version: row.version,
    });
    return [
      'outbox_id',
      row.id,
      'event_type',
      envelope.event_type,
      'user_id',
      envelope.user_id ?? '',
      'ts',
      envelope.ts,
      'trace_id',
      envelope.trace_id ?? '',
      'payload',
      JSON.stringify(envelope.payload),
      'version',
      String(envelope.version),
    ];
  }
}
