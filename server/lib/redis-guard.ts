import { ReplyError, type Redis } from 'ioredis';
import { DomainError } from '../../domain/shared/errors.ts';
import { throttledWarn, type Logger } from './logger.ts';

export interface RedisGuardOptions {
  logger?: Logger;
  /** how long `waitAtMost` waits (REDIS_COMMAND_TIMEOUT_MS; the connection's own commandTimeout bounds the other calls) */
  timeoutMs?: number;
  /** called for every fallback (redis_fallbacks_total{component}) */
  onFallback?: (component: string) => void;
  /** interval of the PING that ends an outage */
  probeEveryMs?: number;
  /** at most one warning per component this often */
  warnEveryMs?: number;
}

/** The 503 of a request that cannot be served correctly without Redis. */
export function redisUnavailable(): DomainError {
  return new DomainError('service/unavailable', 'Redis is not answering; try again shortly.', { service: 'redis' });
}

/**
 * The policy for Redis calls on request paths. Each call is bounded (the app connection's `commandTimeout`) and has
 * a decided fallback: `orElse` answers from the fallback (PostgreSQL, a cache miss, a dropped push), `required`
 * fails closed with 503 `service/unavailable` naming Redis, `waitAtMost` bounds a call that has no timeout of its own.
 *
 * A failed call marks Redis down until a PING answers again; meanwhile calls fall back at once instead of each
 * waiting out the timeout, so a stalled Redis costs a request one timeout per outage, not one per Redis call.
 * Every fallback is counted and logged as a warning at most once per component per `warnEveryMs` (with the number
 * held back since).
 */
export class RedisGuard {
  /** set while Redis counts as down: a call failed and no PING has answered since */
  private downSince: number | null = null;
  private readonly warn?: ReturnType<typeof throttledWarn>;
  private readonly o: Required<Omit<RedisGuardOptions, 'logger' | 'onFallback'>> & RedisGuardOptions;

  constructor(
    private readonly redis: Redis,
    options: RedisGuardOptions = {},
  ) {
    this.o = { timeoutMs: 1000, probeEveryMs: 500, warnEveryMs: 10_000, ...options };
    if (this.o.logger) this.warn = throttledWarn(this.o.logger, this.o.warnEveryMs);
  }

  /** `call`, or `fallback()` when Redis fails, stalls past the timeout or is known down (`note` says what the fallback does). */
  async orElse<T>(component: string, call: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>, note: string): Promise<T> {
    if (this.downSince !== null) {
      this.fellBack(component, note, 'redis is down');
      return fallback();
    }
    try {
      return await call(this.redis);
    } catch (err) {
      // a reply error is Redis answering (e.g. OOM, LOADING): the fallback applies, but the connection works
      if (!(err instanceof ReplyError)) this.markDown();
      this.fellBack(component, note, err instanceof Error ? err.message : String(err));
      return fallback();
    }
  }

  /** `call`, or 503 `service/unavailable` (service: redis) when Redis fails, stalls or is known down: fail closed. */
  required<T>(component: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    return this.orElse(
      component,
      call,
      () => {
        throw redisUnavailable();
      },
      'answered 503 service/unavailable',
    );
  }

  /**
   * Waits for `pending` (a Redis call without a timeout of its own, e.g. on BullMQ's connection, which holds commands
   * until Redis answers) at most the timeout, and not at all while Redis is known down; then answers `fallback`. The
   * call itself goes on: whatever it does later is left to it.
   */
  async waitAtMost<T>(component: string, pending: Promise<T>, fallback: T, note: string): Promise<T> {
    type Outcome = { kind: 'value'; value: T } | { kind: 'error'; reason: string } | { kind: 'gave up'; reason: string };
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race<Outcome>([
      pending.then(
        (value) => ({ kind: 'value', value }),
        (err: unknown) => ({ kind: 'error', reason: err instanceof Error ? err.message : String(err) }),
      ),
      this.downSince !== null
        ? { kind: 'gave up', reason: 'redis is down' }
        : new Promise<Outcome>((resolve) => {
            timer = setTimeout(() => resolve({ kind: 'gave up', reason: `no answer within ${this.o.timeoutMs} ms` }), this.o.timeoutMs);
          }),
    ]);
    clearTimeout(timer);
    if (outcome.kind === 'value') return outcome.value;
    pending.catch(() => undefined);
    this.fellBack(component, note, outcome.reason);
    return fallback;
  }

  private fellBack(component: string, note: string, reason: string) {
    this.o.onFallback?.(component);
    this.warn?.(component, { component, service: 'redis', fallback: note, reason }, 'redis fallback');
  }

  private markDown() {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.probe();
  }

  /** PINGs until Redis answers (each PING bounded by the connection's timeout), then lets calls through again. */
  private probe() {
    setTimeout(() => {
      if (this.redis.status === 'end') return; // closed for good (shutdown)
      this.redis.ping().then(
        () => {
          this.o.logger?.info({ service: 'redis', down_ms: Date.now() - this.downSince! }, 'redis answering again');
          this.downSince = null;
        },
        () => this.probe(),
      );
    }, this.o.probeEveryMs).unref();
  }
}
