import { defineRoom } from '@colyseus/core';
import type { BetLimits } from '../domain/games/bet-limits.ts';
import type { Logger } from '../server/lib/logger.ts';
import { CrashChainService } from '../server/services/games/crash-chain.service.ts';
import type { EscrowService } from '../server/services/games/escrow.service.ts';
import type { FairnessService } from '../server/services/fairness/fairness.service.ts';
import type { GachaService } from '../server/services/games/gacha.service.ts';
import type { GameService } from '../server/services/games/game.service.ts';
import type { SlotService } from '../server/services/games/slot.service.ts';
import type { LimitsService } from '../server/services/limits/limits.service.ts';
import { createCrashRoom } from './crash/crash.room.ts';
import { createGachaRoom } from './gacha/gacha.room.ts';
import { createRpsRoom } from './rps/rps.room.ts';
import { createSlotRoom } from './slot/slot.room.ts';
import { createHubRoom } from './hub/hub.room.ts';
import type { RoomProbe } from './shared/base-room.ts';
import type { VerifyToken } from './shared/room-auth.ts';
import { RoomName } from './shared/room-names.ts';

export interface RoomDeps {
  verify: VerifyToken;
  logger: Logger;
  games: Pick<GameService, 'openSession' | 'closeSession' | 'playRound'>;
  betLimits: BetLimits;
  reconnectSeconds: number;
  messagesPerSecond: number;
  escrow: Pick<EscrowService, 'open' | 'settle' | 'refund' | 'refundMany'>;
  gacha: Pick<GachaService, 'pull' | 'pity'>;
  slot: Pick<SlotService, 'spin'>;
  fairness: Pick<FairnessService, 'drawNow'>;
  rps: { houseAfterMs: number; pickTimeoutMs: number; rakeBps: number };
  crash: {
    chain: Pick<CrashChainService, 'nextRound' | 'markRound'>;
    bettingMs: number;
    pauseMs: number;
    timeScale: number;
    maxPayout: number;
  };
  /** capacity metrics of every room (messages, patch durations) */
  probe?: RoomProbe;
  /** responsible play: cool-off / self-exclusion at join, reality checks */
  limits?: Pick<LimitsService, 'assertCanPlay' | 'sessionResult'>;
}

/** The single list of room registrations. */
export function defineRooms(deps: RoomDeps) {
  const common = (room: string) => ({
    verify: deps.verify,
    logger: deps.logger.child({ room }),
    games: deps.games,
    betLimits: deps.betLimits,
    reconnectSeconds: deps.reconnectSeconds,
    messagesPerSecond: deps.messagesPerSecond,
    probe: deps.probe,
    limits: deps.limits,
  });
  return {
    [RoomName.Hub]: defineRoom(
      createHubRoom({ verify: deps.verify, logger: deps.logger.child({ room: RoomName.Hub }), probe: deps.probe }),
    ),
    [RoomName.Slot]: defineRoom(createSlotRoom({ ...common(RoomName.Slot), slot: deps.slot })),
    [RoomName.Gacha]: defineRoom(createGachaRoom({ ...common(RoomName.Gacha), gacha: deps.gacha })).filterBy(['banner']),
    [RoomName.Rps]: defineRoom(
      createRpsRoom({
        ...common(RoomName.Rps),
        escrow: deps.escrow,
        fairness: deps.fairness,
        rakeBps: deps.rps.rakeBps,
        timing: { houseAfterMs: deps.rps.houseAfterMs, pickTimeoutMs: deps.rps.pickTimeoutMs },
      }),
    ).filterBy(['stake']),
    [RoomName.Crash]: defineRoom(
      createCrashRoom({
        ...common(RoomName.Crash),
        chain: deps.crash.chain,
        escrow: deps.escrow,
        fairnessOf: CrashChainService.fairnessOf,
        maxPayout: deps.crash.maxPayout,
        timing: { bettingMs: deps.crash.bettingMs, pauseMs: deps.crash.pauseMs, tickMs: 50, timeScale: deps.crash.timeScale },
      }),
    ),
  };
}
