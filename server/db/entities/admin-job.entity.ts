import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const JOB_STATUSES = ['PENDING', 'RUNNING', 'DONE', 'FAILED', 'CANCELED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_ITEM_STATUSES = ['pending', 'succeeded', 'failed', 'skipped'] as const;
export type JobItemStatus = (typeof JOB_ITEM_STATUSES)[number];

/**
 * A background admin job (a bulk operation's shadow or apply, an import, a notification send): its kind and parameters,
 * who started it, what it belongs to (`ref_type`/`ref_id`) and how many of its items ended each way. Run in chunks by the
 * `admin-jobs` worker; `heartbeat_at` tells a sweep whether a RUNNING job's worker is still alive.
 */
export const AdminJob = defineEntity({
  name: 'AdminJob',
  tableName: 'admin_jobs',
  indexes: [
    { name: 'admin_jobs_created_idx', properties: ['createdAt', 'id'] },
    { name: 'admin_jobs_status_idx', properties: ['status', 'createdAt', 'id'] },
    { name: 'admin_jobs_kind_idx', properties: ['kind', 'createdAt', 'id'] },
    { name: 'admin_jobs_ref_idx', properties: ['refType', 'refId'] },
  ],
  properties: {
    id: p.uuid().primary(),
    kind: p.string().length(40),
    status: p.enum([...JOB_STATUSES]),
    params: p.json<Record<string, unknown>>(),
    total: p.integer().default(0),
    succeeded: p.integer().default(0),
    failed: p.integer().default(0),
    skipped: p.integer().default(0),
    createdBy: p.uuid(),
    createdByName: p.string().length(20),
    refType: p.string().length(40).nullable(),
    refId: p.string().length(80).nullable(),
    cancelRequested: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    heartbeatAt: p.datetime().nullable(),
  },
});

/**
 * One unit of a job's work (usually one player): its payload, and once run its status, result or error. The row is the
 * exactly-once guard: an item is claimed with `FOR UPDATE SKIP LOCKED` and its outcome written in the same transaction
 * as its effects. A retryable error (a lock timeout) leaves it pending until `retry_at`.
 */
export const AdminJobItem = defineEntity({
  name: 'AdminJobItem',
  tableName: 'admin_job_items',
  indexes: [{ name: 'admin_job_items_status_idx', properties: ['jobId', 'status', 'seq'] }],
  properties: {
    jobId: p.uuid().primary(),
    seq: p.integer().primary(),
    userId: p.uuid().nullable(),
    payload: p.json<Record<string, unknown>>(),
    status: p.enum([...JOB_ITEM_STATUSES]).default('pending'),
    result: p.json<Record<string, unknown>>().nullable(),
    error: p.string().length(500).nullable(),
    attempts: p.integer().default(0),
    retryAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});

export type IAdminJob = InferEntity<typeof AdminJob>;
export type IAdminJobItem = InferEntity<typeof AdminJobItem>;
