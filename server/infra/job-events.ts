import type { JobStatus } from '../db/entities/admin-job.entity.ts';
import type { JobCounts } from '../db/repositories/admin-jobs.repository.ts';
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
