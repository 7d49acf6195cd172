import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobItemRecord, JobRecord } from '../../../db/repositories/admin-jobs.repository.ts';

export type { JobCounts, JobItemRecord, JobRecord } from '../../../db/repositories/admin-jobs.repository.ts';
export type { JobItemStatus, JobStatus } from '../../../db/entities/admin-job.entity.ts';

/** What running one item came to: written to the item row in the transaction that ran it. */
export interface JobItemOutcome {
  status: 'succeeded' | 'skipped' | 'failed';
  result?: Record<string, unknown>;
  error?: string;
}

/**
 * The code behind one kind of job. `runItem` runs in the item's own transaction (with the configured lock and statement
 * timeouts) and its effects commit together with the item's outcome, so an item never applies twice; a throw rolls it
 * back and the item is tried again later (then failed with the error). `onEnd` runs once, in the transaction that ends
 * the job (DONE, FAILED or CANCELED).
 */
export interface JobHandler {
  kind: string;
  runItem(em: EntityManager, ctx: { job: JobRecord; item: JobItemRecord }): Promise<JobItemOutcome>;
  onEnd?(em: EntityManager, job: JobRecord): Promise<void>;
}

/** The items of a new job: a list, or a select returning `user_id` and `payload` columns (`?` placeholders). */
export type JobItemsSource = Array<{ userId: string | null; payload: Record<string, unknown> }> | { sql: string; params: unknown[] };

/** A job to create. */
export interface NewJob {
  kind: string;
  params: Record<string, unknown>;
  createdBy: { id: string; username: string };
  refType?: string;
  refId?: string;
  items: JobItemsSource;
}

/** How jobs run (from the ADMIN_JOB_* config). */
export interface JobRuntimeOptions {
  chunkSize: number;
  /** items of one job run at once by one worker */
  concurrency: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  maxAttempts: number;
  retryDelayMs: number;
  staleSeconds: number;
}
