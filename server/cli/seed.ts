// `seed`: the demo data of `npm start` on its own (demo-seed.ts); `npm start` seeds inside the server process.
import { runCli } from './cli-context.ts';
import { seedDemo } from '../startup/demo-seed.ts';

await runCli(async ({ config, orm }) => {
  for (const line of (await seedDemo(config, orm)).lines) console.log(line);
});
