import { z } from 'zod';
import { PICKS } from '../../domain/games/rps/rules.ts';

/** Join option: the stake both seats escrow (GOLD); duels are matched by stake. */
export const RpsJoinOptions = z.object({ stake: z.number().int().positive() }).loose();

/** `pick`: rock, paper or scissors (once per duel). */
export const PickMessage = z.object({ pick: z.enum(PICKS), ref: z.unknown().optional() }).strict();
export type PickMessage = z.infer<typeof PickMessage>;
