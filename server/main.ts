// Composition root of the game + API process. From `npm start`: `--handoff` waits for the services' URLs on stdin
// (script-handoff.ts), `--prepare` migrates and seeds before serving, and `--started <epoch s>` (with the script's step
// times from the handoff or `--steps <text>`) prints the whole start's timing line when ready.
import type { MikroORM } from '@mikro-orm/postgresql';
import { startServer } from './bootstrap.ts';
import { readDemoOperator } from './cli/operator.ts';
import { prepareDatabase } from './startup/prepare-database.ts';
import { readHandoff, type Handoff } from './startup/script-handoff.ts';
import { loadConfigOrExit, stopOnSignals } from './lib/entry-point.ts';
import { createLogger } from './lib/logger.ts';
import { seconds, StartupTimer } from './lib/startup-timer.ts';

const timer = new StartupTimer();
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
let handoff: Handoff | undefined;
if (process.argv.includes('--handoff')) {
  handoff = await readHandoff();
  if (!handoff) process.exit(1); // the script stopped before its services were up, and says why
  timer.mark('waiting for services');
}
const config = loadConfigOrExit(handoff?.env);
timer.mark('config');
const logger = createLogger(config);
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  process.exit(1);
});
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

const prepare = process.argv.includes('--prepare') ? (orm: MikroORM) => prepareDatabase(config, orm, timer) : undefined;
const server = await startServer(config, { logger, timer, prepare });
const base = config.PUBLIC_URL ?? `http://localhost:${server.port}`;
const demoOperator = config.NODE_ENV === 'production' ? undefined : readDemoOperator(config);
logger.info({ port: server.port, publicAddress: config.PUBLIC_ADDRESS, startupMs: timer.toJSON() }, 'listening');
// `--no-banner`: the second and further processes of `npm start -- --processes N` print one line instead
if (process.argv.includes('--no-banner'))
  console.log(`  game process on port ${server.port}${config.PUBLIC_ADDRESS ? ` (rooms at ws://${config.PUBLIC_ADDRESS})` : ''}`);
else
  console.log(
    [
      '',
      `  Neon Club is running on ${base}`,
      `    game client   ${base}/`,
      `    admin console ${base}/admin/`,
      ...(demoOperator ? [`                  log in as ${demoOperator.username}, password ${demoOperator.password} (role admin)`] : []),
      `    player API    ${base}/api  (OpenAPI: ${base}/api/openapi.json)`,
      `    health        ${base}/health   ready: ${base}/ready   metrics: ${base}/metrics`,
      ...(config.PROCESSES > 1
        ? [
            `    game processes ${config.PROCESSES} sharing rooms (this one's rooms at ws://${config.PUBLIC_ADDRESS ?? `localhost:${server.port}`}); BullMQ workers in their own process`,
          ]
        : []),
      '  Ctrl-C stops the server and the services it started.',
      '',
    ].join('\n'),
  );

stopOnSignals(logger, config.SHUTDOWN_TIMEOUT_MS, () => server.stop());
const started = Number(arg('--started'));
if (started > 0 && !process.argv.includes('--no-banner')) {
  const steps = handoff?.steps ?? arg('--steps');
  console.log(
    `[neon] ready in ${seconds(Date.now() - started * 1000)}: ${steps ? `${steps}, ` : ''}server ${seconds(timer.elapsedMs())} (${timer})`,
  );
}
