// `npm run worker`: the BullMQ workers (hold expiry, stale-payment sweep) as a process of their own, for a
// deployment whose game processes run with RUN_WORKERS=false.
import { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { loadConfigOrExit, stopOnSignals } from '../lib/entry-point.ts';
import { ormOptions } from '../db/orm.config.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { createRedis, redisReady, watchRedis } from '../lib/redis.ts';
import { createServices } from '../services/index.ts';
import { createQueues } from '../workers/queues.ts';
import { startWorkers } from '../workers/register.ts';

const config = loadConfigOrExit();
const logger = createLogger(config, { process: 'worker' });
// admin jobs run ADMIN_JOB_ITEM_CONCURRENCY item transactions at once beside the other workers
const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, config.ADMIN_JOB_ITEM_CONCURRENCY + 4));
const redis = createRedis(config.REDIS_URL, logger, 'app', { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS });
await redisReady(redis);
const connection = watchRedis(new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }), logger, 'bullmq');
const prefix = `${config.REDIS_PREFIX}bull`;
const queues = createQueues(connection, prefix, { logger }, { attempts: config.NOTIFY_ATTEMPTS, backoffMs: config.NOTIFY_RETRY_BASE_MS });
const services = createServices({
  config,
  orm,
  redis,
  clock: systemClock,
  logger,
  scheduleHoldExpiry: queues.scheduleHoldExpiry,
  notificationScheduler: queues.notificationScheduler,
});
const workers = await startWorkers({
  connection,
  prefix,
  queues,
  shop: services.shop,
  relay: services.relay,
  notifications: services.notificationDelivery,
  jobs: services.jobs,
  adminJobPollMs: config.ADMIN_JOB_POLL_MS,
  pendingMaxAgeSeconds: config.PAYMENT_PENDING_MAX_AGE_SECONDS,
  logger,
});
logger.info('worker running');
stopOnSignals(
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
  async () => {
    await workers.close();
    await queues.close();
    connection.disconnect();
    redis.disconnect();
    await orm.close(true);
  },
  'worker',
);
