import type { Job, Queue } from 'bullmq';
import type { JobsService } from '../../services/admin/jobs/jobs.service.ts';
import { AdminJobsJob, type RunAdminJobData } from '../queues.ts';

/**
 * Admin jobs: the scheduled sweep claims the jobs this process can run (new ones, and running ones whose worker died)
 * and queues a `run` for each; a `run` runs one job to its end, in chunks. A claimed job whose `run` never starts is
 * claimed again once its heartbeat is stale.
 */
export async function processAdminJobsJob(
  job: Job<RunAdminJobData>,
  deps: { jobs: Pick<JobsService, 'claimRunnable' | 'run'>; queue: Queue },
) {
  if (job.name === AdminJobsJob.Sweep) {
    const ids = await deps.jobs.claimRunnable();
    for (const jobId of ids) await deps.queue.add(AdminJobsJob.Run, { jobId }, { removeOnComplete: 1000, removeOnFail: 1000 });
    return { claimed: ids.length };
  }
  if (job.name === AdminJobsJob.Run) return { status: (await deps.jobs.run(job.data.jobId))?.status ?? null };
  throw new Error(`unknown admin-jobs job ${job.name}`);
}
