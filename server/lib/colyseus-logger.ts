import type { Logger } from './logger.ts';

/**
 * What the framework reports when a client sends a frame it cannot take: WebSocket protocol violations (a frame
 * over the size limit, a malformed frame) and payloads msgpack cannot decode. The client is disconnected; the
 * server is fine. A hostile client can send hundreds a minute, so they are counted, not logged as errors.
 */
const CLIENT_FRAME =
  /Max payload size exceeded|Invalid WebSocket frame|RSV[123] must be clear|MASK must be (set|clear)|invalid opcode|Invalid UTF-8|Unexpected end of MessagePack|Data read, but end of buffer not reached|MessagePack|[\\/]msgpackr[\\/]|[\\/]ws[\\/]lib[\\/]receiver/i;

const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');

/**
 * The logger handed to Colyseus: its lines go to pino under `component: colyseus`; refused client frames go to the
 * `onBadFrame` counter and to debug instead of error.
 */
export function colyseusLogger(logger: Logger, onBadFrame: () => void) {
  const log = logger.child({ component: 'colyseus' });
  return {
    debug: (...a: unknown[]) => log.debug(text(a)),
    info: (...a: unknown[]) => log.info(text(a)),
    // RedisPresence warns at each failed reconnection of its connections; watchRedis reports their outage once
    warn: (...a: unknown[]) => {
      if (!/^RedisPresence: \w+ connection error/.test(String(a[0]))) log.warn(text(a));
    },
    error: (...a: unknown[]) => {
      const line = text(a);
      if (!CLIENT_FRAME.test(line)) return log.error(line);
      onBadFrame();
      log.debug({ frame: line.split('\n')[0] }, 'refused a client frame');
    },
  };
}
