import { defineRoom } from '@colyseus/core';
import type { Logger } from '../server/lib/logger.ts';
import { createHubRoom } from './hub/hub.room.ts';
import type { VerifyToken } from './shared/room-auth.ts';
import { RoomName } from './shared/room-names.ts';

export interface RoomDeps {
  verify: VerifyToken;
  logger: Logger;
}

/** The single list of room registrations. */
export function defineRooms(deps: RoomDeps) {
  return {
    [RoomName.Hub]: defineRoom(createHubRoom({ verify: deps.verify, logger: deps.logger.child({ room: RoomName.Hub }) })),
  };
}
