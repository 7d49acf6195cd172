import type { Job } from 'bullmq';
import type { ShopService } from '../../services/shop/shop.service.ts';
import { ShopJob, type ReleaseHoldJobData } from '../queues.ts';

/** Shop jobs: a hold's expiry voids its still-pending purchase and returns the stock; the sweep voids stale payments. */
export async function processShopJob(
  job: Job<ReleaseHoldJobData>,
  deps: { shop: Pick<ShopService, 'voidStale'>; pendingMaxAgeSeconds: number },
) {
  if (job.name === ShopJob.ReleaseHold) return { voided: await deps.shop.voidStale({ purchaseId: job.data.purchaseId }) };
  if (job.name === ShopJob.VoidStalePayments) return { voided: await deps.shop.voidStale({ maxAgeSeconds: deps.pendingMaxAgeSeconds }) };
  throw new Error(`unknown shop job ${job.name}`);
}
