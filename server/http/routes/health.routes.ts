import express from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { Metrics } from '../../lib/metrics.ts';
import { within } from '../../lib/within.ts';

/** `/health` (alive), `/ready` (PostgreSQL + Redis reachable, 503 naming what is not), `/metrics` (Prometheus). */
export function healthRoutes(deps: { orm: MikroORM; redis: Redis; metrics: Metrics }) {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptime_s: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const [pg, redis] = await Promise.allSettled([
      within(deps.orm.em.fork().getConnection().execute('select 1'), 1500),
      within(deps.redis.ping(), 1500),
    ]);
    const checks = { postgres: pg.status === 'fulfilled' ? 'ok' : 'down', redis: redis.status === 'fulfilled' ? 'ok' : 'down' };
    const down = Object.entries(checks)
      .filter(([, v]) => v === 'down')
      .map(([k]) => k);
    if (down.length === 0) {
      res.json({ status: 'ready', checks });
    } else {
      res.status(503).json({
        error: 'service/unavailable',
        message: `Not ready: ${down.join(' and ')} unreachable.`,
        checks,
        request_id: res.getHeader('X-Request-Id'),
      });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
