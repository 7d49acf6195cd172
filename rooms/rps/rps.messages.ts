import { z } from 'zod';
import { PICKS, type DuelResult } from '../../domain/games/rps/rules.ts';
import { Balances, ErrorMessage, RealityCheckMessage, Ref, type PayloadsOf } from '../shared/common.messages.ts';

/** Join option: the stake both seats escrow (GOLD); duels are matched by stake. */
export const RpsJoinOptions = z.object({ stake: z.number().int().positive() }).loose();

/** `pick`: rock, paper or scissors (once per duel). */
export const PickMessage = z.object({ pick: z.enum(PICKS), ref: Ref.optional() }).strict();
export type PickMessage = z.infer<typeof PickMessage>;

export const SeatKey = z.enum(['a', 'b']);
export type SeatKey = z.infer<typeof SeatKey>;

/** `seat`, on join: which seat this connection holds, the stake and the duel. */
export const SeatMessage = z.object({ seat: SeatKey, stake: z.number().int(), duel_id: z.string() });
export type SeatMessage = z.infer<typeof SeatMessage>;

/** `pick_accepted`: the pick is in (it stays hidden from the other seat until both are). */
export const PickAcceptedMessage = z.object({ ref: Ref, pick: z.enum(PICKS) });
export type PickAcceptedMessage = z.infer<typeof PickAcceptedMessage>;

/** The house's pick when it played seat b, with the draw it came from. */
export const HouseDraw = z.object({ pick: z.enum(PICKS), nonce: z.number().int(), server_seed_hash: z.string() });
export type HouseDraw = z.infer<typeof HouseDraw>;

/** `result`, to both seats after the settlement committed: picks (null = none in time), payouts and rake. */
export const DuelResultMessage = z.object({
  duel_id: z.string(),
  picks: z.object({ a: z.enum(PICKS).nullable(), b: z.enum(PICKS).nullable() }),
  result: z.enum(['a', 'b', 'draw', 'void'] satisfies DuelResult[]),
  payouts: z.object({ a: z.number().int(), b: z.number().int() }),
  rake: z.number().int(),
  house: HouseDraw.nullable(),
});
export type DuelResultMessage = z.infer<typeof DuelResultMessage>;

/** `balances`: the player's balances once the duel is settled. */
export const BalancesMessage = z.object({ balances: Balances });
export type BalancesMessage = z.infer<typeof BalancesMessage>;

/** Everything a duel sends. */
export const RpsServerMessages = {
  seat: SeatMessage,
  pick_accepted: PickAcceptedMessage,
  result: DuelResultMessage,
  balances: BalancesMessage,
  error: ErrorMessage,
  reality_check: RealityCheckMessage,
};
export type RpsServerMessages = PayloadsOf<typeof RpsServerMessages>;
