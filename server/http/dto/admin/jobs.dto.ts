import { z } from 'zod';
import { JOB_ITEM_STATUSES, JOB_STATUSES } from '../../../db/entities/admin-job.entity.ts';
import type { JobItemRow } from '../../../db/repositories/admin-job-console.repository.ts';
import type { JobRecord } from '../../../services/admin/jobs/types.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

export const JobParams = z.object({ id: z.uuid() });

export const JobsQuery = PageQuery.extend({
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.string().min(1).max(40).optional().describe('e.g. `operation_apply`'),
});

export const JobItemsCsvQuery = z.object({ status: z.enum(JOB_ITEM_STATUSES).optional().describe('e.g. `failed`; all items without it') });

export const JobItemsQuery = PageQuery.extend(JobItemsCsvQuery.shape);

export const JobStreamQuery = z.object({
  events: z.coerce.number().int().min(1).max(1000).optional().describe('close the stream after this many events (scripts, probes)'),
});

const JobCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const JobResponse = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  params: z.record(z.string(), z.unknown()),
  counts: JobCounts,
  created_by: z.object({ id: z.uuid(), username: z.string() }),
  ref_type: z.string().nullable(),
  ref_id: z.string().nullable(),
  cancel_requested: z.boolean(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  heartbeat_at: z.string().nullable(),
});

export const JobsPage = pageResponse(JobResponse);

export const JobItemResponse = z.object({
  id: z.string().describe('`<job id>:<seq>`'),
  seq: z.number().int(),
  user_id: z.uuid().nullable(),
  username: z.string().nullable(),
  status: z.enum(JOB_ITEM_STATUSES),
  payload: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  finished_at: z.string().nullable(),
});

export const JobItemsPage = pageResponse(JobItemResponse);

export const JobRetryResponse = z.object({ job: JobResponse, requeued: z.number().int() });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A job on the wire (also the `data` of a stream's `job` event, which carries id, kind, status and counts). */
export function jobBody(j: JobRecord) {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    params: j.params,
    counts: j.counts,
    created_by: j.createdBy,
    ref_type: j.refType,
    ref_id: j.refId,
    cancel_requested: j.cancelRequested,
    created_at: j.createdAt.toISOString(),
    started_at: iso(j.startedAt),
    finished_at: iso(j.finishedAt),
    heartbeat_at: iso(j.heartbeatAt),
  };
}

export type JobBody = ReturnType<typeof jobBody>;

/** A job item on the wire. */
export function jobItemBody(i: JobItemRow) {
  return {
    id: `${i.jobId}:${i.seq}`,
    seq: i.seq,
    user_id: i.userId,
    username: i.username,
    status: i.status,
    payload: i.payload,
    result: i.result,
    error: i.error,
    attempts: i.attempts,
    finished_at: iso(i.finishedAt),
  };
}

export type JobItemBody = ReturnType<typeof jobItemBody>;

/** The items CSV's columns, in order (the wire item's keys). */
export const JOB_ITEM_CSV_COLUMNS = Object.keys(JobItemResponse.shape) as Array<keyof JobItemBody>;
