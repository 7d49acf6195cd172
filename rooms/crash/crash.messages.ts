import { z } from 'zod';

/** `bet`: stake `amount` GOLD on the next round (betting phase), with an optional auto cash-out in hundredths (≥ 101). */
export const CrashBetMessage = z
  .object({
    amount: z.number().int().positive(),
    autoCashout: z.number().int().min(101).max(1_000_000).nullable().optional(),
    ref: z.unknown().optional(),
  })
  .strict();
export type CrashBetMessage = z.infer<typeof CrashBetMessage>;

/** `cashout`: take the current multiplier (the server's, on receipt). */
export const CrashCashoutMessage = z.object({ ref: z.unknown().optional() }).strict();
