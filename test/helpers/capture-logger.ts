import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** A pino logger (debug and up) whose lines are kept in memory, for tests that assert what the server logged. */
export function captureLogger(): { logger: Logger; lines: CapturedLine[]; errors: () => CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines, errors: () => lines.filter((l) => l.level >= 50) };
}
