import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * A Redis connection that fails fast instead of queueing commands forever while Redis is down,
 * so `/ready` and request handlers see the outage and answer 503 rather than hang.
 */
export function createRedis(url: string, logger: Logger, name = 'app', options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...options,
  });
  return watchRedis(redis, logger, name);
}

/** What a connection's outage is recorded into besides the log (createRedisMetrics in metrics.ts). */
export interface RedisOutageMetrics {
  dependencyUp: { set(labels: { service: string; component: string }, value: number): void };
  redisErrors: { inc(labels: { component: string }): void };
}

interface ErrorSource {
  on(event: 'error', fn: (err: Error) => void): unknown;
}
interface ReadySource {
  on(event: 'ready', fn: () => void): unknown;
}

/** Errors that say Redis is unreachable (refused, reset, closed), as opposed to a failing command. */
const OUTAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out/i;
const watched = new WeakMap<object, { metrics?: RedisOutageMetrics; down: boolean }>();

/**
 * Logs a connection's outage as two lines instead of ioredis' or BullMQ's error per reconnection attempt: a warning
 * "redis unavailable" at its first error and "redis back" when it is ready again (at most one warning per 10 s, a
 * flapping connection included). With metrics it counts every error (redis_connection_errors_total{component}) and
 * holds dependency_up{service="redis",component} at 0 while down. `conn` is an ioredis connection, or a BullMQ
 * Queue, Worker or QueueEvents with `readyFrom` its backend (they emit no `ready` of their own on reconnection).
 * Watching a connection again (createRedis watches its own) only adds the metrics.
 */
export function watchRedis<T extends ErrorSource>(
  conn: T,
  logger: Logger,
  name: string,
  opts: { metrics?: RedisOutageMetrics; readyFrom?: ReadySource } = {},
): T {
  const labels = { service: 'redis', component: name };
  const known = watched.get(conn);
  if (known) {
    known.metrics = opts.metrics ?? known.metrics;
    known.metrics?.dependencyUp.set(labels, known.down ? 0 : 1);
    return conn;
  }
  const state = { metrics: opts.metrics, down: false, since: 0, logged: false, lastWarn: 0, lastOther: 0 };
  watched.set(conn, state);
  state.metrics?.dependencyUp.set(labels, 1);
  conn.on('error', (err) => {
    const now = Date.now();
    if (!OUTAGE.test(`${(err as { code?: string }).code ?? ''} ${err.message}`)) {
      if (now - state.lastOther < 10_000) return;
      state.lastOther = now;
      logger.warn({ component: name, err: err.message }, 'redis error');
      return;
    }
    state.metrics?.redisErrors.inc({ component: name });
    if (state.down) return;
    state.down = true;
    state.since = now;
    state.metrics?.dependencyUp.set(labels, 0);
    state.logged = now - state.lastWarn >= 10_000;
    if (!state.logged) return;
    state.lastWarn = now;
    logger.warn({ component: name, err: err.message }, 'redis unavailable');
  });
  (opts.readyFrom ?? (conn as unknown as ReadySource)).on('ready', () => {
    if (!state.down) return;
    state.down = false;
    state.metrics?.dependencyUp.set(labels, 1);
    if (state.logged) logger.info({ component: name, down_ms: Date.now() - state.since }, 'redis back');
  });
  return conn;
}

/** Resolves once the connection is ready (commands fail fast while it is not); rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
