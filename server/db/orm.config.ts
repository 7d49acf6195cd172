import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { fileURLToPath } from 'node:url';
import { entities } from './entities/index.ts';

const migrationsPath = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The ORM options for a database URL; also the MikroORM CLI's config (see `npm run migration:create`). */
export function ormOptions(databaseUrl: string, poolMax = 20, opts: { writeSnapshot?: boolean } = {}) {
  // `?host=/socket/dir` (libpq's spelling, as `npm start` writes it) means the server's Unix socket: MikroORM reads
  // only the URL's hostname, so the directory is passed as the host, which pg treats as a socket directory
  const socketDir = new URL(databaseUrl).searchParams.get('host');
  return defineConfig({
    clientUrl: databaseUrl,
    ...(socketDir?.startsWith('/') ? { host: socketDir } : {}),
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
