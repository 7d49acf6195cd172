import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobItemStatus, JobStatus } from '../entities/admin-job.entity.ts';
import { ITEM_COLUMNS, JOB_COLUMNS, refreshCounts, toItem, toJob, type JobItemRecord, type JobRecord } from './admin-jobs.repository.ts';

/** A job item with its player's current username (null when it has no player or the account is gone). */
export type JobItemRow = JobItemRecord & { username: string | null };

/** A page of jobs (optionally of one status and kind), newest first, `limit + 1` rows; `after` is the last row seen. */
export async function jobPage(
  em: EntityManager,
  q: { status?: JobStatus; kind?: string; after?: { value: string; id: string }; limit: number },
): Promise<JobRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const and = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (q.status) and('j.status = ?', q.status);
  if (q.kind) and('j.kind = ?', q.kind);
  if (q.after) and('(j.created_at, j.id) < (?::timestamptz, ?::uuid)', q.after.value, q.after.id);
  params.push(q.limit + 1);
  const rows = await em.execute(
    `select ${JOB_COLUMNS} from admin_jobs j ${where.length ? `where ${where.join(' and ')}` : ''}
      order by j.created_at desc, j.id desc limit ?`,
    params,
  );
  return rows.map(toJob);
}

/** A page of a job's items (optionally of one status) by seq, `limit + 1` rows after seq `afterSeq`. */
export async function itemPage(
  em: EntityManager,
  jobId: string,
  q: { status?: JobItemStatus; afterSeq?: number; limit: number },
): Promise<JobItemRow[]> {
  const byStatus = q.status ? 'and i.status = ?' : '';
  const rows = await em.execute(
    `select ${ITEM_COLUMNS}, u.username from admin_job_items i left join users u on u.id = i.user_id
      where i.job_id = ? ${byStatus} and i.seq > ? order by i.seq limit ?`,
    [jobId, ...(q.status ? [q.status] : []), q.afterSeq ?? 0, q.limit + 1],
  );
  return rows.map((r) => ({ ...toItem(r), username: (r.username as string | null) ?? null }));
}

/** Asks a PENDING or RUNNING job to stop at its next chunk; the job (locked), or null when it has ended. */
export async function requestCancel(em: EntityManager, jobId: string): Promise<JobRecord | null> {
  const [row] = await em.execute(
    `update admin_jobs j set cancel_requested = true where j.id = ? and j.status in ('PENDING', 'RUNNING') returning ${JOB_COLUMNS}`,
    [jobId],
  );
  return row ? toJob(row) : null;
}

/**
 * Puts an ended job's failed items back to pending (attempts reset) and the job back to PENDING, for the worker to run
 * them again; returns how many items, 0 when the job is still active or has none failed (nothing changed then).
 */
export async function requeueFailed(em: EntityManager, jobId: string): Promise<number> {
  const [job] = await em.execute<Array<{ status: JobStatus }>>(`select status from admin_jobs where id = ? for update`, [jobId]);
  if (!job || job.status === 'PENDING' || job.status === 'RUNNING') return 0;
  const [row] = await em.execute<Array<{ n: number }>>(
    `with r as (
       update admin_job_items set status = 'pending', error = null, result = null, attempts = 0, retry_at = null, finished_at = null
        where job_id = ? and status = 'failed' returning 1)
     select count(*)::int as n from r`,
    [jobId],
  );
  if (Number(row.n) === 0) return 0;
  await em.execute(
    `update admin_jobs set status = 'PENDING', cancel_requested = false, finished_at = null, heartbeat_at = null where id = ?`,
    [jobId],
  );
  await refreshCounts(em, jobId);
  return Number(row.n);
}
