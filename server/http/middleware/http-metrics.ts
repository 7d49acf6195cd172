import type { NextFunction, Request, Response } from 'express';
import { registerHttpPhases, type Metrics } from '../../lib/metrics.ts';
import { PhaseClock, withPhaseClock } from '../../lib/phases.ts';

/**
 * Records each response's latency under its route pattern (not the raw URL, to bound label cardinality), and the
 * phases its handler marked (server/lib/phases.ts), the last one (`respond`) ending when the response is sent.
 */
export function httpMetrics(metrics: Metrics) {
  const phases = registerHttpPhases(metrics);
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    const clock = new PhaseClock();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
      if (clock.spans.length === 0) return;
      clock.mark('respond');
      for (const [phase, seconds] of clock.spans) phases.observe({ route, phase }, seconds);
    });
    withPhaseClock(clock, next);
  };
}
