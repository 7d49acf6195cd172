import { z } from 'zod';
import type { SettleReason } from '../../domain/games/crash/round.ts';
import { Balances, ErrorMessage, RealityCheckMessage, Ref, type PayloadsOf } from '../shared/common.messages.ts';

/** `bet`: stake `amount` GOLD on the next round (betting phase), with an optional auto cash-out in hundredths (≥ 101). */
export const CrashBetMessage = z
  .object({
    amount: z.number().int().positive(),
    autoCashout: z.number().int().min(101).max(1_000_000).nullable().optional(),
    ref: Ref.optional(),
  })
  .strict();
export type CrashBetMessage = z.infer<typeof CrashBetMessage>;

/** `cashout`: take the current multiplier (the server's, on receipt). */
export const CrashCashoutMessage = z.object({ ref: Ref.optional() }).strict();

/** `bet_placed`: the bet is escrowed (its debit committed). `auto_cashout` in hundredths, or null. */
export const BetPlacedMessage = z.object({
  ref: Ref,
  round_id: z.string(),
  crash_round_id: z.string(),
  amount: z.number().int(),
  auto_cashout: z.number().int().nullable(),
  balances: Balances,
});
export type BetPlacedMessage = z.infer<typeof BetPlacedMessage>;

/** `cashed_out`: the bet was paid (its credit committed) at `multiplier` hundredths. */
export const CashedOutMessage = z.object({
  round_id: z.string(),
  multiplier: z.number().int(),
  payout: z.number().int(),
  reason: z.enum(['cashout', 'auto_cashout', 'cap'] satisfies SettleReason[]),
  balances: Balances,
});
export type CashedOutMessage = z.infer<typeof CashedOutMessage>;

/** `bet_refunded`: the table closed before the round ran; the stake is back. */
export const BetRefundedMessage = z.object({ round_id: z.string(), amount: z.number().int(), balances: Balances });
export type BetRefundedMessage = z.infer<typeof BetRefundedMessage>;

/** `crashed`, to the whole table once every bet of the round is settled: the crash point in hundredths. */
export const CrashedMessage = z.object({ crash_round_id: z.string(), crash_point: z.number().int(), version: z.string() });
export type CrashedMessage = z.infer<typeof CrashedMessage>;

/**
 * `your_bet`, on joining while the player's bet is in the current round (placed before a reload or in another tab):
 * its stake, auto cash-out, and how it stands (`multiplier` and `payout` once cashed out).
 */
export const YourBetMessage = z.object({
  crash_round_id: z.string(),
  amount: z.number().int(),
  auto_cashout: z.number().int().nullable(),
  status: z.enum(['riding', 'cashed_out', 'lost']),
  multiplier: z.number().int(),
  payout: z.number().int(),
});
export type YourBetMessage = z.infer<typeof YourBetMessage>;

/** Everything a crash table sends. */
export const CrashServerMessages = {
  bet_placed: BetPlacedMessage,
  cashed_out: CashedOutMessage,
  bet_refunded: BetRefundedMessage,
  crashed: CrashedMessage,
  your_bet: YourBetMessage,
  error: ErrorMessage,
  reality_check: RealityCheckMessage,
};
export type CrashServerMessages = PayloadsOf<typeof CrashServerMessages>;
