import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { fileURLToPath } from 'node:url';
import { entities } from './entities/index.ts';

const migrationsPath = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The ORM options for a database URL; also the MikroORM CLI's config (see `npm run migration:create`). */
export function ormOptions(databaseUrl: string, poolMax = 20, opts: { writeSnapshot?: boolean } = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: '!(*.d).{js,ts}',
      tableName: 'mikro_orm_migrations',
      silent: true,
      transactional: true,
      allOrNothing: true,
      // only the CLI (migration:create) maintains the schema snapshot; running migrations never writes files
      snapshot: opts.writeSnapshot ?? false,
      snapshotName: '.snapshot-neon',
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}
