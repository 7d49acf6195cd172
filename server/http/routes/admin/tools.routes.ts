import express, { type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { monitor } from '@colyseus/monitor';
import type { Queue } from 'bullmq';
import type { Permission } from '../../../../domain/admin/rbac.ts';
import type { KpisService } from '../../../services/admin/kpis.service.ts';
import { kpiStream } from './kpis.routes.ts';
import { JOB_STREAM_PATH, jobStream } from './jobs.routes.ts';
import type { JobEventsSubscriber } from '../../../infra/job-events.ts';

/** Where the operators' tools outside the API live (the admin session cookie's path is /admin). */
export const MONITOR_PATH = '/admin/monitor';
export const QUEUES_PATH = '/admin/queues';
export const KPI_STREAM_PATH = '/admin/kpis/stream';

/**
 * The admin pages that are not API routes, each behind the admin session (Bearer or the admin cookie): the Colyseus
 * room monitor (`monitor:use`), bull-board over the BullMQ queues (`queues:use`), and the KPI and job streams for an
 * EventSource (`kpi:read`, `liveops:read`; an EventSource cannot send a bearer token, but it sends the cookie). 401
 * without a session, 403 without the permission.
 */
export function adminTools(deps: {
  requireAdminSession: (permission: Permission) => RequestHandler;
  queues: Queue[];
  kpis: KpisService;
  jobEvents: JobEventsSubscriber;
}): express.Router {
  const router = express.Router();
  // the monitor's page loads its assets relative to its own URL: it must end with a slash
  router.get(MONITOR_PATH, (req, res, next) => (req.originalUrl === MONITOR_PATH ? res.redirect(301, `${MONITOR_PATH}/`) : next()));
  router.use(MONITOR_PATH, deps.requireAdminSession('monitor:use'), monitor() as unknown as RequestHandler);

  const board = new ExpressAdapter();
  board.setBasePath(QUEUES_PATH);
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  router.use(QUEUES_PATH, deps.requireAdminSession('queues:use'), board.getRouter() as RequestHandler);

  router.get(KPI_STREAM_PATH, deps.requireAdminSession('kpi:read'), kpiStream(deps.kpis));
  router.get(JOB_STREAM_PATH, deps.requireAdminSession('liveops:read'), jobStream(deps.jobEvents));
  return router;
}
