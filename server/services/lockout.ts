import type { Redis } from 'ioredis';

/**
 * Counts failed logins per username in Redis. `maxFailures` failures within `windowSeconds` lock the
 * name for `windowSeconds`; the state lives in Redis so every process sees the same counters.
 */
export class LoginLockout {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  /** Seconds until the lock ends, or 0 when not locked. */
  async lockedFor(usernameKey: string): Promise<number> {
    const ms = await this.redis.pttl(this.lockKey(usernameKey));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Records a failure; the one that reaches the limit locks the name (the next attempt is refused). */
  async recordFailure(usernameKey: string): Promise<void> {
    const key = this.failKey(usernameKey);
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, this.windowSeconds, 'NX').exec()) as [[unknown, number]];
    if (count >= this.maxFailures) {
      await this.redis.multi().set(this.lockKey(usernameKey), '1', 'EX', this.windowSeconds).del(key).exec();
    }
  }

  async clear(usernameKey: string): Promise<void> {
    await this.redis.del(this.failKey(usernameKey));
  }

  private failKey(u: string) { return `${this.prefix}login:fail:${u}`; }
  private lockKey(u: string) { return `${this.prefix}login:lock:${u}`; }
}
