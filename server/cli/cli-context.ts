import { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfigOrExit } from '../lib/entry-point.ts';
import type { Config } from '../config/schema.ts';
import { ormOptions } from '../db/orm.config.ts';

/** Runs a command-line task with the config and an ORM, closing everything after; exit code 1 on failure. */
export async function runCli(task: (ctx: { config: Config; orm: MikroORM; em: EntityManager }) => Promise<number | void>) {
  const config = loadConfigOrExit();
  const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, 4));
  let code = 0;
  try {
    code = (await task({ config, orm, em: orm.em.fork() as EntityManager })) ?? 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    code = 1;
  } finally {
    await orm.close(true);
  }
  process.exit(code);
}

/** `--name value` pairs from argv. */
export function parseArgs(argv = process.argv.slice(2)): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2);
    if (inline !== undefined) out[k] = inline;
    else if (argv[i + 1] && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
    else out[k] = true;
  }
  return out;
}
