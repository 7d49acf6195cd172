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
