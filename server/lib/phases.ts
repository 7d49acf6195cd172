import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where one request's time goes: each `phase(name)` records the time since the previous mark (or since the request
 * came in) under `name`. The HTTP layer opens a clock per request (`withPhaseClock`) and reports the marks when the
 * response is sent (neon_http_phase_seconds); outside a request `phase` does nothing.
 */
export class PhaseClock {
  private last = performance.now();
  /** [phase, seconds] in the order they were marked */
  readonly spans: Array<[string, number]> = [];

  mark(name: string): void {
    const now = performance.now();
    this.spans.push([name, (now - this.last) / 1000]);
    this.last = now;
  }
}

const current = new AsyncLocalStorage<PhaseClock>();

/** Marks the end of a phase of the current request (no-op outside one). */
export function phase(name: string): void {
  current.getStore()?.mark(name);
}

/** Runs `next` (and everything it starts) under `clock`. */
export function withPhaseClock(clock: PhaseClock, next: () => void): void {
  current.run(clock, next);
}
