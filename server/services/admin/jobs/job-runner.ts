import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  claimItem,
  deferItem,
  dueItemSeqs,
  endJob,
  finishItem,
  findJob,
  msToNextPending,
  refreshCounts,
  releaseJob,
  skipPending,
  startJob,
} from '../../../db/repositories/admin-jobs.repository.ts';
import { pgCode } from '../../../db/pg-errors.ts';
import type { JobHandler, JobRecord, JobRuntimeOptions } from './types.ts';

/** How often a running job reports (heartbeat, counts, a progress event) even inside a slow chunk. */
const HEARTBEAT_MS = 2000;

/**
 * Runs one job to its end: chunk after chunk of due pending items, each item in its own transaction, then the job's
 * final status. Safe to run twice at once (two workers share the items: `FOR UPDATE SKIP LOCKED`) and to resume after a
 * crash (only pending items run; a killed item's transaction never committed).
 */
export class JobRunner {
  private stopping = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly o: JobRuntimeOptions,
    private readonly handlerOf: (kind: string) => JobHandler | undefined,
    private readonly onProgress: (job: JobRecord) => Promise<void>,
  ) {}

  /** Runs the job until it ends (returns it ended), or until `stop()` (returns it still RUNNING, released to other workers). */
  async run(jobId: string): Promise<JobRecord | null> {
    const claimed = await startJob(this.em(), jobId);
    if (!claimed) return findJob(this.em(), jobId);
    let job: JobRecord = claimed;
    const handler = this.handlerOf(job.kind);
    if (!handler) throw new Error(`no handler for admin job kind ${job.kind}`);
    await this.onProgress(job);
    let reported = Date.now();
    for (;;) {
      if (this.stopping) {
        await releaseJob(this.em(), job.id);
        return job;
      }
      if (job.cancelRequested) return this.end(handler, job.id);
      const seqs = await dueItemSeqs(this.em(), job.id, this.o.chunkSize);
      if (seqs.length === 0) {
        const wait = await msToNextPending(this.em(), job.id);
        if (wait === null) return this.end(handler, job.id);
        await sleep(Math.min(Math.max(wait, 50), 1000));
      }
      let ran = 0;
      let halt = false;
      // a few items at a time: their commits share the disk's flushes, and no two items of a job touch the same player
      const lane = async () => {
        while (!halt && !this.stopping && seqs.length > 0) {
          if (await this.runItem(handler, job, seqs.shift()!)) ran++;
          if (Date.now() - reported > HEARTBEAT_MS) {
            reported = Date.now();
            job = (await this.report(job.id)) ?? job;
            if (job.cancelRequested || job.status !== 'RUNNING') halt = true;
          }
        }
      };
      const started = seqs.length;
      await Promise.all(Array.from({ length: Math.min(this.o.concurrency, seqs.length) }, lane));
      // every item of the chunk was held by another worker: let it finish them instead of asking again at once
      if (started > 0 && ran === 0) await sleep(100);
      const now = await this.report(job.id);
      reported = Date.now();
      if (!now || now.status !== 'RUNNING') return now;
      job = now;
    }
  }

  /** Makes running jobs stop at their next item and hand themselves to other workers (graceful shutdown). */
  stop(): void {
    this.stopping = true;
  }

  /** Runs one item in its own transaction; false when another worker holds it or it is no longer pending. */
  private async runItem(handler: JobHandler, job: JobRecord, seq: number): Promise<boolean> {
    try {
      return await this.em().transactional(async (tx) => {
        // synchronous_commit off: the commit does not wait for the disk. A crash can lose the last few item commits, but
        // each loses its effects and its outcome together (the item is pending again and runs again), and anything
        // committed after it, a player's spin included, is flushed after it: nobody ever sees a state that is then lost.
        await tx.execute(
          `select set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true), set_config('synchronous_commit', 'off', true)`,
          [`${this.o.lockTimeoutMs}ms`, `${this.o.statementTimeoutMs}ms`],
        );
        const item = await claimItem(tx, job.id, seq);
        if (!item) return false;
        const outcome = await handler.runItem(tx, { job, item });
        await finishItem(tx, job.id, seq, outcome);
        return true;
      });
    } catch (err) {
      // rolled back (a lock or statement timeout, a broken connection, a bug): tried again later, then failed
      await deferItem(this.em(), job.id, seq, errorText(err), { maxAttempts: this.o.maxAttempts, delayMs: this.o.retryDelayMs });
      return true;
    }
  }

  /** Ends the job (in one transaction with the handler's onEnd): CANCELED if asked, else FAILED if an item failed, else DONE. */
  private async end(handler: JobHandler, jobId: string): Promise<JobRecord | null> {
    const ended = await this.em().transactional(async (tx) => {
      const job = await findJob(tx, jobId, true);
      if (!job || job.status !== 'RUNNING') return job;
      if (job.cancelRequested) await skipPending(tx, jobId, 'canceled');
      const counted = (await refreshCounts(tx, jobId))!;
      const status = job.cancelRequested ? 'CANCELED' : counted.counts.failed > 0 ? 'FAILED' : 'DONE';
      await endJob(tx, jobId, status);
      const final: JobRecord = { ...counted, status, finishedAt: new Date() };
      await handler.onEnd?.(tx, final);
      return final;
    });
    if (ended) await this.onProgress(ended);
    return ended;
  }

  /** Recounts the job's items, refreshes its heartbeat and publishes its progress. */
  private async report(jobId: string): Promise<JobRecord | null> {
    const job = await refreshCounts(this.em(), jobId);
    if (job) await this.onProgress(job);
    return job;
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

/** An item's error as stored: a PostgreSQL error as `SQLSTATE: message` (without the statement the driver prefixes). */
function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = pgCode(err);
  return (code ? `${code}: ${message.split(' - ').at(-1)}` : message).slice(0, 500);
}
