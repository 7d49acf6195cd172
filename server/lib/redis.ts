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

/** Logs a connection's errors (at most one line per 10 s) instead of ioredis' unhandled-error noise. */
export function watchRedis<T extends { on(event: 'error', fn: (err: Error) => void): unknown }>(conn: T, logger: Logger, name: string): T {
  let last = 0;
  conn.on('error', (err) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    logger.warn({ redis: name, err: err.message }, 'redis connection error');
  });
  return conn;
}

/** Resolves once the connection is ready (commands fail fast while it is not); rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { redis.off('ready', onReady); reject(new Error(`Redis not reachable within ${timeoutMs} ms`)); }, timeoutMs);
    const onReady = () => { clearTimeout(timer); resolve(); };
    redis.once('ready', onReady);
  });
}
