// What `npm start` does to the database before serving: pending migrations, then the idempotent demo seed.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/schema.ts';
import { migrateUp } from '../db/migrate.ts';
import type { StartupTimer } from '../lib/startup-timer.ts';
import { seedDemo } from './demo-seed.ts';

/** Migrates and seeds, printing what changed; records `migrate` and `seed` steps on the timer. */
export async function prepareDatabase(config: Config, orm: MikroORM, timer?: StartupTimer): Promise<void> {
  const applied = await migrateUp(orm);
  if (applied) console.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  timer?.mark('migrate', applied ? undefined : 'unchanged');
  const seeded = await seedDemo(config, orm);
  for (const line of seeded.lines) console.log(line);
  timer?.mark('seed', seeded.changed ? undefined : 'unchanged');
}
