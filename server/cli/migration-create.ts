// `npm run migration:create -- [--name NAME]`: the MikroORM CLI diffs the entities against the schema
// snapshot and writes a new migration into migrations/.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const result = spawnSync('mikro-orm', ['migration:create', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MIKRO_ORM_CLI_CONFIG: 'server/db/cli.config.ts', MIKRO_ORM_CLI_TS_LOADER: 'tsx' },
});
process.exit(result.status ?? 1);
