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
import type { JobEventsPublisher } from '../../../infra/job-events.ts';
import { JobRunner } from './job-runner.ts';
import type { JobHandler, JobRecord, JobRuntimeOptions, NewJob } from './types.ts';

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

  private async publish(job: JobRecord): Promise<void> {
    await this.events?.publish({ id: job.id, kind: job.kind, status: job.status, counts: job.counts });
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
