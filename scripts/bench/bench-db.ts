// The bench's own database and players: made afresh for each run, so no figure depends on what an earlier run left.
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import type { startServer } from '../../server/bootstrap.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../../server/db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../../server/db/seeders/seed-data.ts';
import { admin, dbUrl } from './baselines.ts';
import { signupMany } from './slot-rounds.ts';

/**
 * Drops and creates `neon_bench`, migrates it and (unless `seed` is false) seeds the demo catalog and live-ops, then
 * takes a checkpoint: the pages an earlier step dirtied (millions of rounds after a ramp) are written now, not by a
 * checkpoint that starts in the middle of the next measurement and stalls its commits (seen as 0.5–1.8 s commit
 * phases in the first steps of a ramp that followed the player-pace ramp on the same database).
 */
export async function freshBenchDatabase(opts: { seed: boolean } = { seed: true }): Promise<void> {
  await admin('drop database if exists neon_bench');
  await admin('create database neon_bench');
  const orm = await MikroORM.init(ormOptions(dbUrl('neon_bench'), 2));
  try {
    await orm.migrator.up();
    if (opts.seed) {
      await seedProducts(orm.em.fork() as EntityManager, DEMO_CATALOG);
      await seedLiveOps(orm.em.fork() as EntityManager, DEMO_EVENTS, DEMO_MISSIONS, new Date());
    }
  } finally {
    await orm.close(true);
  }
  await admin('checkpoint');
}

/**
 * Settles what the step before left behind: a ramp or the HTTP figures wrote a great deal, and their autovacuum (with
 * the full-page images of every page it touches after a checkpoint) and their dirty pages are dealt with now, not in
 * the next ramp's steps.
 */
export async function settleDatabase(): Promise<void> {
  await admin('vacuum (analyze)', 'neon_bench');
  await admin('checkpoint');
}

/** `n` players signed up through the API, each credited 10,000,000 GOLD (a ledgered adjustment): no run goes short. */
export async function fundedPlayers(server: Awaited<ReturnType<typeof startServer>>, n: number) {
  const players = await signupMany(server.url, n);
  for (const p of players)
    await server.services.wallet.apply([
      credit({ userId: p.userId, currency: 'GOLD', amount: 10_000_000, reason: 'admin_adjust', actor: 'bench' }),
    ]);
  return players;
}
