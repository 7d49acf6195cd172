import { toMultiplierHundredths } from '../../domain/games/payout.ts';
import type { DuelResult, DuelSettlement, RpsPick } from '../../domain/games/rps/rules.ts';
import type { SeedDraw } from '../../server/services/fairness/fairness.service.ts';
import type { HouseDraw, SeatKey } from './rps.messages.ts';

/** A seat's escrowed stake: its round, its player, and the connection holding the seat. */
export interface Stake {
  roundId: string;
  userId: string;
  sessionId: string;
  clientId: string;
}

/** The house in seat b: its pick and the player's provably fair draw it came from. */
export interface HouseSeat {
  pick: RpsPick;
  draw: SeedDraw;
}

/** A settled duel, as both seats' settlements record it. */
export interface DecidedDuel {
  duelId: string;
  stake: number;
  picks: Record<SeatKey, RpsPick | null>;
  outcome: DuelResult;
  split: DuelSettlement;
  house?: HouseSeat;
}

/** One seat's settlement for the escrow: its payout, and the duel's record (with the house's draw on the player's seat). */
export function toSeatSettlement(duel: DecidedDuel, seat: SeatKey, holder: Stake) {
  const { house } = duel;
  return {
    roundId: holder.roundId,
    userId: holder.userId,
    sessionId: holder.sessionId,
    amount: duel.stake,
    multiplier: toMultiplierHundredths(duel.split.payouts[seat], duel.stake),
    payout: duel.split.payouts[seat],
    outcome: {
      duel_id: duel.duelId,
      seat,
      picks: duel.picks,
      result: duel.outcome,
      rake: duel.split.rake,
      against: house ? 'house' : 'player',
    },
    ...(house && seat === 'a'
      ? {
          seedId: house.draw.seedId,
          fairness: {
            server_seed_hash: house.draw.serverSeedHash,
            client_seed: house.draw.clientSeed,
            nonce: house.draw.nonce,
            house_pick: house.pick,
          },
        }
      : {}),
  };
}

/** The house's draw as the `result` message shows it, or null in a duel between two players. */
export function toHouseDraw(house: HouseSeat | undefined): HouseDraw | null {
  return house ? { pick: house.pick, nonce: house.draw.nonce, server_seed_hash: house.draw.serverSeedHash } : null;
}
