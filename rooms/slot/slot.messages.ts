import { z } from 'zod';

/** `spin`: play one paid spin (and any free spins it triggers) at a bet per line from the machine's bet levels. */
export const SpinMessage = z.object({ betPerLine: z.number().int().positive(), ref: z.unknown().optional() }).strict();
export type SpinMessage = z.infer<typeof SpinMessage>;
