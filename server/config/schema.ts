import { z } from 'zod';

/**
 * Every configuration key, with its type, default and meaning. `server/config/load.ts` is the only
 * reader of `process.env`; everything else receives the frozen `Config` object.
 * Secrets have no default: development scripts generate them once and keep them with the local state.
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

export const DEV_SECRET_PLACEHOLDER = 'change-me';

export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('Run mode. `production` refuses missing or default secrets.'),
  PORT: int(2567).pipe(z.number().max(65535)).describe('HTTP + WebSocket port (API, game rooms, client, admin).'),
  HOST: z.string().default('0.0.0.0').describe('Interface to bind.'),
  PUBLIC_URL: z.string().url().optional().describe('Base URL printed at start-up and used in links; default http://localhost:PORT.'),
  PUBLIC_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^\s/:[\]]+)(:\d{1,5})?(\/\S*)?$/, 'host[:port][/path], without a scheme')
    .optional()
    .describe(
      'Where clients open WebSockets to the rooms of this process (Colyseus `publicAddress`: host[:port][/path], no scheme), handed out in seat reservations. Set one per process when several share rooms (`npm start -- --processes N` does); then new rooms go to the process with the fewest. Unset: rooms are created on the process that received the join, and clients connect to the address they matched through.',
    ),
  DATABASE_URL: z
    .string()
    .url()
    .describe(
      'PostgreSQL connection URL; `?host=/socket/dir` connects over the Unix socket in that directory. `npm start`/`npm test` provision a local server when unset (and use its socket).',
    ),
  DB_POOL_MAX: int(20, 1).describe('Maximum PostgreSQL connections per process.'),
  REDIS_URL: z
    .string()
    .url()
    .describe(
      'Redis URL (presence, driver, caches, rate limits, queues); `?path=/file.sock` connects over that Unix socket. Provisioned locally when unset (and its socket used).',
    ),
  REDIS_PREFIX: z.string().default('neon:').describe('Prefix of every Redis key this app writes (isolates runs sharing a Redis).'),
  REDIS_COMMAND_TIMEOUT_MS: int(1000, 10).describe(
    "Longest wait for a Redis reply on a request path (the app connection's ioredis `commandTimeout`; BullMQ calls on a request path are waited for as long). Past it the request falls back: the token revocation check asks PostgreSQL, caches count as a miss, hub pushes are dropped, a hold-expiry job is left to land later; login, logout and the payment webhook answer 503 `service/unavailable`. Until Redis answers a PING again, such calls fall back at once.",
  ),
  JWT_SECRET: z.string().min(32).describe('HMAC secret for access tokens (>= 32 chars). Secret: required in production.'),
  PAYMENT_WEBHOOK_SECRET: z
    .string()
    .min(16)
    .describe('HMAC secret shared with the payment provider (>= 16 chars). Secret: required in production.'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 10).describe('Lifetime of a JWT access token.'),
  ADMIN_ACCESS_TTL_SECONDS: int(900, 10).describe(
    'Lifetime of an access token issued by the admin login (`/api/admin/auth/login`), and of the admin session cookie.',
  ),
  REFRESH_TOKEN_TTL_SECONDS: int(30 * 24 * 3600, 60).describe('Lifetime of a refresh token.'),
  LOGIN_MAX_FAILURES: int(5, 1).describe('Failed logins within the window that lock an account.'),
  LOGIN_WINDOW_SECONDS: int(600, 1).describe('Window for counting failed logins; also the lock duration.'),
  ARGON2_MEMORY_KIB: int(19456, 1024).describe('argon2id memory cost in KiB (OWASP minimum 19456).'),
  ARGON2_TIME_COST: int(2, 1).describe('argon2id iterations.'),
  PASSWORD_HASH_CONCURRENCY: int(1, 1).describe(
    'Password hashes (sign-up, login) computed at the same time per process; the rest wait, so a burst of logins does not starve the game rooms of CPU.',
  ),
  PASSWORD_HASH_QUEUE: int(64, 0).describe(
    'Password hashes allowed to wait per process; beyond that sign-up and login answer 503 `service/busy` with Retry-After.',
  ),
  SIGNUP_BONUS_GOLD: int(1000).describe('GOLD credited (ledgered) to every new account.'),
  BET_MIN: int(1, 1).describe('Smallest bet or stake in any game (GOLD minor units).'),
  BET_MAX: int(100_000, 1).describe('Largest bet or stake in any game (GOLD minor units).'),
  CRASH_MAX_PAYOUT: int(5_000_000, 1).describe(
    'Per-round exposure cap of a crash table: the house never pays more than this in one round (GOLD).',
  ),
  CRASH_BETTING_MS: int(5000, 200).describe('Length of the crash betting window.'),
  CRASH_TIME_SCALE: z.coerce
    .number()
    .min(1)
    .max(100)
    .default(1)
    .describe('Runs the crash curve this many times faster (tests and demos); 1 is the published curve (2x every 8 s).'),
  CRASH_PAUSE_MS: int(3000, 0).describe('Pause after a crash before the next betting window.'),
  RPS_HOUSE_AFTER_MS: int(3000, 100).describe('How long an RPS duel waits for a human opponent before the house plays.'),
  RPS_PICK_TIMEOUT_MS: int(10000, 500).describe('Time each RPS player has to pick; a missing pick forfeits.'),
  GAME_COMMIT_WINDOW_MS: int(2, 0).describe(
    'Group commit of instant rounds (slot spins with their free spins, gacha pulls): the longest a round waits for others to share its transaction, in ms. Results are still sent only after the commit.',
  ),
  GAME_COMMIT_MAX_BATCH: int(64, 1).describe(
    'Most rounds (spins, pulls) settled in one transaction; a batch is committed as soon as this many are waiting. 1 gives every round its own transaction.',
  ),
  GAME_COMMIT_IN_FLIGHT: int(2, 1).describe(
    'Round batches committing at the same time per process; rounds arriving meanwhile wait for the next batch.',
  ),
  ROOM_RECONNECT_SECONDS: int(20, 0).describe('Seconds a dropped player keeps their seat and pending bet.'),
  ROOM_MESSAGES_PER_SECOND: int(10, 1).describe('Messages per second one client may send to a room before getting `rate/limited`.'),
  REALITY_CHECK_DEFAULT_MINUTES: z.coerce
    .number()
    .min(0.01)
    .max(1440)
    .default(60)
    .describe(
      'Minutes of play between two reality checks in a game room for a player who chose no interval (fractions allowed, for tests).',
    ),
  SHOP_HOLD_SECONDS: int(900, 1).describe(
    'How long a pending provider payment holds limited stock before it is voided and the stock returns.',
  ),
  PAYMENT_PENDING_MAX_AGE_SECONDS: int(1800, 1).describe('Pending provider payments older than this are voided by a scheduled job.'),
  PROCESSES: int(1, 1)
    .pipe(z.number().max(64))
    .describe(
      'Game processes `npm start` runs (or `npm start -- --processes N`): ports PORT … PORT+N-1, each with its own PUBLIC_ADDRESS (the host of PUBLIC_URL, else localhost, and its port), sharing rooms through Redis; with N > 1 the BullMQ workers run in one more process and the game processes get RUN_WORKERS=false.',
    ),
  RUN_WORKERS: bool(true).describe(
    'Run the BullMQ workers (hold expiry, stale-payment voiding) inside the server process; set false when `npm run worker` runs them.',
  ),
  ADMIN_ADJUSTMENT_APPROVAL_THRESHOLD: int(10_000, 0).describe(
    "An operator's wallet adjustment whose absolute amount is above this waits for a second operator's approval before it applies.",
  ),
  ADMIN_ADJUSTMENT_MAX: int(100_000_000, 1).describe('Largest absolute amount of one wallet adjustment (minor units).'),
  ADMIN_OPERATION_MAX_AMOUNT: int(1_000_000, 1).describe(
    'Largest amount a bulk operation may grant or deduct per player (minor units); the draft is refused above it.',
  ),
  ADMIN_WAGERED_REFRESH_SECONDS: int(60, 1).describe(
    "How old the players grid's `wagered_7d` rollup may get before a grid read refreshes it in the background.",
  ),
  ADMIN_SEGMENT_PREVIEW_TIMEOUT_MS: int(5000, 100).describe(
    'Statement timeout of a segment preview (count and sample): a rule too heavy for the database is refused, not left running.',
  ),
  ADMIN_JOB_CHUNK_SIZE: int(200, 1).describe(
    'Items an admin job (bulk operation, import, notification send) runs between two progress updates and cancel checks.',
  ),
  ADMIN_JOB_ITEM_CONCURRENCY: int(4, 1).describe(
    'Items of one admin job a worker runs at once, each in its own transaction (and database connection).',
  ),
  ADMIN_JOB_LOCK_TIMEOUT_MS: int(2000, 1).describe(
    "lock_timeout of one admin job item's transaction: an item waiting longer for a player's row gives up and is retried later, so a bulk job never stalls a player.",
  ),
  ADMIN_JOB_STATEMENT_TIMEOUT_MS: int(10000, 1).describe("statement_timeout of one admin job item's transaction."),
  ADMIN_JOB_ITEM_ATTEMPTS: int(5, 1).describe(
    'Attempts of an admin job item that hits an error (a lock timeout) before it is marked failed with that error.',
  ),
  ADMIN_JOB_RETRY_DELAY_MS: int(1000, 0).describe('Wait before an admin job item that hit an error is tried again (times its attempts).'),
  ADMIN_JOB_POLL_MS: int(1000, 50).describe('How often the admin-jobs worker looks for new jobs and for running jobs whose worker died.'),
  ADMIN_JOB_STALE_SECONDS: int(30, 1).describe(
    'A RUNNING admin job whose worker has not reported for this long is taken over by another worker (it continues from its pending items).',
  ),
  OUTBOX_RETRY_BASE_MS: int(1000, 1).describe(
    'First retry delay of a failed outbox publish (doubles each attempt, at most 5 min); dead-lettered after 10 attempts.',
  ),
  NOTIFY_CHUNK_SIZE: int(1000, 1).describe(
    "Players a notification's delivery puts in inboxes per transaction (one `insert … select` each); the next chunk starts after it commits.",
  ),
  NOTIFY_STATEMENT_TIMEOUT_MS: int(5000, 10).describe(
    "statement_timeout of each notification delivery chunk's transaction: a chunk taking longer fails and the delivery is retried.",
  ),
  NOTIFY_LOCK_TIMEOUT_MS: int(2000, 10).describe(
    "lock_timeout of each notification delivery chunk's transaction: a delivery never waits long behind other writers.",
  ),
  NOTIFY_ATTEMPTS: int(5, 1).describe(
    'Attempts of a notification delivery job before the notification is marked `failed` (an operator may retry it).',
  ),
  NOTIFY_RETRY_BASE_MS: int(2000, 1).describe(
    'First retry delay of a failed notification delivery (exponential backoff: doubles each attempt).',
  ),
  CORS_ORIGINS: list('').describe('Comma-separated origins allowed to call the API from another origin (none by default).'),
  BODY_LIMIT: z.string().default('100kb').describe('Largest accepted JSON body.'),
  IMPORT_BODY_LIMIT: z
    .string()
    .default('32mb')
    .describe(
      'Largest accepted JSON body of a CSV import upload (`POST /api/admin/imports`, up to 50,000 rows); every other route keeps BODY_LIMIT.',
    ),
  TRUST_PROXY: bool(false).describe('Trust X-Forwarded-* headers (only behind a proxy that overwrites them).'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  INSTANCE_ID: z
    .string()
    .max(64)
    .optional()
    .describe(
      "Identity of this server process for recovery (default: hostname:PORT). A restart with the same id recovers its own unfinished rounds at once; other instances' rounds are recovered when their heartbeat stops.",
    ),
  NEON_STATE_DIR: z
    .string()
    .optional()
    .describe(
      'Local state directory outside the checkout (data, generated secrets, first-run credentials); the scripts default it to /var/tmp/neon-club-<hash of the checkout path>.',
    ),
  SHUTDOWN_TIMEOUT_MS: int(10000, 100).describe('Longest graceful shutdown before the process exits anyway.'),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;

/** The keys whose values are secrets (never logged, never defaulted in production). */
export const SECRET_KEYS = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET'] as const;
