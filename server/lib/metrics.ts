import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of one process, with the metrics every part of the server records into. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const roundsSettled = new Counter({
    name: 'game_rounds_settled_total', help: 'Game rounds settled (committed), by game', labelNames: ['game'] as const, registers: [registry],
  });
  const commitBatchSize = new Histogram({
    name: 'game_commit_batch_size', help: 'Round requests (spins, pulls) settled per committed transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [registry],
  });
  return { registry, httpDuration, roundsSettled, commitBatchSize };
}

/** Gauges read when Prometheus scrapes: rooms and clients of this process, and BullMQ queue depths. */
export function registerRuntimeGauges(metrics: Metrics, sources: {
  rooms: () => { roomCount: number; ccu: number };
  queues: Record<string, { getJobCounts: (...types: Array<'waiting' | 'delayed' | 'active' | 'failed'>) => Promise<Record<string, number>> }>;
}) {
  new Gauge({ name: 'colyseus_rooms', help: 'Rooms on this process', registers: [metrics.registry], collect() { this.set(sources.rooms().roomCount); } });
  new Gauge({ name: 'colyseus_clients', help: 'Clients connected to rooms on this process', registers: [metrics.registry], collect() { this.set(sources.rooms().ccu); } });
  new Gauge({
    name: 'bullmq_jobs', help: 'BullMQ jobs by queue and state', labelNames: ['queue', 'state'] as const, registers: [metrics.registry],
    async collect() {
      for (const [queue, q] of Object.entries(sources.queues)) {
        const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'failed').catch(() => ({} as Record<string, number>));
        for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      }
    },
  });
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Outbox gauges, read from the database when Prometheus scrapes. */
export function registerBacklogGauges(metrics: Metrics, source: { backlog(): Promise<{ pending: number; lagSeconds: number }> }) {
  let last: Promise<{ pending: number; lagSeconds: number }> | undefined;
  const read = () => (last ??= source.backlog().finally(() => setTimeout(() => { last = undefined; }, 500).unref()));
  new Gauge({ name: 'outbox_pending_events', help: 'Outbox events not yet published', registers: [metrics.registry],
    async collect() { this.set((await read().catch(() => ({ pending: 0 }))).pending); } });
  new Gauge({ name: 'outbox_lag_seconds', help: 'Age of the oldest unpublished outbox event', registers: [metrics.registry],
    async collect() { this.set((await read().catch(() => ({ lagSeconds: 0 }))).lagSeconds); } });
}
