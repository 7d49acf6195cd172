/** Latency samples in log-spaced buckets (1 ms … 60 s, ~5 % wide), mergeable across workers. */
const BASE = 1.05;
const BUCKETS = Math.ceil(Math.log(60_000) / Math.log(BASE)) + 1;

export class Histogram {
  readonly counts: number[];
  total = 0;
  max = 0;

  constructor(counts?: number[]) {
    this.counts = counts ? [...counts] : new Array(BUCKETS).fill(0);
    this.total = this.counts.reduce((a, b) => a + b, 0);
  }

  record(ms: number) {
    const i = Math.min(BUCKETS - 1, Math.max(0, Math.ceil(Math.log(Math.max(ms, 1)) / Math.log(BASE))));
    this.counts[i]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: { counts: number[]; max: number }) {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.total += other.counts.reduce((a, b) => a + b, 0);
    this.max = Math.max(this.max, other.max);
  }

  /** The latency (ms, bucket upper bound) under which `p` (0..1) of the samples fall. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const want = Math.ceil(p * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= want) return Math.round(BASE ** i * 10) / 10;
    }
    return this.max;
  }

  /** Non-empty buckets as [upper bound ms, count], for the report's histogram. */
  buckets(): Array<[number, number]> {
    return this.counts.map((c, i) => [Math.round(BASE ** i * 10) / 10, c] as [number, number]).filter(([, c]) => c > 0);
  }
}

/** What a worker reports every second. */
export interface WorkerTick {
  type: 'tick';
  worker: number;
  connected: number;
  actions: number;
  errors: number;
  /** answers where a game rule said no (not system errors) */
  rejected: number;
  errorKinds: Record<string, number>;
  latency: { counts: number[]; max: number };
  /** the same latencies split by the bots' scenario (a mixed run has several) */
  byScenario: Record<string, { counts: number[]; max: number }>;
}
