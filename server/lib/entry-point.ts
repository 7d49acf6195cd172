// Helpers for the processes' entry points (server/main.ts and the CLIs): reading the config and stopping on signals.
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from './logger.ts';

/** The config from the environment (`overrides` win); on invalid configuration prints every problem and exits 1. */
export function loadConfigOrExit(overrides: Record<string, string> = {}): Config {
  try {
    return loadConfig(overrides);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

/**
 * Stops once on the first SIGTERM or SIGINT (Ctrl-C in `npm start` reaches a process twice: SIGINT from the terminal,
 * SIGTERM from the script), exiting 0 when `stop` finishes, 1 when it fails or takes longer than `timeoutMs`.
 */
export function stopOnSignals(logger: Logger, timeoutMs: number, stop: () => Promise<void>, what?: string): void {
  const named = (text: string) => (what ? `${what} ${text}` : text);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, named('shutting down'));
      setTimeout(() => {
        logger.error(named('shutdown timed out'));
        process.exit(1);
      }, timeoutMs).unref();
      stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, named('shutdown failed'));
          process.exit(1);
        },
      );
    });
  }
}
