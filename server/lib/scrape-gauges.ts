// Gauges read when Prometheus scrapes: the database pool, the password hasher, rooms and clients, BullMQ queues and
// the outbox backlog, each from the source that holds the figure.
import { Gauge } from 'prom-client';
import type { Metrics } from './metrics.ts';
import { within } from './within.ts';

/** PostgreSQL pool gauges (the `pg` pool under MikroORM), read when Prometheus scrapes. */
export function registerPoolGauges(metrics: Metrics, pool: { totalCount: number; idleCount: number; waitingCount: number }, max: number) {
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections of this process, in use or idle',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'db_pool_waiting',
    help: 'Queries waiting for a free PostgreSQL pool connection',
    registers: [metrics.registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_max',
    help: 'Largest PostgreSQL pool of this process (DB_POOL_MAX)',
    registers: [metrics.registry],
    collect() {
      this.set(max);
    },
  });
}

/** Password hashes running and waiting in the bounded hashing queue (sign-ups and logins). */
export function registerHasherGauges(metrics: Metrics, hasher: { load: { running: number; waiting: number } }) {
  new Gauge({
    name: 'password_hash_jobs',
    help: 'Password hashes (sign-up, login) running or waiting for a turn in this process',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const { running, waiting } = hasher.load;
      this.set({ state: 'running' }, running);
      this.set({ state: 'waiting' }, waiting);
    },
  });
}

/** Gauges read when Prometheus scrapes: rooms and clients of this process, and BullMQ queue depths. */
export function registerRuntimeGauges(
  metrics: Metrics,
  sources: {
    rooms: () => { roomCount: number; ccu: number };
    queues: Record<
      string,
      { getJobCounts: (...types: Array<'waiting' | 'delayed' | 'active' | 'failed'>) => Promise<Record<string, number>> }
    >;
    /** false while the queues' Redis connection is down: BullMQ's would hold the counts, and the scrape, until it is back */
    queuesReady?: () => boolean;
    /** a connection that is up but stalled holds them too: the counts are given up after this long (the last ones stay) */
    queuesTimeoutMs?: number;
  },
) {
  new Gauge({
    name: 'colyseus_rooms',
    help: 'Rooms on this process',
    registers: [metrics.registry],
    collect() {
      this.set(sources.rooms().roomCount);
    },
  });
  new Gauge({
    name: 'colyseus_clients',
    help: 'Clients connected to rooms on this process',
    registers: [metrics.registry],
    collect() {
      this.set(sources.rooms().ccu);
    },
  });
  new Gauge({
    name: 'bullmq_jobs',
    help: 'BullMQ jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [metrics.registry],
    async collect() {
      if (sources.queuesReady && !sources.queuesReady()) return; // the last counts stay
      for (const [queue, q] of Object.entries(sources.queues)) {
        const counts = await within(q.getJobCounts('waiting', 'delayed', 'active', 'failed'), sources.queuesTimeoutMs ?? 1000).catch(
          () => ({}) as Record<string, number>,
        );
        for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      }
    },
  });
}

/** Outbox gauges, read from the database when Prometheus scrapes. */
export function registerBacklogGauges(metrics: Metrics, source: { backlog(): Promise<{ pending: number; lagSeconds: number }> }) {
  let last: Promise<{ pending: number; lagSeconds: number }> | undefined;
  const read = () =>
    (last ??= source.backlog().finally(() =>
      setTimeout(() => {
        last = undefined;
      }, 500).unref(),
    ));
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Outbox events not yet published',
    registers: [metrics.registry],
    async collect() {
      this.set((await read().catch(() => ({ pending: 0 }))).pending);
    },
  });
  new Gauge({
    name: 'outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event',
    registers: [metrics.registry],
    async collect() {
      this.set((await read().catch(() => ({ lagSeconds: 0 }))).lagSeconds);
    },
  });
}
