// The bench's process figures: settled slot rounds/s and the players held under the p99 limit, with 1 and with 2 game
// processes run as `npm start -- --processes N` runs them.
import { dbUrl, redisDb } from './baselines.ts';
import { freshBenchDatabase, settleDatabase } from './bench-db.ts';
import { postmasterOf } from './cpu.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { ramp, type RampStep } from './ramp.ts';
import { combine, playerPool, slotRounds, type SlotRun } from './slot-rounds.ts';

export interface ProcessFigures {
  scaling: Record<number, ReturnType<typeof combine>>;
  held: Record<number, { held: number; steps: RampStep[] }>;
}

/** The p99 round trip under which a ramp step counts as held. */
export const P99_LIMIT_MS = 100;
/** The length of a ramp step for a bench of `seconds` (a third of it, at least 3 s). */
export const rampStepSeconds = (seconds: number) => Math.max(3, Math.round(seconds / 3));
/** The secrets bench game processes share with the bench's own config (tokens minted by one verify in the others). */
export const benchSecrets = (config: { JWT_SECRET: string; PAYMENT_WEBHOOK_SECRET: string }) => ({
  JWT_SECRET: config.JWT_SECRET,
  PAYMENT_WEBHOOK_SECRET: config.PAYMENT_WEBHOOK_SECRET,
});

/** The environment of bench game processes: the bench database, Redis database `redis`, cheap password hashing. */
export function benchClusterEnv(redis: number, secrets: { JWT_SECRET: string; PAYMENT_WEBHOOK_SECRET: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: dbUrl('neon_bench'),
    REDIS_URL: redisDb(redis),
    REDIS_PREFIX: 'bench:',
    LOG_LEVEL: 'warn',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ROOM_MESSAGES_PER_SECOND: '1000',
    SIGNUP_BONUS_GOLD: '10000000',
    ...secrets,
  };
}

/**
 * Both configurations run side by side, each in a Redis database of its own (Colyseus's room listings are not
 * prefixed), so their slot runs can alternate (1, 2, 1, 2) and a change in the machine's load during the bench weighs
 * on both alike. Both start before anyone plays: a process recovers, at start-up, open rounds whose owner has no
 * heartbeat in its own Redis.
 */
export async function processFigures(o: {
  seconds: number;
  stepSeconds: number;
  p99LimitMs: number;
  secrets: { JWT_SECRET: string; PAYMENT_WEBHOOK_SECRET: string };
}): Promise<ProcessFigures> {
  const { seconds, stepSeconds, p99LimitMs: P99_LIMIT_MS } = o;
  const clusterEnv = (n: number) => benchClusterEnv(n, o.secrets);
  const clusters: Record<number, Cluster> = {};
  const scaling: Record<number, ReturnType<typeof combine>> = {};
  const held: Record<number, { held: number; steps: RampStep[] }> = {};
  // a database of its own, as every step of the bench has: not the one the slot figures filled before
  await freshBenchDatabase();
  try {
    for (const n of [1, 2]) clusters[n] = await startCluster(n, clusterEnv(n), String(n));
    const sat = await playerPool('sat')(clusters[1].url, 100);
    console.log(
      `slot rounds with 1 and with 2 game processes, alternating: 100 players (2 rooms) spinning without pause, 4 × ${seconds / 2} s …`,
    );
    const runs: Record<number, SlotRun[]> = { 1: [], 2: [] };
    for (const n of [1, 2, 1, 2]) runs[n].push(await slotRounds(clusters[n].url, sat, { urls: clusters[n].urls, seconds: seconds / 2 }));
    for (const n of [1, 2]) scaling[n] = combine(runs[n]);
    console.log(`  clients by process with 2: ${runs[2].map((r) => r.clients_by_process.join('/')).join(', ')}`);
    const ramping = playerPool('ramp');
    const postmaster = await postmasterOf(dbUrl('neon_bench'));
    for (const n of [1, 2]) {
      await settleDatabase();
      console.log(
        `${n} game process${n > 1 ? 'es' : ''}: stepped ramp of slot players (0.4–1.2 s between spins), ${stepSeconds} s per step until p99 reaches ${P99_LIMIT_MS} ms …`,
      );
      held[n] = await ramp(clusters[n].urls, (k) => ramping(clusters[n].url, k), {
        windowSeconds: stepSeconds,
        p99LimitMs: P99_LIMIT_MS,
        log: (l) => console.log(l),
        cpu: { game: clusters[n].pids, postmaster },
        db: dbUrl('neon_bench'),
      });
    }
  } finally {
    await Promise.all(Object.values(clusters).map((c) => c.stop()));
  }
  return { scaling, held };
}
