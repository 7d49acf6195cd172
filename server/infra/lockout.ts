import type { RedisGuard } from '../lib/redis-guard.ts';

/**
 * Counts failed logins per username in Redis. `maxFailures` failures within `windowSeconds` lock the
 * name for `windowSeconds`; the state lives in Redis so every process sees the same counters.
 *
 * Without Redis (down, or stalled past REDIS_COMMAND_TIMEOUT_MS) the lockout cannot be checked or counted, and
 * logins fail closed with 503 `service/unavailable` rather than let unlimited guesses through; sessions already
 * open keep working (the revocation check falls back to PostgreSQL) and refresh needs no Redis.
 */
export class LoginLockout {
  constructor(
    private readonly redis: RedisGuard,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  /** Seconds until the lock ends, or 0 when not locked. */
  async lockedFor(usernameKey: string): Promise<number> {
    const ms = await this.redis.required('login.lockout', (r) => r.pttl(this.lockKey(usernameKey)));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Records a failure; the one that reaches the limit locks the name (the next attempt is refused). */
  async recordFailure(usernameKey: string): Promise<void> {
    const key = this.failKey(usernameKey);
    const [[, count]] = (await this.redis.required('login.lockout', (r) =>
      r.multi().incr(key).expire(key, this.windowSeconds, 'NX').exec(),
    )) as [[unknown, number]];
    if (count >= this.maxFailures) {
      await this.redis.required('login.lockout', (r) =>
        r.multi().set(this.lockKey(usernameKey), '1', 'EX', this.windowSeconds).del(key).exec(),
      );
    }
  }

  /** Forgets the failures after a successful login; without Redis they are left to expire with their window. */
  async clear(usernameKey: string): Promise<void> {
    await this.redis.orElse(
      'login.lockout',
      (r) => r.del(this.failKey(usernameKey)),
      () => 0,
      'failure count left to expire',
    );
  }

  /** Lifts a lock and forgets the failures (an operator's reset). */
  async reset(usernameKey: string): Promise<void> {
    await this.redis.required('login.lockout', (r) => r.del(this.failKey(usernameKey), this.lockKey(usernameKey)));
  }

  private failKey(u: string) {
    return `${this.prefix}login:fail:${u}`;
  }
  private lockKey(u: string) {
    return `${this.prefix}login:lock:${u}`;
  }
}
