import type { Request, Response } from 'express';
import type { KpisService } from '../../../services/admin/kpis.service.ts';
import type { ApiRouter } from '../../api.ts';
import { kpiSeriesBody, kpiSummaryBody, SeriesQuery, StreamQuery } from '../../dto/admin/kpis.dto.ts';

/** How often the KPI stream sends the summary. */
export const KPI_STREAM_EVERY_MS = 5000;

/** KPIs (`kpi:read`): the summary, bucketed series, and the summary as Server-Sent Events. */
export function adminKpiRoutes(api: ApiRouter, kpis: KpisService) {
  api.route(
    {
      method: 'get',
      path: '/admin/kpis/summary',
      permission: 'kpi:read',
      summary:
        'Online players and rooms per game, rounds per second, wagered/paid/GGR and realized vs theoretical RTP per game, premium revenue, sign-ups, DAU, pending purchases, outbox lag',
      responses: { 200: 'the figures now' },
    },
    async () => ({ status: 200, body: kpiSummaryBody(await kpis.summary()) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/kpis/series',
      permission: 'kpi:read',
      query: SeriesQuery,
      summary: 'A metric bucketed over 1h (1 min buckets), 24h (15 min) or 7d (1 h), from SQL',
      responses: { 200: 'the points, oldest first', 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: kpiSeriesBody(await kpis.series(query.metric, query.range, query.game)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/kpis/stream',
      permission: 'kpi:read',
      query: StreamQuery,
      summary:
        'The summary as Server-Sent Events (`event: kpis`) every 5 s, for a client that sends the bearer token (fetch). An EventSource, which cannot, uses /admin/kpis/stream with the admin session cookie',
      responses: { 200: 'text/event-stream' },
    },
    ({ req, res, query }) => kpiStream(kpis, KPI_STREAM_EVERY_MS, query.events)(req, res),
  );
}

/** Streams the KPI summary as Server-Sent Events until the client goes away. */
export function kpiStream(kpis: KpisService, everyMs = KPI_STREAM_EVERY_MS, maxEvents?: number) {
  return (_req: Request, res: Response) => {
    let sent = 0;
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    // a failed read is reported on the stream itself; a closed stream is nothing to report
    const send = async () => {
      try {
        res.write(`event: kpis\ndata: ${JSON.stringify(kpiSummaryBody(await kpis.summary()))}\n\n`);
      } catch {
        res.write(`event: error\ndata: {"error":"service/unavailable"}\n\n`);
      }
      if (maxEvents !== undefined && ++sent >= maxEvents) res.end();
    };
    const push = () => {
      send().catch(() => undefined);
    };
    push();
    const timer = setInterval(push, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}
