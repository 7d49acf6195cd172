// Applying migrations, with a quick path for the usual start where every migration file is applied already.
import { readdirSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';

/** Migration names (file names without extension) in the migrations folder: what the migrator would consider. */
function migrationFiles(path: string): string[] {
  return readdirSync(path)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''));
}

/** True when the migrations table lists every migration file (one query, no migration module loaded). */
async function upToDate(orm: MikroORM): Promise<boolean> {
  const { path, tableName } = orm.config.get('migrations');
  const conn = orm.em.getConnection();
  const [table] = await conn.execute<Array<{ t: string | null }>>(`select to_regclass(?) as t`, [tableName]);
  if (!table?.t) return false;
  const applied = new Set((await conn.execute<Array<{ name: string }>>(`select name from ${tableName}`)).map((r) => r.name));
  return migrationFiles(path!).every((name) => applied.has(name));
}

/** Applies pending migrations; returns their names, or undefined when the schema was already up to date. */
export async function migrateUp(orm: MikroORM): Promise<string[] | undefined> {
  if (await upToDate(orm)) return undefined;
  const applied = await orm.migrator.up();
  return applied.length > 0 ? applied.map((m) => m.name) : undefined;
}
