import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { hostname } from 'node:os';
import type { Game } from '../../domain/games/game.ts';
import type { Logger } from '../lib/logger.ts';
import { RedisGuard } from '../lib/redis-guard.ts';
import { AdminAuthService } from './admin/admin-auth.service.ts';
import { AdminPlayersService } from './admin/players.service.ts';
import { PlayerAccessService } from './admin/player-access.service.ts';
import { WalletAdjustmentsService } from './admin/wallet-adjustments.service.ts';
import { KpisService, type ListedRoom } from './admin/kpis.service.ts';
import { EconomyService } from './admin/economy.service.ts';
import { ShopAdminService } from './admin/shop-admin.service.ts';
import { TransactionsAdminService } from './admin/transactions-admin.service.ts';
import { AdminWriteService } from './admin/admin-write.service.ts';
import { AuditService } from './admin/audit.service.ts';
import { PlayerNotesService } from './admin/notes.service.ts';
import { AdminSettingsService } from './admin/settings.service.ts';
import { ImportsService } from './admin/imports/imports.service.ts';
import { importProductsJob } from './admin/imports/products-job.ts';
import { SegmentsService } from './admin/segments/segments.service.ts';
import { TagsService } from './admin/segments/tags.service.ts';
import { createOperations } from './admin/operations/setup.ts';
import { JobsService } from './admin/jobs/jobs.service.ts';
import { JobEventsPublisher, JobEventsSubscriber } from '../infra/job-events.ts';
import { AuthService } from './auth/auth.service.ts';
import { CrashChainService } from './games/crash-chain.service.ts';
import { EscrowService } from './games/escrow.service.ts';
import { FairnessService } from './fairness/fairness.service.ts';
import { GachaService } from './games/gacha.service.ts';
import { SlotService } from './games/slot.service.ts';
import { HubPublisher } from '../infra/hub.publisher.ts';
import { KickPublisher } from '../infra/kick.publisher.ts';
import { LiveOpsService } from './liveops/liveops.service.ts';
import { OutboxRelay } from '../infra/outbox-relay.ts';
import { ProfileService } from './liveops/profile.service.ts';
import { PublicMetricsService } from './games/public-metrics.service.ts';
import { RewardService } from './wallet/reward.service.ts';
import { StreakService } from './liveops/streak.service.ts';
import { PaymentService } from './shop/payment.service.ts';
import { ShopService } from './shop/shop.service.ts';
import { GameService, type OnSettled } from './games/game.service.ts';
import { ProcessRegistry } from '../infra/process-registry.ts';
import { RecoveryService } from './games/recovery.service.ts';
import { statsAndXpHook } from './games/stats.hook.ts';
import { LoginLockout } from '../infra/lockout.ts';
import { PasswordHasher } from './auth/password-hasher.ts';
import { TokenService } from './auth/token.service.ts';
import { WalletService } from './wallet/wallet.service.ts';
import { InboxService } from './inbox/inbox.service.ts';
import { NotificationsService, type NotificationScheduler } from './admin/notifications/notifications.service.ts';
import { NotificationDeliveryService } from './admin/notifications/delivery.service.ts';
import { savedSegmentMembers } from './admin/notifications/recipients.ts';
import { ContentAdminService } from './admin/content/content-admin.service.ts';
import { LimitsService } from './limits/limits.service.ts';

/** The application services, built once per process from its config and connections. */
export function createServices(d: {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  clock: Clock;
  logger?: Logger;
  /** schedules a stock hold's expiry (BullMQ delayed job); without it holds only expire through the stale-payment sweep */
  scheduleHoldExpiry?: (purchaseId: string, delayMs: number) => Promise<void>;
  /** players connected to rooms across processes (Colyseus' global CCU) */
  onlinePlayers?: () => Promise<number>;
  /** the matchmaker's rooms across processes (admin KPIs) */
  listRooms?: () => Promise<ListedRoom[]>;
  /** called with committed rounds per game (Prometheus counter) */
  onRoundsSettled?: OnSettled;
  /** called with the number of round requests of every committed round transaction (Prometheus histogram) */
  onRoundBatchCommitted?: (size: number) => void;
  /** called whenever a Redis call on a request path fell back (Prometheus counter, by component) */
  onRedisFallback?: (component: string) => void;
  /** queues notification deliveries (BullMQ delayed jobs); without it notifications wait for a worker's sweep */
  notificationScheduler?: NotificationScheduler;
}) {
  const { config, orm, redis, clock } = d;
  // every Redis call on a request path goes through it: bounded, with its fallback decided where it is made
  const redisGuard = new RedisGuard(redis, { logger: d.logger, timeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, onFallback: d.onRedisFallback });
  const wallet = new WalletService(orm);
  const registry = new ProcessRegistry(redis, config.REDIS_PREFIX, config.INSTANCE_ID ?? `${hostname()}:${config.PORT}`);
  const fairness = new FairnessService(orm, clock);
  const kicks = new KickPublisher(redisGuard);
  const limits = new LimitsService(orm, clock, {
    realityCheckDefaultMinutes: config.REALITY_CHECK_DEFAULT_MINUTES,
    kick: (userId, reason) => kicks.kick(userId, reason),
  });
  const games = new GameService({
    limits,
    orm,
    wallet,
    fairness,
    clock,
    owner: registry.id,
    onSettled: d.onRoundsSettled,
    onCommitted: d.onRoundBatchCommitted,
    batching: { windowMs: config.GAME_COMMIT_WINDOW_MS, maxSize: config.GAME_COMMIT_MAX_BATCH, maxInFlight: config.GAME_COMMIT_IN_FLIGHT },
  });
  games.onSessionEnd(statsAndXpHook);
  const crash = new CrashChainService(orm, registry.id);
  const escrow = new EscrowService(orm, wallet, games, clock, d.onRoundsSettled, undefined, limits);
  const gacha = new GachaService(orm, games);
  const slot = new SlotService(games, { min: config.BET_MIN, max: config.BET_MAX });
  // AuthService and TokenService need each other (revocation fallback); the late-bound arrow breaks the cycle.
  let auth: AuthService | undefined;
  const tokens = new TokenService(
    config.JWT_SECRET,
    config.ACCESS_TOKEN_TTL_SECONDS,
    redis,
    config.REDIS_PREFIX,
    clock,
    (sid) => auth!.isSessionRevoked(sid),
    redisGuard,
    Math.max(config.ACCESS_TOKEN_TTL_SECONDS, config.ADMIN_ACCESS_TTL_SECONDS),
  );
  const lockout = new LoginLockout(redisGuard, config.REDIS_PREFIX, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_SECONDS);
  const passwords = new PasswordHasher({
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    concurrency: config.PASSWORD_HASH_CONCURRENCY,
    maxWaiting: config.PASSWORD_HASH_QUEUE,
  });
  auth = new AuthService({
    orm,
    wallet,
    tokens,
    lockout,
    clock,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    signupBonusGold: config.SIGNUP_BONUS_GOLD,
    passwords,
  });
  const adminAuth = new AdminAuthService(auth, config.ADMIN_ACCESS_TTL_SECONDS);
  const audit = new AuditService(orm, clock, d.logger);
  const adminSettings = new AdminSettingsService(orm, clock, audit);
  const adminWrites = new AdminWriteService(orm, audit, adminSettings, clock);
  const playerNotes = new PlayerNotesService(orm, clock);
  const recovery = d.logger ? new RecoveryService(orm, escrow, games, registry, d.logger) : undefined;
  const hub = new HubPublisher(redisGuard);
  // the dashboard cache is dropped whenever a player's live-ops data or purchases change (profile is built last)
  let profile: ProfileService | undefined;
  const changed = async (userId: string) => {
    await profile?.invalidate(userId);
  };
  const shop = new ShopService(orm, wallet, hub, clock, {
    holdSeconds: config.SHOP_HOLD_SECONDS,
    scheduleHoldExpiry: d.scheduleHoldExpiry ?? (async () => undefined),
    onChanged: changed,
    redis: redisGuard,
    limits,
  });
  const payments = new PaymentService(orm, redisGuard, shop, clock, config.PAYMENT_WEBHOOK_SECRET, config.REDIS_PREFIX);
  const rewards = new RewardService(wallet);
  const liveops = new LiveOpsService(orm, rewards, hub, clock, changed);
  const streak = new StreakService(orm, rewards, hub, clock, changed);
  games.onSessionEnd(liveops.sessionEndHook);
  games.onSessionEnd(streak.sessionEndHook);
  profile = new ProfileService(orm, redis, config.REDIS_PREFIX, { auth, liveops, streak, shop }, redisGuard);
  const relay = new OutboxRelay(orm, redis, `${config.REDIS_PREFIX}events`, clock, config.OUTBOX_RETRY_BASE_MS);
  const adminPlayers = new AdminPlayersService(orm, wallet, {
    wageredRefreshMs: config.ADMIN_WAGERED_REFRESH_SECONDS * 1000,
    onRefreshFailed: (err) => d.logger?.warn({ err }, 'players grid: wagered_7d refresh failed'),
  });
  const playerAccess = new PlayerAccessService({
    orm,
    tokens,
    lockout,
    kicks,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const walletAdjustments = new WalletAdjustmentsService(orm, wallet, {
    approvalThreshold: config.ADMIN_ADJUSTMENT_APPROVAL_THRESHOLD,
    maxAmount: config.ADMIN_ADJUSTMENT_MAX,
  });
  const shopAdmin = new ShopAdminService(orm, hub);
  const transactionsAdmin = new TransactionsAdminService(orm);
  const jobs = new JobsService(
    orm,
    {
      chunkSize: config.ADMIN_JOB_CHUNK_SIZE,
      concurrency: config.ADMIN_JOB_ITEM_CONCURRENCY,
      lockTimeoutMs: config.ADMIN_JOB_LOCK_TIMEOUT_MS,
      statementTimeoutMs: config.ADMIN_JOB_STATEMENT_TIMEOUT_MS,
      maxAttempts: config.ADMIN_JOB_ITEM_ATTEMPTS,
      retryDelayMs: config.ADMIN_JOB_RETRY_DELAY_MS,
      staleSeconds: config.ADMIN_JOB_STALE_SECONDS,
    },
    new JobEventsPublisher(redisGuard, config.REDIS_PREFIX),
  );
  const kpis = new KpisService(orm, d.listRooms ?? (async () => []));
  const economy = new EconomyService(orm, clock);
  const segments = new SegmentsService(orm, clock, { previewTimeoutMs: config.ADMIN_SEGMENT_PREVIEW_TIMEOUT_MS });
  const tags = new TagsService(orm, clock);
  const inbox = new InboxService(orm, hub, clock);
  const notificationScheduler = d.notificationScheduler ?? { schedule: async () => undefined, unschedule: async () => undefined };
  const segmentMembers = savedSegmentMembers(segments);
  const notifications = new NotificationsService({ orm, clock, scheduler: notificationScheduler, segmentMembers, redis: redisGuard });
  const notificationDelivery = new NotificationDeliveryService({
    orm,
    clock,
    inbox,
    scheduler: notificationScheduler,
    segmentMembers,
    logger: d.logger,
    limits: {
      chunkSize: config.NOTIFY_CHUNK_SIZE,
      statementTimeoutMs: config.NOTIFY_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: config.NOTIFY_LOCK_TIMEOUT_MS,
    },
  });
  const content = new ContentAdminService(orm, clock, segments);
  const operations = createOperations({
    orm,
    clock,
    jobs,
    segments,
    tags,
    inbox,
    wallet,
    playerAccess,
    maxAmount: config.ADMIN_OPERATION_MAX_AMOUNT,
  });
  const imports = new ImportsService(orm, clock, { operations, jobs });
  jobs.register(importProductsJob({ shopAdmin, audit, hub }));
  const publicMetrics = new PublicMetricsService(orm, redisGuard, config.REDIS_PREFIX, d.onlinePlayers ?? (async () => 0));
  return {
    wallet,
    tokens,
    passwords,
    auth,
    adminAuth,
    audit,
    adminSettings,
    adminWrites,
    playerNotes,
    fairness,
    limits,
    games,
    crash,
    escrow,
    gacha,
    slot,
    registry,
    recovery,
    hub,
    shop,
    payments,
    rewards,
    liveops,
    streak,
    profile,
    relay,
    publicMetrics,
    adminPlayers,
    playerAccess,
    walletAdjustments,
    shopAdmin,
    transactionsAdmin,
    kpis,
    economy,
    imports,
    inbox,
    notifications,
    notificationDelivery,
    content,
    segments,
    tags,
    jobs,
    jobEvents: new JobEventsSubscriber(redis, config.REDIS_PREFIX, d.logger),
    operations,
  };
}
export type Services = ReturnType<typeof createServices>;
