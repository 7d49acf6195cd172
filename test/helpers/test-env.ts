// The test run's environment, read once. (Tests may read process.env; production code reads it only in server/config/load.ts.)
const env = process.env;

/** True when the run has PostgreSQL and Redis (always under `npm test`; pure domain tests can run without). */
export const hasServices = Boolean(env.DATABASE_URL && env.REDIS_URL);

function required(name: 'DATABASE_URL' | 'REDIS_URL'): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through \`npm test\` (scripts/test.sh), which provisions it.`);
  return v;
}

export const testEnv = {
  get databaseUrl() {
    return required('DATABASE_URL');
  },
  get redisUrl() {
    return required('REDIS_URL');
  },
  runId: env.NEON_TEST_RUN_ID ?? `r${process.pid}`,
  /** true when DATABASE_URL was given from outside (so the run must clean up after itself) */
  externalDb: env.NEON_TEST_EXTERNAL_DB === '1',
};
