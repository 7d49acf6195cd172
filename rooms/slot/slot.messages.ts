import { z } from 'zod';
import type { SpinOutcome } from '../../domain/games/slot/rules.ts';
import { Balances, ErrorMessage, RealityCheckMessage, Ref, RoundFairness, type PayloadsOf } from '../shared/common.messages.ts';

/** `spin`: play one paid spin (and any free spins it triggers) at a bet per line from the machine's bet levels. */
export const SpinMessage = z.object({ betPerLine: z.number().int().positive(), ref: Ref.optional() }).strict();
export type SpinMessage = z.infer<typeof SpinMessage>;

/** `machine`, on join: the machine version, its bet levels (per line) and its number of paylines. */
export const MachineMessage = z.object({ version: z.string(), bet_levels: z.array(z.number().int()), lines: z.number().int() });
export type MachineMessage = z.infer<typeof MachineMessage>;

/** One spin's full outcome, as domain/games/slot/rules.ts declares it. */
const Outcome = z.custom<SpinOutcome>();

/** `spin_result`: the paid spin and every free spin it led to (each its own round and nonce), after the commit. */
export const SpinResultMessage = z.object({
  ref: Ref,
  round_id: z.string(),
  bet: z.number().int(),
  /** the paid spin's own payout */
  payout: z.number().int(),
  /** the paid spin's and every free spin's payout */
  total_payout: z.number().int(),
  outcome: Outcome,
  free_spins: z.array(z.object({ round_id: z.string(), payout: z.number().int(), outcome: Outcome, nonce: z.number().int() })),
  fairness: RoundFairness,
  balances: Balances,
});
export type SpinResultMessage = z.infer<typeof SpinResultMessage>;

/** `big_win`, to the whole hall: a round paid at least 20× its bet; `multiplier` in hundredths of the bet. */
export const BigWinMessage = z.object({ username: z.string(), payout: z.number().int(), multiplier: z.number().int() });
export type BigWinMessage = z.infer<typeof BigWinMessage>;

/** Everything the slot hall sends. */
export const SlotServerMessages = {
  machine: MachineMessage,
  spin_result: SpinResultMessage,
  big_win: BigWinMessage,
  error: ErrorMessage,
  reality_check: RealityCheckMessage,
};
export type SlotServerMessages = PayloadsOf<typeof SlotServerMessages>;
