import type { Job } from 'bullmq';
import type { NotificationDeliveryService } from '../../services/admin/notifications/delivery.service.ts';
import { NotificationJob, type DeliverNotificationJobData } from '../queues.ts';

/** How late a scheduled notification may be before the sweep queues it again (its delayed job was lost). */
const SWEEP_GRACE_MS = 60_000;

/** Delivers a notification (the last attempt leaves it `failed`), or sweeps overdue ones. */
export async function processNotificationJob(job: Job<DeliverNotificationJobData>, d: { delivery: NotificationDeliveryService }) {
  if (job.name === NotificationJob.Sweep) return { requeued: await d.delivery.sweepOverdue(SWEEP_GRACE_MS) };
  return d.delivery.deliver(job.data.notificationId, { final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
}
