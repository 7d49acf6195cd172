import { defineRoom } from '@colyseus/core';
import type { Logger } from '../server/lib/logger.ts';
import type { CrashChainService } from '../server/services/crash-chain.service.ts';
import type { CrashTableService } from '../server/services/crash-table.service.ts';
import type { GameService } from '../server/services/game.service.ts';
import { createCrashRoom } from './crash/crash.room.ts';
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
  crash: { chain: Pick<CrashChainService, 'nextRound'>; table: Pick<CrashTableService, 'placeBet' | 'settleMany' | 'refund' | 'markRound'>; bettingMs: number; pauseMs: number; maxPayout: number };
}

/** The single list of room registrations. */
export function defineRooms(deps: RoomDeps) {
  const common = (room: string) => ({
    verify: deps.verify, logger: deps.logger.child({ room }), games: deps.games, betLimits: deps.betLimits,
    reconnectSeconds: deps.reconnectSeconds, messagesPerSecond: deps.messagesPerSecond,
  });
  return {
    [RoomName.Hub]: defineRoom(createHubRoom({ verify: deps.verify, logger: deps.logger.child({ room: RoomName.Hub }) })),
    [RoomName.Crash]: defineRoom(createCrashRoom({
      ...common(RoomName.Crash), chain: deps.crash.chain, table: deps.crash.table, maxPayout: deps.crash.maxPayout,
      timing: { bettingMs: deps.crash.bettingMs, pauseMs: deps.crash.pauseMs, tickMs: 50 },
    })),
  };
}
