import type { Redis } from 'ioredis';

/**
 * Tells which server processes are alive: each process refreshes a Redis key with a short TTL. Recovery only
 * touches open sessions and rounds whose owner's key is gone, so several processes can share the database.
 */
export class ProcessRegistry {
  private timer?: NodeJS.Timeout;

  /** `id` is stable across restarts of the same instance (default hostname:PORT), so a restart recovers its own leftovers. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly id: string,
    private readonly ttlSeconds = 15,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(
      () => {
        this.beat().catch(() => undefined);
      },
      (this.ttlSeconds * 1000) / 3,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(this.key(this.id)).catch(() => undefined);
  }

  /** The subset of `owners` that are not alive (no heartbeat). */
  async deadAmong(owners: string[]): Promise<string[]> {
    const others = owners.filter((o) => o !== this.id);
    if (others.length === 0) return [];
    const alive = await this.redis.mget(...others.map((o) => this.key(o)));
    return others.filter((_, i) => alive[i] === null);
  }

  private beat() {
    return this.redis.set(this.key(this.id), '1', 'EX', this.ttlSeconds);
  }

  private key(id: string) {
    return `${this.prefix}proc:${id}`;
  }
}
