import type { Response } from 'express';
import type { PublicMetricsService } from '../../services/games/public-metrics.service.ts';
import type { ApiRouter } from '../api.ts';
import { globalMetricsBody } from '../dto/metrics.dto.ts';

/** Public social-proof numbers: one-shot JSON, and a Server-Sent Events stream of the same every few seconds. */
export function metricsRoutes(api: ApiRouter, d: { metrics: PublicMetricsService; streamEveryMs: number }) {
  const tags = ['public'];
  api.route(
    {
      method: 'get',
      path: '/metrics/global',
      tags,
      summary: 'Online players, rounds and big wins in the last hour (cached 5 s; no login)',
      responses: { 200: 'numbers' },
    },
    async () => ({ status: 200, body: globalMetricsBody(await d.metrics.global()), headers: { 'Cache-Control': 'public, max-age=5' } }),
  );

  api.route(
    {
      method: 'get',
      path: '/metrics/stream',
      tags,
      summary: 'The same numbers as Server-Sent Events (`event: metrics`), every few seconds',
      responses: { 200: 'text/event-stream' },
    },
    ({ req, res }) => {
      res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      const send = async (r: Response) => {
        try {
          r.write(`event: metrics\ndata: ${JSON.stringify(globalMetricsBody(await d.metrics.global()))}\n\n`);
        } catch {
          r.write(`event: error\ndata: {"error":"service/unavailable"}\n\n`);
        }
      };
      const push = () => {
        send(res).catch(() => undefined);
      }; // send answers its own failures; a closed stream is nothing to report
      push();
      const timer = setInterval(push, d.streamEveryMs);
      req.on('close', () => clearInterval(timer));
    },
  );
}
