import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { defineServer, matchMaker, type Server } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { defineRooms } from '../rooms/index.ts';
import { rpsMatchmaking } from '../rooms/rps/rps.matchmaking.ts';
import { DEFAULT_RAKE_BPS } from '../domain/games/rps/rules.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { Config } from './config/schema.ts';
import { ormOptions } from './db/orm.config.ts';
import { PacedPingTransport } from './infra/paced-ping-transport.ts';
import { createHttpApp } from './http/app.ts';
import { answerClientErrors } from './http/client-error.ts';
import { systemClock } from './lib/clock.ts';
import { colyseusLogger } from './lib/colyseus-logger.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import type { StartupTimer } from './lib/startup-timer.ts';
import {
  createMetrics,
  createRedisMetrics,
  gameMoneyRecorder,
  registerPublishedRtp,
  registerRedisFallbacks,
  roomProbe,
} from './lib/metrics.ts';
import { registerBacklogGauges, registerHasherGauges, registerPoolGauges, registerRuntimeGauges } from './lib/scrape-gauges.ts';
import { createRedis, redisReady, watchRedis } from './lib/redis.ts';
import { createServices, type Services } from './services/index.ts';
import { publishedLaws, CURRENT_ALGORITHM } from './services/admin/theoretical-rtp.ts';
import { createQueues } from './workers/queues.ts';
import { startWorkers } from './workers/register.ts';

export interface RunningServer {
  port: number;
  url: string;
  orm: MikroORM;
  redis: Redis;
  services: Services;
  logger: Logger;
  colyseus: Server;
  /** Graceful stop: rooms disposed, HTTP closed, Redis and PostgreSQL connections closed. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** records the start-up steps (ORM, Redis, services, workers, recovery, HTTP, rooms) */
  timer?: StartupTimer;
  /** runs once the database is connected, before anything reads it (`npm start` migrates and seeds there) */
  prepare?: (orm: MikroORM) => Promise<void>;
}

/** Matchmaking hardening: clients may join rooms but not create arbitrary ones; CORS only for configured origins. */
function configureMatchmaking(config: Config) {
  matchMaker.controller.exposedMethods = ['joinOrCreate', 'join', 'joinById', 'reconnect'];
  matchMaker.controller.DEFAULT_CORS_HEADERS = {
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key, X-Request-Id, If-None-Match',
    'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
    'Access-Control-Expose-Headers': 'X-Request-Id, ETag, Retry-After',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  } as unknown as typeof matchMaker.controller.DEFAULT_CORS_HEADERS;
  const allowed = new Set(config.CORS_ORIGINS);
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin');
    return origin && allowed.has(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } : {};
  };
}

/** Starts one game + API process: ORM, Redis, services, Express and the Colyseus rooms on one port. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, config.DB_POOL_MAX));
  await orm.connect();
  const mark = (step: string) => opts.timer?.mark(step);
  mark('ORM');
  await opts.prepare?.(orm);
  // request paths wait this long for Redis at most, then take their fallback (services/index.ts, lib/redis-guard.ts)
  const redis = createRedis(config.REDIS_URL, logger, 'app', { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS });
  await redisReady(redis);
  mark('Redis');
  const metrics = createMetrics();
  const recordMoney = gameMoneyRecorder(metrics);
  registerPublishedRtp(metrics, publishedLaws);
  const redisFallbacks = registerRedisFallbacks(metrics);
  const redisMetrics = createRedisMetrics(metrics);
  watchRedis(redis, logger, 'app', { metrics: redisMetrics });
  // BullMQ needs its own connection that retries forever (commands wait for Redis instead of failing)
  const bullConnection = watchRedis(new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }), logger, 'bullmq', {
    metrics: redisMetrics,
  });
  const bullPrefix = `${config.REDIS_PREFIX}bull`;
  const queues = createQueues(
    bullConnection,
    bullPrefix,
    { logger, metrics: redisMetrics },
    { attempts: config.NOTIFY_ATTEMPTS, backoffMs: config.NOTIFY_RETRY_BASE_MS },
  );
  const services = createServices({
    config,
    orm,
    redis,
    clock,
    logger,
    scheduleHoldExpiry: queues.scheduleHoldExpiry,
    notificationScheduler: queues.notificationScheduler,
    onlinePlayers: () => matchMaker.stats.getGlobalCCU(),
    listRooms: () => matchMaker.query({}),
    onRoundsSettled: (game, n, money) => {
      metrics.roundsSettled.inc({ game }, n);
      recordMoney(game, money.algorithm ?? CURRENT_ALGORITHM[game], money);
    },
    onRoundBatchCommitted: (n) => metrics.commitBatchSize.observe(n),
    onRedisFallback: (component) => redisFallbacks.inc({ component }),
  });
  mark('services');
  const workers = config.RUN_WORKERS
    ? await startWorkers({
        connection: bullConnection,
        prefix: bullPrefix,
        queues,
        shop: services.shop,
        relay: services.relay,
        notifications: services.notificationDelivery,
        jobs: services.jobs,
        adminJobPollMs: config.ADMIN_JOB_POLL_MS,
        pendingMaxAgeSeconds: config.PAYMENT_PENDING_MAX_AGE_SECONDS,
        logger,
        metrics: redisMetrics,
      })
    : undefined;
  mark('workers');
  await services.registry.start();
  await services.recovery!.recover();
  mark('recovery');
  registerBacklogGauges(metrics, services.relay);
  registerHasherGauges(metrics, services.passwords);
  registerRuntimeGauges(metrics, {
    rooms: () => matchMaker.stats.local,
    queues: { shop: queues.shop, outbox: queues.outbox },
    queuesReady: () => bullConnection.status === 'ready',
    queuesTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
  });
  registerPoolGauges(metrics, await orm.em.getConnection().getNativeClient(), config.DB_POOL_MAX);
  const httpApp = createHttpApp({
    config,
    logger,
    orm,
    redis,
    metrics,
    services,
    queues: [queues.shop, queues.outbox, queues.notifications, queues.adminJobs],
    rpsSeat: rpsMatchmaking({ betLimits: { min: config.BET_MIN, max: config.BET_MAX } }).seat,
  });

  mark('HTTP');
  configureMatchmaking(config);
  const presence = new RedisPresence(config.REDIS_URL);
  // every player who asks for a seat while a room of that kind is being created waits on one presence channel, so a
  // burst of joins adds more than Node's default 10 listeners to it (each removed when the room is announced)
  presence.setMaxListeners(0);
  const driver = new RedisDriver(config.REDIS_URL);
  // their connections are internal; attach handlers so an outage is logged once, not spammed
  const internal = [
    (presence as never as { pub: Redis }).pub,
    (presence as never as { sub: Redis }).sub,
    (driver as never as { _client: Redis })._client,
  ];
  internal.forEach((conn, i) => watchRedis(conn, logger, ['presence-pub', 'presence-sub', 'driver'][i], { metrics: redisMetrics }));
  const colyseus = defineServer({
    rooms: defineRooms({
      verify: (t) => services.tokens.verifyAccessToken(t),
      logger,
      games: services.games,
      betLimits: { min: config.BET_MIN, max: config.BET_MAX },
      reconnectSeconds: config.ROOM_RECONNECT_SECONDS,
      messagesPerSecond: config.ROOM_MESSAGES_PER_SECOND,
      escrow: services.escrow,
      gacha: services.gacha,
      slot: services.slot,
      fairness: services.fairness,
      rps: { houseAfterMs: config.RPS_HOUSE_AFTER_MS, pickTimeoutMs: config.RPS_PICK_TIMEOUT_MS, rakeBps: DEFAULT_RAKE_BPS },
      crash: {
        chain: services.crash,
        bettingMs: config.CRASH_BETTING_MS,
        pauseMs: config.CRASH_PAUSE_MS,
        timeScale: config.CRASH_TIME_SCALE,
        maxPayout: config.CRASH_MAX_PAYOUT,
      },
      probe: roomProbe(metrics),
      limits: services.limits,
    }),
    express: (app) => {
      app.use(httpApp);
    },
    transport: new PacedPingTransport(),
    presence,
    driver,
    greet: false,
    gracefullyShutdown: false,
    // With a public address, seat reservations tell the SDK where the room's process listens, so any process may
    // own a new room (Colyseus's default: the one with the fewest rooms). Without one, the client's WebSocket goes
    // to the address it matched through, so the room must live on the process that received the join.
    publicAddress: config.PUBLIC_ADDRESS,
    ...(config.PUBLIC_ADDRESS ? {} : { selectProcessIdToCreateRoom: async () => matchMaker.processId }),
    logger: colyseusLogger(logger, () => metrics.badFrames.inc()) as never,
  });
  await colyseus.listen(config.PORT, config.HOST);
  const httpServer = colyseus.transport.server as HttpServer;
  answerClientErrors(httpServer);
  const port = (httpServer.address() as AddressInfo).port;
  mark('rooms');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await colyseus.gracefullyShutdown(false);
      await services.games.drain();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => (httpServer.listening ? httpServer.close(() => resolve()) : resolve()));
      await services.registry.stop();
      await workers?.close();
      await queues.close();
      bullConnection.disconnect();
      redis.disconnect();
      await orm.close(true);
    })());

  return { port, url: `http://127.0.0.1:${port}`, orm, redis, services, logger, colyseus, stop };
}
