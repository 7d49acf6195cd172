import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BIG_WIN_MULTIPLIER_HUNDREDTHS } from '../../../domain/games/payout.ts';
import { lastHourRounds } from '../../db/repositories/game-round.repository.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';

const CACHE_SECONDS = 5;

/** The public numbers at one moment. */
export interface GlobalMetrics {
  onlinePlayers: number;
  roundsLastHour: number;
  bigWinsLastHour: number;
  biggestWinLastHour: number;
  /** when they were computed (ISO 8601) */
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
    // `:v2`: the entry holds these camelCase fields; a process still running the previous release reads its own key
    const key = `${this.prefix}metrics:global:v2`;
    const cached = await this.redis.orElse(
      'metrics.cache',
      (redis) => redis.get(key),
      () => null,
      'miss: read from PostgreSQL',
    );
    if (cached) return JSON.parse(cached) as GlobalMetrics;
    const r = await lastHourRounds(this.orm.em.fork() as EntityManager, BIG_WIN_MULTIPLIER_HUNDREDTHS);
    const value: GlobalMetrics = {
      onlinePlayers: await this.redis.waitAtMost('metrics.online_players', this.onlinePlayers(), 0, 'counted as 0'),
      roundsLastHour: r.rounds,
      bigWinsLastHour: r.bigWins,
      biggestWinLastHour: r.biggestPayout,
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
