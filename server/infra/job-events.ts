import type { JobStatus } from '../db/entities/admin-job.entity.ts';
import type { JobCounts } from '../db/repositories/admin-jobs.repository.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';
import { watchRedis } from '../lib/redis.ts';
import type { RedisGuard } from '../lib/redis-guard.ts';

/** What the console hears whenever a job moves (created, started, a chunk done, ended, canceled, retried). */
export interface JobEvent {
  id: string;
  kind: string;
  status: JobStatus;
  counts: JobCounts;
}

/** The Redis pub/sub channel of job events (one per deployment). */
export const jobEventsChannel = (redisPrefix: string) => `${redisPrefix}admin-jobs`;

/** Publishes job events for the console's streams, best effort: progress is also readable from the job row. */
export class JobEventsPublisher {
  constructor(
    private readonly redis: RedisGuard,
    private readonly redisPrefix: string,
  ) {}

  async publish(e: JobEvent): Promise<void> {
    await this.redis.orElse(
      'jobs.progress',
      (r) => r.publish(jobEventsChannel(this.redisPrefix), JSON.stringify(e)),
      () => 0,
      'progress event dropped',
    );
  }
}

/**
 * Job events for this process's console streams: one Redis subscriber connection, opened while at least one stream
 * listens and closed when the last one goes.
 */
export class JobEventsSubscriber {
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private sub?: { conn: Redis; ready: Promise<void> };

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * Calls `fn` with every job event until `stop()`; `ready` settles once the subscription is active (events published
   * before it are not seen).
   */
  listen(fn: (e: JobEvent) => void): { ready: Promise<void>; stop: () => void } {
    this.listeners.add(fn);
    const sub = this.sub ?? this.open();
    return {
      ready: sub.ready,
      stop: () => {
        this.listeners.delete(fn);
        if (this.listeners.size === 0 && this.sub === sub) {
          sub.conn.disconnect();
          this.sub = undefined;
        }
      },
    };
  }

  private open(): { conn: Redis; ready: Promise<void> } {
    // the app connection fails fast while Redis is down; this one waits for it (and subscribes again after a reconnect)
    const conn = this.redis.duplicate({ enableOfflineQueue: true });
    if (this.logger) watchRedis(conn, this.logger, 'job-events');
    else conn.on('error', () => undefined);
    conn.on('message', (_channel: string, message: string) => {
      let e: JobEvent;
      try {
        e = JSON.parse(message) as JobEvent;
      } catch {
        return;
      }
      for (const fn of this.listeners) fn(e);
    });
    const ready = conn.subscribe(jobEventsChannel(this.redisPrefix)).then(
      () => undefined,
      (err: unknown) => this.logger?.warn({ err }, 'job events: subscribe failed'),
    );
    this.sub = { conn, ready };
    return this.sub;
  }
}
