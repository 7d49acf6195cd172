import { Room, ServerError, type Client, type ExtractRoomClient, type MessageContext, type RoomOptions } from '@colyseus/core';
import type { StandardSchemaV1 } from '@colyseus/core/utils/StandardSchema';
import { DomainError } from '../../domain/shared/errors.ts';
import { throttledWarn, type Logger } from '../../server/lib/logger.ts';
import { isDependencyUnavailable } from '../../server/lib/unavailable.ts';
import type { RoundMarks } from '../../server/services/games/round-marks.ts';
import type { ErrorMessage } from './common.messages.ts';

/** Why a room refused a client's message without running it. */
export type RefusalReason = 'invalid' | 'unknown_type' | 'rate_limited';

/** What rooms report for capacity and health metrics; the composition root records it (Prometheus). */
export interface RoomProbe {
  /** one client message dispatched to a handler of a room of type `room` */
  message(room: string): void;
  /** one state patch cycle (encode + send to every client) of a room of type `room`, in seconds */
  patch(room: string, seconds: number): void;
  /** a client message refused without running it */
  refused(room: string, reason: RefusalReason): void;
  /** room work that failed: `unavailable` (PostgreSQL or Redis away) or `internal` (a bug) */
  failed(room: string, kind: 'unavailable' | 'internal'): void;
  /** a slot spin's result was sent at `sent` (performance.now()): its phase timings */
  spin?(marks: RoundMarks, sent: number): void;
  /** a crash bet's `bet_placed` was sent at `sent`: its phase timings (the same phases as a spin's) */
  crashBet?(marks: RoundMarks, sent: number): void;
  /** a crash cash-out was paid and its `cashed_out` sent by `sent`: its phase timings (the same phases) */
  crashCashout?(marks: RoundMarks, sent: number): void;
}

/** The room `error` answer to a dependency outage, like HTTP's 503. */
export const UNAVAILABLE: ErrorMessage = {
  code: 'service/unavailable',
  message: 'The game service is briefly unavailable; try again shortly. Nothing was charged.',
};

/**
 * Logs what a room did not handle itself, with the room id and the hook name, instead of crashing the process;
 * counts the messages it dispatches and times its state patches. Work nobody awaits goes through `spawn`, so a
 * failure is reported, never left as an unhandled rejection (which would end the process).
 */
export abstract class BaseRoom<T extends RoomOptions = RoomOptions> extends Room<T> {
  protected abstract readonly logger: Logger;
  protected abstract readonly probe: RoomProbe | undefined;
  /** one warning per room and kind of outage per 10 s, however many players hit it */
  private warnOutage?: ReturnType<typeof throttledWarn>;

  override onUncaughtException(err: Error, methodName: string) {
    // Colyseus wraps what a hook threw; a join the room refused on purpose is the client's answer, not a failure
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (cause instanceof ServerError || cause instanceof DomainError) {
      this.logger.debug({ roomId: this.roomId, room: this.roomName, method: methodName, refusal: cause.message }, 'room refused a client');
      return;
    }
    this.reportFailure(cause, methodName);
  }

  /**
   * Reports a failure of room work: a dependency outage as a throttled warning (it is expected, and the player
   * is told `service/unavailable`), anything else as an error with its stack. Returns whether it was an outage.
   */
  protected reportFailure(err: unknown, what: string, context: Record<string, unknown> = {}): boolean {
    const unavailable = isDependencyUnavailable(err);
    this.probe?.failed(this.roomName, unavailable ? 'unavailable' : 'internal');
    if (unavailable) {
      this.warnOutage ??= throttledWarn(this.logger);
      this.warnOutage(
        what,
        { roomId: this.roomId, room: this.roomName, what, err: errorText(err), ...context },
        'room work failed: a backing service is unavailable',
      );
    } else {
      this.logger.error({ err, roomId: this.roomId, room: this.roomName, what, ...context }, 'room work failed');
    }
    return unavailable;
  }

  /** Runs work that nobody awaits (timers, fire-and-forget steps); a failure is reported, never unhandled. */
  protected spawn(work: Promise<unknown>, what: string): void {
    work.catch((err: unknown) => this.reportFailure(err, what));
  }

  /**
   * Call from `onCreate` after registering handlers: a message of an unknown type is answered with an `error`
   * (and counted) instead of the framework's disconnect. A frame whose type is literally `"*"` reaches this
   * handler with its payload where the type should be, so the type is described without trusting it.
   */
  protected rejectUnknownMessages(): void {
    this.onMessage('*', (client: Client, type: unknown) => {
      this.probe?.refused(this.roomName, 'unknown_type');
      const name = typeof type === 'string' || typeof type === 'number' ? String(type).slice(0, 64) : '*';
      sendErrorMessage(client, { code: 'request/invalid', message: `Unknown message type "${name}".` });
    });
  }

  /** The `error` message for a failed handler: its rule violation, the outage, or an internal error (logged). */
  protected errorFor(err: unknown, context: Record<string, unknown>): ErrorMessage {
    if (err instanceof DomainError) return { code: err.code, message: err.message, ...err.details };
    if (this.reportFailure(err, 'message handler', context)) return UNAVAILABLE;
    return { code: 'internal/error', message: 'Something went wrong; nothing was charged unless a result was shown.' };
  }

  // Every handler is registered through here (Colyseus dispatches a message to the handlers of its type, or to '*').
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(
    type: '*',
    callback: (client: C, type: string | number, message: M) => void,
  ): () => void;
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(
    type: string | number,
    callback: (client: C, message: M, ctx: MessageContext) => unknown,
  ): () => void;
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(
    type: string | number,
    schema: StandardSchemaV1<M>,
    callback: (client: C, message: M, ctx: MessageContext) => unknown,
  ): () => void;
  override onMessage(type: string | number, a: unknown, b?: unknown): () => void {
    const count =
      (fn: (...args: any[]) => unknown) =>
      (...args: any[]) => {
        this.probe?.message(this.roomName);
        return fn(...args);
      };
    return typeof a === 'function'
      ? super.onMessage(type, count(a as (...args: any[]) => unknown))
      : super.onMessage(type, a as StandardSchemaV1, count(b as (...args: any[]) => unknown));
  }

  override broadcastPatch(): boolean {
    if (!this.probe) return super.broadcastPatch();
    const t0 = performance.now();
    try {
      return super.broadcastPatch();
    } finally {
      this.probe.patch(this.roomName, (performance.now() - t0) / 1000);
    }
  }
}

/** Sends an `error` message; every room's outbound messages include it. */
export function sendErrorMessage(client: Client, error: ErrorMessage): void {
  client.send('error', error);
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
