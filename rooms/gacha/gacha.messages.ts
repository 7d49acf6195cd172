import { z } from 'zod';
import type { Banner } from '../../domain/games/gacha/banners.ts';
import type { GachaPull } from '../../domain/games/gacha/rules.ts';
import { Balances, Currency, ErrorMessage, RealityCheckMessage, Ref, RoundFairness, type PayloadsOf } from '../shared/common.messages.ts';

/** Join option: which banner (default `neon-standard`). */
export const GachaJoinOptions = z.object({ banner: z.string().max(32).optional() }).loose();

/** `pull`: 1 or 10 pulls on this room's banner. */
export const PullMessage = z.object({ count: z.union([z.literal(1), z.literal(10)]), ref: Ref.optional() }).strict();
export type PullMessage = z.infer<typeof PullMessage>;

/** Shards and GOLD that duplicates turned into. */
const Converted = z.object({ shards: z.number().int(), gold: z.number().int() });

/** `banner`, on join: the banner's published rules (domain/games/gacha/banners.ts) and the player's pity count. */
export const BannerMessage = z.object({
  id: z.string(),
  name: z.string(),
  currency: Currency,
  cost: z.custom<Banner['cost']>(),
  rates_bps: z.custom<Banner['ratesBps']>(),
  pity_rules: z.custom<Banner['pity']>(),
  items: z.custom<Banner['items']>(),
  duplicate: z.custom<Banner['duplicate']>(),
  version: z.string(),
  /** pulls since the last legendary */
  pity: z.number().int(),
});
export type BannerMessage = z.infer<typeof BannerMessage>;

/** `pull_result`: the pulls (domain/games/gacha/rules.ts), the pity after them and the duplicates converted, after the commit. */
export const PullResultMessage = z.object({
  ref: Ref,
  round_id: z.string(),
  cost: z.number().int(),
  currency: Currency,
  pulls: z.array(z.custom<GachaPull>()),
  pity: z.number().int(),
  converted: Converted,
  fairness: RoundFairness,
  balances: Balances,
});
export type PullResultMessage = z.infer<typeof PullResultMessage>;

/** `legendary`, to the whole banner room: someone pulled a legendary item. */
export const LegendaryMessage = z.object({ username: z.string(), item_id: z.string(), banner_id: z.string() });
export type LegendaryMessage = z.infer<typeof LegendaryMessage>;

/** Everything a banner room sends. */
export const GachaServerMessages = {
  banner: BannerMessage,
  pull_result: PullResultMessage,
  legendary: LegendaryMessage,
  error: ErrorMessage,
  reality_check: RealityCheckMessage,
};
export type GachaServerMessages = PayloadsOf<typeof GachaServerMessages>;
