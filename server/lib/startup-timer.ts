// Where a process's start-up time goes: named steps measured back to back, printed on one line when it is ready.

/** Seconds for a start-up line: two decimals below 10 s, one above. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Records start-up steps; the first one (`modules`) runs from the process's start to the timer's creation. */
export class StartupTimer {
  private readonly steps: Array<{ name: string; ms: number; note?: string }> = [];
  private last = 0;

  constructor() {
    this.mark('modules');
  }

  /** Ends the step `name` now; `note` says why it was quick (e.g. `unchanged`). */
  mark(name: string, note?: string): void {
    const now = performance.now();
    this.steps.push({ name, ms: now - this.last, note });
    this.last = now;
  }

  /** Milliseconds since the process started. */
  elapsedMs(): number {
    return performance.now();
  }

  /** The steps as `{ name: ms }`, for the log. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.steps.map((s) => [s.name, Math.round(s.ms)]));
  }

  /** `modules 1.20 s, ORM 0.21 s, migrate 0.01 s (unchanged), …` */
  toString(): string {
    return this.steps.map((s) => `${s.name} ${seconds(s.ms)}${s.note ? ` (${s.note})` : ''}`).join(', ');
  }
}
