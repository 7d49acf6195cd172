import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BIG_WIN_MULTIPLIER_HUNDREDTHS } from '../../../domain/games/payout.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';

const CACHE_SECONDS = 5;

export interface GlobalMetrics {
  online_players: number;
  rounds_last_hour: number;
  big_wins_last_hour: number;
  biggest_win_last_hour: number;
  at: string;
}

/**
 * Social-proof numbers for everyone: computed at most every 5 s (shared through Redis across processes). Without
 * Redis every call computes them (a cache miss), and the online count (Colyseus presence, also Redis) reads 0.
 */
export class PublicMetricsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: RedisGuard,
    private readonly prefix: string,
    /** players connected to rooms across all processes (Colyseus' global CCU) */
    private readonly onlinePlayers: () => Promise<number>,
  ) {}

  async global(): Promise<GlobalMetrics> {
    const key = `${this.prefix}metrics:global`;
    const cached = await this.redis.orElse(
      'metrics.cache',
      (redis) => redis.get(key),
      () => null,
      'miss: read from PostgreSQL',
    );
    if (cached) return JSON.parse(cached) as GlobalMetrics;
    const [r] = await (this.orm.em.fork() as EntityManager).execute<{ rounds: number; big: number; biggest: string | null }[]>(
      `select count(*)::int as rounds, count(*) filter (where bet > 0 and multiplier >= ?)::int as big, max(payout) as biggest
         from game_rounds where created_at > now() - interval '1 hour' and status = 'settled'`,
      [BIG_WIN_MULTIPLIER_HUNDREDTHS],
    );
    const value: GlobalMetrics = {
      online_players: await this.redis.waitAtMost('metrics.online_players', this.onlinePlayers(), 0, 'counted as 0'),
      rounds_last_hour: r.rounds,
      big_wins_last_hour: r.big,
      biggest_win_last_hour: Number(r.biggest ?? 0),
      at: new Date().toISOString(),
    };
    await this.redis.orElse(
      'metrics.cache',
      (redis) => redis.set(key, JSON.stringify(value), 'EX', CACHE_SECONDS),
      () => null,
      'not cached',
    );
    return value;
  }
}
