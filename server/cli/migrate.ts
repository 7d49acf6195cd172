// `npm run migrate`: applies pending migrations (also run by `npm start`, inside the server process).
import { migrateUp } from '../db/migrate.ts';
import { parseArgs, runCli } from './cli-context.ts';

const quiet = parseArgs().quiet === true;
await runCli(async ({ orm }) => {
  const applied = await migrateUp(orm);
  if (!quiet || applied) {
    console.log(applied ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database schema is up to date');
  }
});
