// `npm run migrate`: applies pending migrations (also run by `npm start`).
import { parseArgs, runCli } from './cli-context.ts';

const quiet = parseArgs().quiet === true;
await runCli(async ({ orm }) => {
  const applied = await orm.migrator.up();
  if (!quiet || applied.length > 0) {
    console.log(
      applied.length ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'database schema is up to date',
    );
  }
});
