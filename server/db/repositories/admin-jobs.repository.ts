import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobItemStatus, JobStatus } from '../entities/admin-job.entity.ts';
import { fromJson } from '../sql.ts';

/** How many of a job's items ended each way (`pending` = not run yet). */
export interface JobCounts {
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** An admin job as the runtime and its handlers see it. */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  params: Record<string, unknown>;
  counts: JobCounts;
  createdBy: { id: string; username: string };
  refType: string | null;
  refId: string | null;
  cancelRequested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
}

/** One item of a job. */
export interface JobItemRecord {
  jobId: string;
  seq: number;
  userId: string | null;
  payload: Record<string, unknown>;
  status: JobItemStatus;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  finishedAt: Date | null;
}

export const JOB_COLUMNS = `j.id, j.kind, j.status, j.params, j.total, j.succeeded, j.failed, j.skipped, j.created_by, j.created_by_name,
  j.ref_type, j.ref_id, j.cancel_requested, j.created_at, j.started_at, j.finished_at, j.heartbeat_at`;
export const ITEM_COLUMNS = `i.job_id, i.seq, i.user_id, i.payload, i.status, i.result, i.error, i.attempts, i.finished_at`;

const date = (v: unknown): Date | null => (v == null ? null : new Date(v as string));

/** A job row (selected with JOB_COLUMNS) as a JobRecord. */
export function toJob(r: Record<string, unknown>): JobRecord {
  const [total, succeeded, failed, skipped] = [r.total, r.succeeded, r.failed, r.skipped].map(Number);
  return {
    id: r.id as string,
    kind: r.kind as string,
    status: r.status as JobStatus,
    params: fromJson<Record<string, unknown>>(r.params),
    counts: { total, pending: total - succeeded - failed - skipped, succeeded, failed, skipped },
    createdBy: { id: r.created_by as string, username: r.created_by_name as string },
    refType: (r.ref_type as string | null) ?? null,
    refId: (r.ref_id as string | null) ?? null,
    cancelRequested: Boolean(r.cancel_requested),
    createdAt: new Date(r.created_at as string),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    heartbeatAt: date(r.heartbeat_at),
  };
}

/** An item row (selected with ITEM_COLUMNS) as a JobItemRecord. */
export function toItem(r: Record<string, unknown>): JobItemRecord {
  return {
    jobId: r.job_id as string,
    seq: Number(r.seq),
    userId: (r.user_id as string | null) ?? null,
    payload: fromJson<Record<string, unknown>>(r.payload),
    status: r.status as JobItemStatus,
    result: r.result == null ? null : fromJson<Record<string, unknown>>(r.result),
    error: (r.error as string | null) ?? null,
    attempts: Number(r.attempts),
    finishedAt: date(r.finished_at),
  };
}

/** Inserts a PENDING job with no items yet. */
export async function insertJob(
  em: EntityManager,
  j: {
    id: string;
    kind: string;
    params: Record<string, unknown>;
    createdBy: { id: string; username: string };
    refType?: string;
    refId?: string;
  },
): Promise<void> {
  await em.execute(
    `insert into admin_jobs (id, kind, status, params, created_by, created_by_name, ref_type, ref_id, created_at)
     values (?, ?, 'PENDING', ?::jsonb, ?, ?, ?, ?, now())`,
    [j.id, j.kind, JSON.stringify(j.params), j.createdBy.id, j.createdBy.username, j.refType ?? null, j.refId ?? null],
  );
}

/** Inserts items given as a list (seq 1…n, in order) in one statement; returns how many. */
export async function insertItemList(
  em: EntityManager,
  jobId: string,
  items: Array<{ userId: string | null; payload: Record<string, unknown> }>,
): Promise<number> {
  if (items.length === 0) return 0;
  const rows = items.map((i) => ({ user_id: i.userId, payload: i.payload }));
  return countRows(
    em,
    `insert into admin_job_items (job_id, seq, user_id, payload)
     select ?::uuid, t.ord, (t.x ->> 'user_id')::uuid, t.x -> 'payload'
       from jsonb_array_elements(?::jsonb) with ordinality as t(x, ord)`,
    [jobId, JSON.stringify(rows)],
  );
}

/** Inserts one item per row of `select` (columns `user_id` and `payload`) in one statement; returns how many. */
export function insertItemsFrom(em: EntityManager, jobId: string, select: { sql: string; params: unknown[] }): Promise<number> {
  return countRows(
    em,
    `insert into admin_job_items (job_id, seq, user_id, payload)
     select ?::uuid, row_number() over (), s.user_id::uuid, to_jsonb(s.payload) from (${select.sql}) s`,
    [jobId, ...select.params],
  );
}

async function countRows(em: EntityManager, insert: string, params: unknown[]): Promise<number> {
  const [row] = await em.execute<Array<{ n: number }>>(`with ins as (${insert} returning 1) select count(*)::int as n from ins`, params);
  return Number(row.n);
}

/** Sets a job's item total (after its items were inserted). */
export async function setTotal(em: EntityManager, jobId: string, total: number): Promise<void> {
  await em.execute(`update admin_jobs set total = ? where id = ?`, [total, jobId]);
}

/** A job, or null. `lock` takes its row lock for the caller's transaction. */
export async function findJob(em: EntityManager, id: string, lock = false): Promise<JobRecord | null> {
  const [row] = await em.execute(`select ${JOB_COLUMNS} from admin_jobs j where j.id = ?${lock ? ' for update' : ''}`, [id]);
  return row ? toJob(row) : null;
}

/**
 * Claims up to `limit` jobs of `kinds` for this worker: PENDING ones, and RUNNING ones whose worker has not reported for
 * `staleSeconds` (died, or stopped). They become RUNNING with a fresh heartbeat, so no other sweep claims them meanwhile.
 */
export async function claimRunnableJobs(em: EntityManager, kinds: string[], staleSeconds: number, limit: number): Promise<string[]> {
  if (kinds.length === 0) return [];
  const rows = await em.execute<Array<{ id: string }>>(
    `update admin_jobs j set status = 'RUNNING', started_at = coalesce(j.started_at, now()), heartbeat_at = now()
      where j.id in (
        select id from admin_jobs
         where status in ('PENDING', 'RUNNING') and kind in (?)
           and (status = 'PENDING' or heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ?))
         order by created_at limit ? for update skip locked)
      returning j.id`,
    [kinds, staleSeconds, limit],
  );
  return rows.map((r) => r.id);
}

/** Lets another worker take a RUNNING job over at once (this one is stopping). */
export async function releaseJob(em: EntityManager, id: string): Promise<void> {
  await em.execute(`update admin_jobs set heartbeat_at = null where id = ? and status = 'RUNNING'`, [id]);
}

/** Moves a PENDING job to RUNNING (a RUNNING one just gets a fresh heartbeat); null when it is finished or gone. */
export async function startJob(em: EntityManager, id: string): Promise<JobRecord | null> {
  const [row] = await em.execute(
    `update admin_jobs j set status = 'RUNNING', started_at = coalesce(j.started_at, now()), heartbeat_at = now()
      where j.id = ? and j.status in ('PENDING', 'RUNNING') returning ${JOB_COLUMNS}`,
    [id],
  );
  return row ? toJob(row) : null;
}

/** The next `limit` pending items of a job that are due (not waiting for a retry), by seq. */
export async function dueItemSeqs(em: EntityManager, jobId: string, limit: number): Promise<number[]> {
  const rows = await em.execute<Array<{ seq: number }>>(
    `select seq from admin_job_items
      where job_id = ? and status = 'pending' and (retry_at is null or retry_at <= now())
      order by seq limit ?`,
    [jobId, limit],
  );
  return rows.map((r) => Number(r.seq));
}

/** Milliseconds until the job's next pending item is due, or null when no item is pending. */
export async function msToNextPending(em: EntityManager, jobId: string): Promise<number | null> {
  const [row] = await em.execute<Array<{ ms: number | null }>>(
    `select case when count(*) > 0 then greatest(0, extract(epoch from min(coalesce(retry_at, now())) - now()) * 1000)::int end as ms
       from admin_job_items where job_id = ? and status = 'pending'`,
    [jobId],
  );
  return row.ms == null ? null : Number(row.ms);
}

/**
 * Locks a pending item for the caller's transaction, skipping it when another worker holds it; null when it is taken or
 * no longer pending.
 */
export async function claimItem(em: EntityManager, jobId: string, seq: number): Promise<JobItemRecord | null> {
  const [row] = await em.execute(
    `select ${ITEM_COLUMNS} from admin_job_items i where i.job_id = ? and i.seq = ? and i.status = 'pending' for update skip locked`,
    [jobId, seq],
  );
  return row ? toItem(row) : null;
}

/** Writes an item's outcome (in the transaction that claimed it). */
export async function finishItem(
  em: EntityManager,
  jobId: string,
  seq: number,
  o: { status: Exclude<JobItemStatus, 'pending'>; result?: Record<string, unknown>; error?: string },
): Promise<void> {
  await em.execute(
    `update admin_job_items set status = ?, result = ?::jsonb, error = ?, attempts = attempts + 1, retry_at = null, finished_at = now()
      where job_id = ? and seq = ?`,
    [o.status, o.result ? JSON.stringify(o.result) : null, o.error?.slice(0, 500) ?? null, jobId, seq],
  );
}

/**
 * Counts a failed attempt of a still-pending item: it waits `delayMs × attempts` before its next one, or is marked
 * failed with `error` once it has had `maxAttempts`.
 */
export async function deferItem(
  em: EntityManager,
  jobId: string,
  seq: number,
  error: string,
  o: { maxAttempts: number; delayMs: number },
): Promise<void> {
  await em.execute(
    `update admin_job_items
        set attempts = attempts + 1, error = ?,
            status = case when attempts + 1 >= ? then 'failed' else 'pending' end,
            finished_at = case when attempts + 1 >= ? then now() end,
            retry_at = case when attempts + 1 >= ? then null else now() + make_interval(secs => ? * (attempts + 1) / 1000.0) end
      where job_id = ? and seq = ? and status = 'pending'`,
    [error.slice(0, 500), o.maxAttempts, o.maxAttempts, o.maxAttempts, o.delayMs, jobId, seq],
  );
}

/** Recounts a job's items into its row and refreshes its heartbeat; returns the job. */
export async function refreshCounts(em: EntityManager, jobId: string): Promise<JobRecord | null> {
  const [row] = await em.execute(
    `with c as (
       select count(*) filter (where status = 'succeeded')::int as succeeded, count(*) filter (where status = 'failed')::int as failed,
              count(*) filter (where status = 'skipped')::int as skipped, count(*)::int as total
         from admin_job_items where job_id = ?)
     update admin_jobs j set succeeded = c.succeeded, failed = c.failed, skipped = c.skipped, total = c.total,
            heartbeat_at = case when j.status = 'RUNNING' then now() else j.heartbeat_at end
       from c where j.id = ? returning ${JOB_COLUMNS}`,
    [jobId, jobId],
  );
  return row ? toJob(row) : null;
}

/** Marks every pending item of a job skipped with `error`; returns how many. */
export async function skipPending(em: EntityManager, jobId: string, error: string): Promise<number> {
  return countRows(
    em,
    `update admin_job_items set status = 'skipped', error = ?, retry_at = null, finished_at = now() where job_id = ? and status = 'pending'`,
    [error, jobId],
  );
}

/** Ends a RUNNING job with `status`; false when it was not RUNNING (another worker ended it). */
export async function endJob(
  em: EntityManager,
  jobId: string,
  status: Extract<JobStatus, 'DONE' | 'FAILED' | 'CANCELED'>,
): Promise<boolean> {
  const rows = await em.execute(
    `update admin_jobs set status = ?, finished_at = now(), heartbeat_at = now() where id = ? and status = 'RUNNING' returning id`,
    [status, jobId],
  );
  return rows.length > 0;
}
