import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { XP_PER_LEVEL } from '../../../domain/economy/progression.ts';
import { recentSessionsOf, recentSessionsRead, type SessionSummary } from '../../db/repositories/game-session.repository.ts';
import { gameStatsOf, gameStatsRead, type GameStatSummary } from '../../db/repositories/user.repository.ts';
import { readTogether } from '../../db/sql.ts';
import { phase } from '../../lib/phases.ts';
import { RedisGuard } from '../../lib/redis-guard.ts';
import { withBalances, type AuthService, type UserWithBalances } from '../auth/auth.service.ts';
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
    const [user, balances, stats, streak] = await readTogether(this.em(), this.profileRead(userId));
    return profileOf(withBalances(user, balances), stats, streak);
  }

  /** The reads of `profile`: the user, their balances, per-game stats and streak. */
  private profileRead(userId: string) {
    return [...this.parts.auth.meRead(userId), gameStatsRead(userId), this.parts.streak.viewRead(userId)] as const;
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
    const dashboard = await this.read(userId);
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

  /** A player's dashboard, read from PostgreSQL in one statement (the events' and missions' definitions are cached). */
  protected async read(userId: string): Promise<Dashboard> {
    const em = this.em();
    const { liveops, shop } = this.parts;
    const [eventsRead, missionsRead] = await Promise.all([liveops.eventsRead(em, userId), liveops.missionsRead(em, userId)]);
    const [user, balances, stats, streak, events, missions, sessions, listed, bought] = await readTogether(em, [
      ...this.profileRead(userId),
      eventsRead,
      missionsRead,
      recentSessionsRead(userId, 5),
      ...shop.catalogRead(em, userId),
    ]);
    const profile = profileOf(withBalances(user, balances), stats, streak);
    const catalog = shop.catalogOf(listed, bought);
    return {
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

function profileOf(user: UserWithBalances, stats: GameStatSummary[], streak: StreakView): ProfileView {
  return { user, levelProgress: { xpInLevel: user.xp % XP_PER_LEVEL, xpPerLevel: XP_PER_LEVEL }, stats, streak };
}
