import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/shared/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { RedisOutageMetrics } from '../lib/redis.ts';
import type { OutboxRelay } from '../infra/outbox-relay.ts';
import type { ShopService } from '../services/shop/shop.service.ts';
import type { NotificationDeliveryService } from '../services/admin/notifications/delivery.service.ts';
import type { JobsService } from '../services/admin/jobs/jobs.service.ts';
import { processAdminJobsJob } from './processors/admin-jobs.processor.ts';
import { processNotificationJob } from './processors/notifications.processor.ts';
import { processShopJob } from './processors/shop.processor.ts';
import { AdminJobsJob, NotificationJob, OutboxJob, QueueName, ShopJob, watchBull, type Queues } from './queues.ts';

/**
 * Starts the BullMQ workers and job schedulers. A DomainError is bad data: not retried (UnrecoverableError);
 * anything else is retried with backoff.
 */
export async function startWorkers(d: {
  connection: Redis;
  prefix: string;
  queues: Queues;
  shop: ShopService;
  relay: OutboxRelay;
  notifications: NotificationDeliveryService;
  relayEveryMs?: number;
  jobs: JobsService;
  /** how often the admin-jobs sweep looks for jobs to run (ADMIN_JOB_POLL_MS) */
  adminJobPollMs: number;
  pendingMaxAgeSeconds: number;
  logger: Logger;
  metrics?: RedisOutageMetrics;
}) {
  const watch = { logger: d.logger, metrics: d.metrics };
  const shopWorker = new Worker(
    QueueName.Shop,
    async (job) => {
      try {
        return await processShopJob(job, { shop: d.shop, pendingMaxAgeSeconds: d.pendingMaxAgeSeconds });
      } catch (err) {
        if (err instanceof DomainError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    },
    { connection: d.connection, prefix: d.prefix, concurrency: 4 },
  );
  watchBull(shopWorker, `worker:${QueueName.Shop}`, watch);
  shopWorker.on('failed', (job, err) => d.logger.warn({ job: job?.name, id: job?.id, err: err.message }, 'job failed'));
  await d.queues.shop.upsertJobScheduler(ShopJob.VoidStalePayments, { every: 60_000 }, { name: ShopJob.VoidStalePayments });
  // one relay at a time keeps the stream in outbox order
  const outboxWorker = watchBull(
    new Worker(QueueName.Outbox, () => d.relay.relayDue(), { connection: d.connection, prefix: d.prefix, concurrency: 1 }),
    `worker:${QueueName.Outbox}`,
    watch,
  );
  outboxWorker.on('failed', (job, err) => d.logger.warn({ job: job?.name, err: err.message }, 'outbox relay failed'));
  await d.queues.outbox.upsertJobScheduler(
    OutboxJob.Relay,
    { every: d.relayEveryMs ?? 1000 },
    { name: OutboxJob.Relay, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const notificationWorker = watchBull(
    new Worker(
      QueueName.Notifications,
      async (job) => {
        try {
          return await processNotificationJob(job, { delivery: d.notifications });
        } catch (err) {
          if (err instanceof DomainError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
          throw err;
        }
      },
      { connection: d.connection, prefix: d.prefix, concurrency: 2 },
    ),
    `worker:${QueueName.Notifications}`,
    watch,
  );
  notificationWorker.on('failed', (job, err) =>
    d.logger.warn({ job: job?.name, id: job?.id, err: err.message }, 'notification job failed'),
  );
  // a delayed job lost with Redis' data is caught up here: scheduled notifications past their time are queued again
  await d.queues.notifications.upsertJobScheduler(
    NotificationJob.Sweep,
    { every: 30_000 },
    { name: NotificationJob.Sweep, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  // a slot for the sweep and three jobs at a time per process
  const adminJobsWorker = watchBull(
    new Worker(QueueName.AdminJobs, (job) => processAdminJobsJob(job, { jobs: d.jobs, queue: d.queues.adminJobs }), {
      connection: d.connection,
      prefix: d.prefix,
      concurrency: 4,
    }),
    `worker:${QueueName.AdminJobs}`,
    watch,
  );
  adminJobsWorker.on('failed', (job, err) => d.logger.warn({ job: job?.name, data: job?.data, err: err.message }, 'admin job failed'));
  await d.queues.adminJobs.upsertJobScheduler(
    AdminJobsJob.Sweep,
    { every: d.adminJobPollMs },
    { name: AdminJobsJob.Sweep, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  return {
    close: async () => {
      // running admin jobs stop at their next item and are left to another worker, instead of holding the shutdown
      d.jobs.stop();
      await adminJobsWorker.close();
      await notificationWorker.close();
      await shopWorker.close();
      await outboxWorker.close();
    },
  };
}
