import { Room, type Client, type ExtractRoomClient, type MessageContext, type RoomOptions } from '@colyseus/core';
import type { StandardSchemaV1 } from '@colyseus/core/utils/StandardSchema';
import type { Logger } from '../../server/lib/logger.ts';

/** What rooms report for capacity metrics; the composition root records it (Prometheus). */
export interface RoomProbe {
  /** one client message dispatched to a handler of a room of type `room` */
  message(room: string): void;
  /** one state patch cycle (encode + send to every client) of a room of type `room`, in seconds */
  patch(room: string, seconds: number): void;
}

/**
 * Logs what a room did not handle itself, with the room id and the hook name, instead of crashing the process;
 * counts the messages it dispatches and times its state patches.
 */
export abstract class BaseRoom<T extends RoomOptions = RoomOptions> extends Room<T> {
  protected abstract readonly logger: Logger;
  protected abstract readonly probe: RoomProbe | undefined;

  override onUncaughtException(err: Error, methodName: string) {
    this.logger.error({ err, roomId: this.roomId, room: this.roomName, method: methodName }, 'uncaught room exception');
  }

  // Every handler is registered through here (Colyseus dispatches a message to the handlers of its type, or to '*').
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(type: '*', callback: (client: C, type: string | number, message: M) => void): () => void;
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(type: string | number, callback: (client: C, message: M, ctx: MessageContext) => unknown): () => void;
  override onMessage<M = any, C extends Client = ExtractRoomClient<T>>(type: string | number, schema: StandardSchemaV1<M>, callback: (client: C, message: M, ctx: MessageContext) => unknown): () => void;
  override onMessage(type: string | number, a: unknown, b?: unknown): () => void {
    const count = (fn: (...args: any[]) => unknown) => (...args: any[]) => {
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
