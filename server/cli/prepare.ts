// Migrations and the demo seed in one process: what `npm start -- --processes N` runs before its game processes
// (with one process, the server does both itself before it serves).
import { runCli } from './cli-context.ts';
import { prepareDatabase } from '../startup/prepare-database.ts';

await runCli(async ({ config, orm }) => {
  await prepareDatabase(config, orm);
});
