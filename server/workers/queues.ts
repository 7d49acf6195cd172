import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';
import { watchRedis, type RedisOutageMetrics } from '../lib/redis.ts';

/** Queue and job names, in one place. */
export const QueueName = { Shop: 'shop', Outbox: 'outbox', Notifications: 'notifications', AdminJobs: 'admin-jobs' } as const;
export const ShopJob = { ReleaseHold: 'release-hold', VoidStalePayments: 'void-stale-payments' } as const;
export const OutboxJob = { Relay: 'relay-outbox' } as const;
export const NotificationJob = { Deliver: 'deliver-notification', Sweep: 'sweep-notifications' } as const;
/** `sweep` (scheduled) claims admin jobs to run; `run` runs one until it ends. */
export const AdminJobsJob = { Sweep: 'sweep', Run: 'run' } as const;

export interface RunAdminJobData {
  jobId: string;
}

export interface ReleaseHoldJobData {
  purchaseId: string;
}

export interface DeliverNotificationJobData {
  notificationId: string;
}

/** How a notification's delivery is retried: this many attempts, the first retry after `backoffMs` (then doubling). */
export interface NotificationRetry {
  attempts: number;
  backoffMs: number;
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
export function createQueues(
  connection: Redis,
  prefix: string,
  watch: BullWatch,
  retry: NotificationRetry = { attempts: 5, backoffMs: 1000 },
) {
  const notifications = watchBull(
    new Queue<DeliverNotificationJobData>(QueueName.Notifications, { connection, prefix }),
    `queue:${QueueName.Notifications}`,
    watch,
  );
  /** One delivery job per notification and run (a retry after a failure is another run). */
  const notificationJobId = (n: { id: string; run: number }) => `notification-${n.id}-${n.run}`;
  const shop = watchBull(new Queue<ReleaseHoldJobData>(QueueName.Shop, { connection, prefix }), `queue:${QueueName.Shop}`, watch);
  const outbox = watchBull(new Queue(QueueName.Outbox, { connection, prefix }), `queue:${QueueName.Outbox}`, watch);
  const adminJobs = watchBull(new Queue(QueueName.AdminJobs, { connection, prefix }), `queue:${QueueName.AdminJobs}`, watch);
  return {
    shop,
    outbox,
    notifications,
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
    /** Delivers a notification at `runAt` (a delayed job; idempotent per notification and run), retried with backoff. */
    notificationScheduler: {
      schedule: async (n: { id: string; run: number; runAt: Date }) => {
        await notifications.add(
          NotificationJob.Deliver,
          { notificationId: n.id },
          {
            delay: Math.max(0, n.runAt.getTime() - Date.now()),
            jobId: notificationJobId(n),
            attempts: retry.attempts,
            backoff: { type: 'exponential', delay: retry.backoffMs },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        );
      },
      unschedule: async (n: { id: string; run: number }) => {
        await notifications.remove(notificationJobId(n));
      },
    },
    close: async () => {
      await notifications.close();
      await shop.close();
      await outbox.close();
      await adminJobs.close();
    },
  };
}
export type Queues = ReturnType<typeof createQueues>;
