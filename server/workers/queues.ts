import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Queue and job names, in one place. */
export const QueueName = { Shop: 'shop', Outbox: 'outbox' } as const;
export const ShopJob = { ReleaseHold: 'release-hold', VoidStalePayments: 'void-stale-payments' } as const;
export const OutboxJob = { Relay: 'relay-outbox' } as const;

export interface ReleaseHoldJobData { purchaseId: string }

/** The queues a process enqueues into. `prefix` isolates runs sharing a Redis. */
export function createQueues(connection: Redis, prefix: string) {
  const shop = new Queue<ReleaseHoldJobData>(QueueName.Shop, { connection, prefix });
  const outbox = new Queue(QueueName.Outbox, { connection, prefix });
  return {
    shop,
    outbox,
    /** Expires a purchase's stock hold after `delayMs` (idempotent per purchase: one job id). */
    scheduleHoldExpiry: async (purchaseId: string, delayMs: number) => {
      await shop.add(ShopJob.ReleaseHold, { purchaseId }, {
        delay: delayMs, jobId: `hold-${purchaseId}`, attempts: 5, backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000, removeOnFail: 5000,
      });
    },
    close: async () => { await shop.close(); await outbox.close(); },
  };
}
export type Queues = ReturnType<typeof createQueues>;
