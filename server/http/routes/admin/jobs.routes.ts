import type { Request, Response } from 'express';
import type { JobEventsSubscriber } from '../../../infra/job-events.ts';
import type { JobsService } from '../../../services/admin/jobs/jobs.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, RouteContext } from '../../api.ts';
import { csvField } from '../../dto/admin/audit.dto.ts';
import {
  JOB_ITEM_CSV_COLUMNS,
  jobBody,
  jobItemBody,
  JobItemsCsvQuery,
  JobItemsPage,
  JobItemsQuery,
  JobParams,
  JobResponse,
  JobRetryResponse,
  JobsPage,
  JobsQuery,
  JobStreamQuery,
} from '../../dto/admin/jobs.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { EmptyRequest } from '../../dto/admin/wallet-adjustments.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';

/** Where the job events stream for an EventSource lives (the admin session cookie's path is /admin). */
export const JOB_STREAM_PATH = '/admin/jobs/stream';

/** Admin jobs: the list, one job, its items (pages and CSV), cancel, retry of the failed items, and the events stream. */
export function adminJobsRoutes(api: ApiRouter, d: { jobs: JobsService; events: JobEventsSubscriber; adminWrite: AdminWrite }) {
  api.route(
    {
      method: 'get',
      path: '/admin/jobs',
      permission: 'liveops:read',
      summary: 'Background jobs (bulk operations, imports, notification sends), newest first, by status and kind',
      query: JobsQuery,
      responses: { 200: { description: 'a page of jobs', schema: JobsPage }, 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await d.jobs.list(query), jobBody) }),
  );

  // before /admin/jobs/:id, which would take `stream` for an id
  api.route(
    {
      method: 'get',
      path: '/admin/jobs/stream',
      permission: 'liveops:read',
      query: JobStreamQuery,
      summary:
        'Job events as Server-Sent Events (`event: job` with id, kind, status and counts whenever a job moves; `event: ready` first), for a client that sends the bearer token (fetch). An EventSource, which cannot, uses /admin/jobs/stream with the admin session cookie',
      responses: { 200: 'text/event-stream' },
    },
    ({ req, res, query }) => jobStream(d.events, query.events)(req, res),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/jobs/:id',
      permission: 'liveops:read',
      summary: 'A job: its status and how many items are pending, succeeded, failed and skipped',
      params: JobParams,
      responses: { 200: { description: 'the job', schema: JobResponse }, 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params }) => {
      const job = await d.jobs.get(params.id);
      return job ? { status: 200, body: jobBody(job) } : notFound();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/jobs/:id/items',
      permission: 'liveops:read',
      summary: "A job's items in order, optionally of one status, with each one's result or error",
      params: JobParams,
      query: JobItemsQuery,
      responses: { 200: { description: 'a page of items', schema: JobItemsPage }, 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params, query }) => ({ status: 200, body: pageBody(await d.jobs.items(params.id, query), jobItemBody) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/jobs/:id/items.csv',
      permission: 'liveops:read',
      summary: "A job's items as CSV (header row, RFC 4180 quoting), optionally of one status (`?status=failed`), streamed",
      params: JobParams,
      query: JobItemsCsvQuery,
      responses: { 200: 'text/csv', 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params, query, res }) => {
      const pages = d.jobs.allItems(params.id, query.status);
      // the first page is read before the headers go out, so an unknown job is still a 404
      const first = await pages.next();
      const name = `job-${params.id.slice(0, 8)}${query.status ? `-${query.status}` : ''}.csv`;
      res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
      res.write(`${JOB_ITEM_CSV_COLUMNS.join(',')}\r\n`);
      for (let page = first; !page.done; page = await pages.next()) {
        const lines = page.value.map((i) => {
          const row = jobItemBody(i);
          return `${JOB_ITEM_CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
        });
        if (!res.write(lines.join(''))) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/jobs/:id/cancel',
      permission: 'jobs:manage',
      summary: 'Cancel a pending or running job: at its next chunk its pending items are skipped ("canceled") and it ends CANCELED',
      params: JobParams,
      body: EmptyRequest,
      headers: IdempotencyHeader,
      responses: {
        202: { description: 'cancel requested (the job ends at its next chunk)', schema: JobResponse },
        400: 'request/invalid (names the field or the Idempotency-Key header)',
        404: 'resource/not_found',
        409: 'job/not_cancelable (it has ended), idempotency/key_reuse, idempotency/in_progress',
        503: 'admin/writes_disabled',
      },
    },
    (ctx) =>
      d.adminWrite(
        ctx as RouteContext<unknown, unknown, unknown>,
        { action: 'job.cancel', target: { type: 'job', id: ctx.params.id } },
        async (em) => {
          const c = await d.jobs.cancel(em, ctx.params.id);
          return { status: 202, body: jobBody(c.after), before: summary(c.before), after: summary(c.after) };
        },
      ),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/jobs/:id/retry',
      permission: 'jobs:manage',
      summary: "Run an ended job's failed items again: they go back to pending and the job to PENDING",
      params: JobParams,
      body: EmptyRequest,
      headers: IdempotencyHeader,
      responses: {
        202: { description: 'the job, PENDING again, and how many items were put back', schema: JobRetryResponse },
        400: 'request/invalid (names the field or the Idempotency-Key header)',
        404: 'resource/not_found',
        409: 'job/nothing_to_retry (still running, or no failed item), idempotency/key_reuse, idempotency/in_progress',
        503: 'admin/writes_disabled',
      },
    },
    (ctx) =>
      d.adminWrite(
        ctx as RouteContext<unknown, unknown, unknown>,
        { action: 'job.retry', target: { type: 'job', id: ctx.params.id } },
        async (em) => {
          const r = await d.jobs.retry(em, ctx.params.id);
          return { status: 202, body: { job: jobBody(r.after), requeued: r.requeued }, before: summary(r.before), after: summary(r.after) };
        },
      ),
  );
}

/** Streams job events as Server-Sent Events until the client goes away (or after `maxEvents`, counting `ready`). */
export function jobStream(events: JobEventsSubscriber, maxEvents?: number) {
  return (_req: Request, res: Response) => {
    let sent = 0;
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    const send = (event: string, data: unknown) => {
      if (res.writableEnded) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (maxEvents !== undefined && ++sent >= maxEvents) res.end();
    };
    const listening = events.listen((e) => send('job', e));
    // proxies drop a silent connection: a comment line every 15 s keeps it open
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => {
      listening.stop();
      clearInterval(keepAlive);
    });
    listening.ready.then(
      () => send('ready', {}),
      () => undefined,
    );
  };
}

/** What the audit row keeps of a job before and after an action. */
function summary(j: { status: string; counts: unknown; cancelRequested: boolean }) {
  return { status: j.status, counts: j.counts, cancel_requested: j.cancelRequested };
}

function notFound(): never {
  throw new DomainError('resource/not_found', 'No job has this id.');
}
