import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../../lib/metrics.ts';

/** Records each response's latency under its route pattern (not the raw URL, to bound label cardinality). */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
