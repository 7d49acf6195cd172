import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection that fails fast instead of queueing commands forever while Redis is down,
 * so `/ready` and request handlers see the outage and answer 503 rather than hang.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
    ...options,
  });
}
