import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  claimRunnableJobs,
  findJob,
  insertItemList,
  insertItemsFrom,
  insertJob,
  setTotal,
} from '../../../db/repositories/admin-jobs.repository.ts';
import { itemPage, jobPage, requeueFailed, requestCancel, type JobItemRow } from '../../../db/repositories/admin-job-console.repository.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import type { JobEventsPublisher } from '../../../infra/job-events.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import { JobRunner } from './job-runner.ts';
import type { JobHandler, JobItemStatus, JobRecord, JobRuntimeOptions, JobStatus, NewJob } from './types.ts';

/**
 * Admin jobs: persisted work items run in the background by the `admin-jobs` worker (server/workers). A feature
 * registers a handler for its kind once (at startup, in every process) and creates jobs in its own transaction; a sweep
 * picks a new job up within ADMIN_JOB_POLL_MS of its commit.
 */
export class JobsService {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly runner: JobRunner;

  constructor(
    private readonly orm: MikroORM,
    private readonly o: JobRuntimeOptions,
    private readonly events?: JobEventsPublisher,
  ) {
    this.runner = new JobRunner(
      orm,
      o,
      (kind) => this.handlers.get(kind),
      (job) => this.publish(job),
    );
  }

  /** Registers the code that runs the items of `handler.kind` (one handler per kind). */
  register(handler: JobHandler): void {
    if (this.handlers.has(handler.kind)) throw new Error(`admin job kind ${handler.kind} is already registered`);
    this.handlers.set(handler.kind, handler);
  }

  /** Creates a PENDING job with its items in the caller's transaction (`em`); it starts after the caller commits. */
  async create(em: EntityManager, job: NewJob): Promise<JobRecord> {
    const id = randomUUID();
    await insertJob(em, { id, kind: job.kind, params: job.params, createdBy: job.createdBy, refType: job.refType, refId: job.refId });
    const total = Array.isArray(job.items) ? await insertItemList(em, id, job.items) : await insertItemsFrom(em, id, job.items);
    await setTotal(em, id, total);
    return (await findJob(em, id))!;
  }

  /** A job, or null. */
  get(id: string, em: EntityManager = this.em()): Promise<JobRecord | null> {
    return findJob(em, id);
  }

  /** A page of jobs, newest first, optionally of one status and kind. */
  async list(q: { status?: JobStatus; kind?: string; cursor?: string; limit: number }): Promise<Page<JobRecord>> {
    const after = decodeCursor(q.cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await jobPage(this.em(), { status: q.status, kind: q.kind, after, limit: q.limit });
    return pageOf(rows, q.limit, (j) => ({ value: j.createdAt.toISOString(), id: j.id }));
  }

  /** A page of a job's items by seq, optionally of one status; 404 for an unknown job. */
  async items(jobId: string, q: { status?: JobItemStatus; cursor?: string; limit: number }): Promise<Page<JobItemRow>> {
    const after = decodeCursor(q.cursor, { value: 'int', id: 'uuid' });
    const em = this.em();
    await this.getOrFail(jobId, em);
    const rows = await itemPage(em, jobId, { status: q.status, afterSeq: after ? Number(after.value) : undefined, limit: q.limit });
    return pageOf(rows, q.limit, (i) => ({ value: String(i.seq), id: jobId }));
  }

  /** Every item of a job (optionally of one status), `pageSize` at a time (the CSV export); 404 for an unknown job. */
  async *allItems(jobId: string, status?: JobItemStatus, pageSize = 1000): AsyncGenerator<JobItemRow[]> {
    await this.getOrFail(jobId);
    for (let afterSeq = 0; ;) {
      const rows = await itemPage(this.em(), jobId, { status, afterSeq, limit: pageSize });
      const page = rows.slice(0, pageSize);
      if (page.length > 0) yield page;
      if (rows.length <= pageSize) return;
      afterSeq = page[page.length - 1].seq;
    }
  }

  /**
   * Asks a PENDING or RUNNING job to stop (in the caller's transaction): at its next chunk its pending items are skipped
   * ("canceled") and it ends CANCELED. 404 unknown, 409 `job/not_cancelable` when it has ended.
   */
  async cancel(em: EntityManager, jobId: string): Promise<{ before: JobRecord; after: JobRecord }> {
    const before = await this.getOrFail(jobId, em);
    const after = await requestCancel(em, jobId);
    if (!after) throw new DomainError('job/not_cancelable', `The job has already ended (${before.status}).`, { status: before.status });
    return { before, after };
  }

  /**
   * Runs an ended job's failed items again (in the caller's transaction): they go back to pending and the job to PENDING.
   * 404 unknown, 409 `job/nothing_to_retry` while it runs or when no item failed.
   */
  async retry(em: EntityManager, jobId: string): Promise<{ before: JobRecord; after: JobRecord; requeued: number }> {
    const before = await this.getOrFail(jobId, em);
    const requeued = await requeueFailed(em, jobId);
    if (requeued === 0) {
      const why = before.status === 'PENDING' || before.status === 'RUNNING' ? 'is still running' : 'has no failed items';
      throw new DomainError('job/nothing_to_retry', `The job ${why}.`, { status: before.status });
    }
    return { before, after: (await findJob(em, jobId))!, requeued };
  }

  /**
   * Claims the jobs this process can run (new ones, and running ones whose worker stopped reporting) and returns their
   * ids; the worker runs each with `run`.
   */
  claimRunnable(limit = 20): Promise<string[]> {
    return claimRunnableJobs(this.em(), [...this.handlers.keys()], this.o.staleSeconds, limit);
  }

  /** Runs a job until it ends (or this process stops); see JobRunner. */
  run(jobId: string): Promise<JobRecord | null> {
    return this.runner.run(jobId);
  }

  /** Stops running jobs at their next item, leaving them to another worker (graceful shutdown). */
  stop(): void {
    this.runner.stop();
  }

  private async getOrFail(jobId: string, em: EntityManager = this.em()): Promise<JobRecord> {
    const job = await findJob(em, jobId);
    if (!job) throw new DomainError('resource/not_found', 'No job has this id.');
    return job;
  }

  private async publish(job: JobRecord): Promise<void> {
    await this.events?.publish({ id: job.id, kind: job.kind, status: job.status, counts: job.counts });
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
