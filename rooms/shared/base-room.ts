import { Room, type RoomOptions } from '@colyseus/core';
import type { Logger } from '../../server/lib/logger.ts';

/** Logs what a room did not handle itself, with the room id and the hook name, instead of crashing the process. */
export abstract class BaseRoom<T extends RoomOptions = RoomOptions> extends Room<T> {
  protected abstract readonly logger: Logger;

  override onUncaughtException(err: Error, methodName: string) {
    this.logger.error({ err, roomId: this.roomId, room: this.roomName, method: methodName }, 'uncaught room exception');
  }
}
