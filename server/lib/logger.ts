import { pino, type Logger } from 'pino';
import type { Config } from '../config/schema.ts';

export type { Logger };

/** The process logger. Secrets and credentials are redacted wherever they appear in a log object. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, base: Record<string, unknown> = {}): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { pid: process.pid, ...base },
    redact: {
      paths: ['password', '*.password', 'req.headers.authorization', 'refresh_token', '*.refresh_token', 'access_token', '*.access_token'],
      censor: '[redacted]',
    },
  });
}

/**
 * A warning that a flood must not repeat: logged at most once per `intervalMs` for each key, with the number of
 * occurrences held back since the last line (`suppressed`). For failures clients or outages can produce by the
 * hundred (refused frames, a database that is away) where one line per interval tells the whole story.
 */
export function throttledWarn(logger: Logger, intervalMs = 10_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key: string, obj: Record<string, unknown>, msg: string): void => {
    const now = Date.now();
    const seen = last.get(key);
    if (seen && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    logger.warn({ ...obj, ...(seen?.suppressed ? { suppressed: seen.suppressed } : {}) }, msg);
    last.set(key, { at: now, suppressed: 0 });
  };
}
