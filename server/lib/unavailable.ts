/** SQLSTATE classes and codes that mean PostgreSQL is not there (not that a statement was wrong). */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** Socket-level failures of either backing service. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What pg, its pool and ioredis say when the connection is gone, stalled or not yet there. */
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Stream isn't writeable|Connection is closed|enableOfflineQueue|Command timed out|the database system is (starting up|shutting down|in recovery)/i;

/**
 * True for a failure that says a backing service (PostgreSQL, Redis) is unavailable rather than that the code is
 * wrong: transports answer it as `service/unavailable` (HTTP 503, a room `error`) and log it as a warning, since
 * the client can retry and nothing was changed. Looks through MikroORM's and pg's wrappers (`cause`).
 */
export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  const e = err as { code?: unknown; sqlState?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null | undefined;
  if (!e || typeof e !== 'object' || depth > 4) return false;
  for (const c of [e.code, e.sqlState]) {
    if (typeof c === 'string' && (SOCKET_CODES.has(c) || PG_UNAVAILABLE.test(c))) return true;
  }
  if (e.name === 'ConnectionException') return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  return isDependencyUnavailable(e.cause, depth + 1);
}
