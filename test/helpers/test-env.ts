// The test run's environment, read once. (Tests may read process.env; production code reads it only in server/config/load.ts.)
const env = process.env;

if (!env.DATABASE_URL || !env.REDIS_URL) {
  throw new Error('DATABASE_URL and REDIS_URL must be set: run the suite through `npm test` (scripts/test.sh), which provisions them.');
}

export const testEnv = {
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  runId: env.NEON_TEST_RUN_ID ?? `r${process.pid}`,
  /** true when DATABASE_URL was given from outside (so the run must clean up after itself) */
  externalDb: env.NEON_TEST_EXTERNAL_DB === '1',
};
