import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { XP_PER_LEVEL } from '../../../domain/economy/progression.ts';
import { recentSessionsOf, type SessionSummary } from '../../db/repositories/game-session.repository.ts';
import { gameStatsOf, type GameStatSummary } from '../../db/repositories/user.repository.ts';
import { phase } from '../../lib/phases.ts';
import { RedisGuard } from '../../lib/redis-guard.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { LiveOpsService } from './liveops.service.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { StreakService, StreakView } from './streak.service.ts';
import type { CatalogEntry } from '../shop/shop.results.ts';
import type { EventView, MissionView } from './liveops.results.ts';

/** Cached dashboards live this long at most (seconds); claims, purchases and progress also drop them. */
export const DASHBOARD_TTL_SECONDS = 5;
/** A generation counter outlives by far every entry built under it (entries live seconds). */
const GENERATION_TTL_SECONDS = 3600;

/** A player's profile. */
export interface ProfileView {
  user: Awaited<ReturnType<AuthService['me']>>;
  levelProgress: { xpInLevel: number; xpPerLevel: number };
  stats: GameStatSummary[];
  streak: StreakView;
}

/** The lobby in one object (the dashboard). */
export interface Dashboard {
  profile: ProfileView;
  balances: ProfileView['user']['balances'];
  events: EventView[];
  missions: MissionView[];
  pendingRewards: number;
  recentSessions: SessionSummary[];
  streak: StreakView;
  shopHighlights: CatalogEntry[];
}

/** Read models for the lobby: profile, recent sessions, per-game stats, and the one-call dashboard with an ETag. */
export class ProfileService {
  private readonly cache: RedisGuard;
  /** dashboards being built, by player and cache generation */
  private readonly building = new Map<string, Promise<{ etag: string; dashboard: Dashboard }>>();

  constructor(
    private readonly orm: MikroORM,
    redis: Redis,
    private readonly prefix: string,
    private readonly parts: { auth: AuthService; liveops: LiveOpsService; streak: StreakService; shop: ShopService },
    guard?: RedisGuard,
  ) {
    this.cache = guard ?? new RedisGuard(redis);
  }

  /** The player's latest game sessions with their totals, newest first. */
  async recentSessions(userId: string, limit = 10) {
    return recentSessionsOf(this.em(), userId, limit);
  }

  /** The player's lifetime figures per game. */
  async stats(userId: string) {
    return gameStatsOf(this.em(), userId);
  }

  /** The player with balances, progress through the current level, per-game stats and streak. */
  async profile(userId: string): Promise<ProfileView> {
    const [user, stats, streak] = await Promise.all([this.parts.auth.me(userId), this.stats(userId), this.parts.streak.view(userId)]);
    return { user, levelProgress: { xpInLevel: user.xp % XP_PER_LEVEL, xpPerLevel: XP_PER_LEVEL }, stats, streak };
  }

  /**
   * The lobby in one call, with a strong ETag over its exact bytes; cached in Redis for a few seconds.
   *
   * The cache is versioned per player: `invalidate()` bumps a generation counter and every entry records
   * the generation it was built under. A read that started before a commit (and so saw the old rows) but
   * stores its entry after that commit's invalidation carries the old generation, so nobody serves it.
   * Without Redis (down or stalled) every read is a miss built from PostgreSQL, and nothing is stored.
   */
  async dashboard(userId: string): Promise<{ etag: string; dashboard: Dashboard }> {
    const [genKey, key] = [this.generationKey(userId), this.cacheKey(userId)];
    const read = await this.cache.orElse(
      'dashboard.cache',
      (r) => r.mget(genKey, key),
      () => null,
      'miss: built from PostgreSQL',
    );
    const [generation, cached] = read ?? [null, null];
    const current = generation ?? '0';
    phase('cache_read');
    if (cached) {
      const hit = JSON.parse(cached) as { generation: string; etag: string; dashboard?: Dashboard };
      if (hit.generation === current && hit.dashboard) return { etag: hit.etag, dashboard: hit.dashboard };
    }
    // concurrent misses of one player under one generation share one build (a burst of refetches after a push, or
    // requests arriving while the entry is rebuilt after it expired): one set of reads instead of one per request.
    // Not without Redis: no generation then tells a build begun before a commit from one begun after it.
    if (!read) return this.build(userId, key, current);
    const flight = `${userId}:${current}`;
    let build = this.building.get(flight);
    if (!build) {
      build = this.build(userId, key, current).finally(() => this.building.delete(flight));
      this.building.set(flight, build);
    }
    return build;
  }

  /** Builds a player's dashboard from PostgreSQL and caches it under the generation read before the build. */
  private async build(userId: string, key: string, generation: string): Promise<{ etag: string; dashboard: Dashboard }> {
    const [profile, events, missions, sessions, catalog] = await Promise.all([
      this.profile(userId),
      this.parts.liveops.events(userId),
      this.parts.liveops.missions(userId),
      this.recentSessions(userId, 5),
      this.parts.shop.catalog(userId),
    ]);
    const dashboard: Dashboard = {
      profile,
      balances: profile.user.balances,
      events,
      missions,
      // the claimable events and missions (LiveOpsService.pending), counted from the views just read
      pendingRewards: [...events, ...missions].filter((x) => x.status === 'claimable').length,
      recentSessions: sessions,
      streak: profile.streak,
      shopHighlights: catalog.filter((p) => p.canBuy).slice(0, 3),
    };
    phase('build');
    // the response is a fixed mapping of this object, so a hash of it is a strong validator of the response's bytes
    const text = JSON.stringify(dashboard);
    const entry = { etag: `"${createHash('sha256').update(text).digest('base64url')}"`, dashboard };
    // the cache entry embeds the text already made for the hash instead of serialising the dashboard again
    const stored = `{"generation":${JSON.stringify(generation)},"etag":${JSON.stringify(entry.etag)},"dashboard":${text}}`;
    await this.cache.orElse(
      'dashboard.cache',
      (r) => r.set(key, stored, 'EX', DASHBOARD_TTL_SECONDS),
      () => null,
      'not cached',
    );
    phase('cache_store');
    return entry;
  }

  /**
   * Makes a player's cached dashboard stale (after a claim, a purchase or progress), including one being built now.
   * Without Redis nothing is cached meanwhile, and what was cached before expires within DASHBOARD_TTL_SECONDS.
   */
  async invalidate(userId: string): Promise<void> {
    await this.cache.orElse(
      'dashboard.cache',
      (r) =>
        r
          .multi()
          .incr(this.generationKey(userId))
          .expire(this.generationKey(userId), GENERATION_TTL_SECONDS)
          .del(this.cacheKey(userId))
          .exec(),
      () => null,
      'not invalidated',
    );
  }

  private cacheKey(userId: string) {
    return `${this.prefix}dash:${userId}`;
  }
  private generationKey(userId: string) {
    return `${this.prefix}dash-gen:${userId}`;
  }
  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}
