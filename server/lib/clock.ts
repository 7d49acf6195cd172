import type { Clock } from '../../domain/shared/clock.ts';

/** The real wall clock. Tests pass their own `Clock` through `deps` instead. */
export const systemClock: Clock = { now: () => new Date() };
