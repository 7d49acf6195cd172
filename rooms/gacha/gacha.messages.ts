import { z } from 'zod';

/** Join option: which banner (default `neon-standard`). */
export const GachaJoinOptions = z.object({ banner: z.string().max(32).optional() }).loose();

/** `pull`: 1 or 10 pulls on this room's banner. */
export const PullMessage = z.object({ count: z.union([z.literal(1), z.literal(10)]), ref: z.unknown().optional() }).strict();
export type PullMessage = z.infer<typeof PullMessage>;
