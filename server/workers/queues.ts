import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';
import { watchRedis, type RedisOutageMetrics } from '../lib/redis.ts';

/** Queue and job names, in one place. */
export const QueueName = { Shop: 'shop', Outbox: 'outbox', AdminJobs: 'admin-jobs' } as const;
export const ShopJob = { ReleaseHold: 'release-hold', VoidStalePayments: 'void-stale-payments' } as const;
export const OutboxJob = { Relay: 'relay-outbox' } as const;
/** `sweep` (scheduled) claims admin jobs to run; `run` runs one until it ends. */
export const AdminJobsJob = { Sweep: 'sweep', Run: 'run' } as const;

export interface RunAdminJobData {
  jobId: string;
}

export interface ReleaseHoldJobData {
  purchaseId: string;
}

/** Where BullMQ queues and workers report a Redis outage: the process's logger and, when it serves them, its metrics. */
export interface BullWatch {
  logger: Logger;
  metrics?: RedisOutageMetrics;
}

/**
 * Hands a BullMQ Queue's, Worker's or QueueEvents' `error` events to watchRedis (one warning per outage). Without an
 * `error` listener BullMQ prints every failed reconnection attempt to the console as a raw stack.
 */
export function watchBull<
  T extends { on(event: 'error', fn: (err: Error) => void): unknown; getBackend(): { on(event: 'ready', fn: () => void): unknown } },
>(q: T, name: string, watch: BullWatch): T {
  return watchRedis(q, watch.logger, name, { metrics: watch.metrics, readyFrom: q.getBackend() });
}

/** The queues a process enqueues into. `prefix` isolates runs sharing a Redis. */
export function createQueues(connection: Redis, prefix: string, watch: BullWatch) {
  const shop = watchBull(new Queue<ReleaseHoldJobData>(QueueName.Shop, { connection, prefix }), `queue:${QueueName.Shop}`, watch);
  const outbox = watchBull(new Queue(QueueName.Outbox, { connection, prefix }), `queue:${QueueName.Outbox}`, watch);
  const adminJobs = watchBull(new Queue(QueueName.AdminJobs, { connection, prefix }), `queue:${QueueName.AdminJobs}`, watch);
  return {
    shop,
    outbox,
    adminJobs,
    /** Expires a purchase's stock hold after `delayMs` (idempotent per purchase: one job id). */
    scheduleHoldExpiry: async (purchaseId: string, delayMs: number) => {
      await shop.add(
        ShopJob.ReleaseHold,
        { purchaseId },
        {
          delay: delayMs,
          jobId: `hold-${purchaseId}`,
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      );
    },
    close: async () => {
      await shop.close();
      await outbox.close();
      await adminJobs.close();
    },
  };
}
export type Queues = ReturnType<typeof createQueues>;
