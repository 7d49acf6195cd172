import { defineRoom } from '@colyseus/core';
import type { Logger } from '../server/lib/logger.ts';
import type { GameService } from '../server/services/game.service.ts';
import { createHubRoom } from './hub/hub.room.ts';
import type { VerifyToken } from './shared/room-auth.ts';
import { RoomName } from './shared/room-names.ts';

export interface RoomDeps {
  verify: VerifyToken;
  logger: Logger;
  games: Pick<GameService, 'openSession' | 'closeSession' | 'playRound'>;
  betLimits: { min: number; max: number };
  reconnectSeconds: number;
  messagesPerSecond: number;
}

/** The single list of room registrations. */
export function defineRooms(deps: RoomDeps) {
  const common = (room: string) => ({
    verify: deps.verify, logger: deps.logger.child({ room }), games: deps.games, betLimits: deps.betLimits,
    reconnectSeconds: deps.reconnectSeconds, messagesPerSecond: deps.messagesPerSecond,
  });
  return {
    [RoomName.Hub]: defineRoom(createHubRoom({ verify: deps.verify, logger: deps.logger.child({ room: RoomName.Hub }) })),
  };
}
