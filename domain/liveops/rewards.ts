// Reward bundles: what a claim, a streak day or a purchase grants. Data, validated with zod.
import { z } from 'zod';
import { DomainError } from '../shared/errors.ts';

const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Zod schema of a RewardBundle: non-negative integer amounts, positive item quantities, no unknown keys, not empty. */
export const RewardBundleSchema = z
  .strictObject({
    gold: amount.optional(),
    gem: amount.optional(),
    xp: amount.optional(),
    items: z
      .array(z.strictObject({ item_id: z.string().min(1).max(64), quantity: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }))
      .optional(),
  })
  .refine((b) => !isEmptyBundle(b), { message: 'A reward bundle must grant at least one thing.' });

/** What a reward grants: GOLD, GEM and XP are integers ≥ 0; items have a positive integer quantity. */
export type RewardBundle = {
  gold?: number;
  gem?: number;
  xp?: number;
  items?: Array<{ item_id: string; quantity: number }>;
};

/** True when the bundle grants nothing (all amounts absent or 0, no items). */
export function isEmptyBundle(bundle: RewardBundle): boolean {
  return !(bundle.gold ?? 0) && !(bundle.gem ?? 0) && !(bundle.xp ?? 0) && !(bundle.items?.length ?? 0);
}

/** Validates unknown JSON as a non-empty RewardBundle; DomainError 'request/invalid' (details.issues) otherwise. */
export function parseRewardBundle(json: unknown): RewardBundle {
  const result = RewardBundleSchema.safeParse(json);
  if (!result.success) {
    throw new DomainError('request/invalid', 'Invalid reward bundle.', { reason: 'invalid_reward_bundle', issues: result.error.issues });
  }
  return result.data;
}
