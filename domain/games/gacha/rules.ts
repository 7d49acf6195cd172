import { DomainError } from '../../shared/errors.ts';
import type { Banner, DuplicateConversion, GachaItem, Rarity } from './banners.ts';
import { buildRarityTable, conditionRareOrBetter, pickRarity, TEN_PULL } from './odds.ts';

/**
 * Gacha pulls (DESIGN §4, §4a). Each pull consumes exactly two floats of the round, in order:
 *   1. the rarity float, compared with the cumulative rates of the current pity state in the order
 *      legendary, epic, rare, common (`pickRarity`);
 *   2. the item float: item index = floor(f × number of items of that rarity), in banner list order.
 * A 10-pull is one round (20 floats). If its first nine pulls are all common, the 10th pull's rarity float
 * is compared with the same pity state's table conditioned on rare-or-better (common's weight removed).
 */

export { effectiveTopRate } from './odds.ts';

/** Pity state per player and banner, stored as JSON: pulls since the last legendary (0 ≤ sinceTop < hard). */
export interface GachaPity {
  sinceTop: number;
}

export const INITIAL_PITY: GachaPity = { sinceTop: 0 };

/** Floats one pull consumes (rarity, then item). */
export const FLOATS_PER_PULL = 2;

export type PullCount = 1 | 10;

export interface GachaPull {
  rarity: Rarity;
  itemId: string;
  /** sinceTop before this pull, so this was pull number pityBefore + 1 since the last legendary */
  pityBefore: number;
  /** true when the 10-pull guarantee table was used for this pull */
  guaranteed: boolean;
  /** the player already owned the item, or got it earlier in the same 10-pull */
  duplicate: boolean;
  /** present only on duplicates */
  conversion?: DuplicateConversion;
}

export interface PullResult {
  pulls: GachaPull[];
  pityAfter: GachaPity;
  floatsUsed: number;
  /** item ids to add to the inventory (first copies), in pull order */
  newItems: string[];
  /** sum of the duplicate conversions of this round */
  converted: DuplicateConversion;
}

/** The price of a pull round in the banner's currency (integer minor units). */
export function pullCost(banner: Banner, count: PullCount): { currency: Banner['currency']; amount: number } {
  assertCount(count);
  return { currency: banner.currency, amount: count === TEN_PULL ? banner.cost.ten : banner.cost.single };
}

/** Validates stored pity JSON for a banner (`request/invalid` otherwise); null/undefined means a fresh state. */
export function parsePity(banner: Banner, json: unknown): GachaPity {
  if (json === null || json === undefined) return { ...INITIAL_PITY };
  const sinceTop = typeof json === 'object' ? (json as { sinceTop?: unknown }).sinceTop : undefined;
  if (!Number.isSafeInteger(sinceTop) || (sinceTop as number) < 0 || (sinceTop as number) >= banner.pity.hard) {
    throw new DomainError('request/invalid', `Invalid pity state for banner ${banner.id}.`, { bannerId: banner.id });
  }
  return { sinceTop: sinceTop as number };
}

/**
 * Draws `count` pulls from `floats` (≥ 2 × count floats in [0, 1), from the round's fair draws) starting at
 * `pity`; `owned` holds item ids the player already has. Pure: returns the pulls and the new pity state.
 */
export function pullGacha(
  banner: Banner,
  pity: GachaPity,
  floats: readonly number[],
  count: PullCount,
  owned: ReadonlySet<string> = new Set(),
): PullResult {
  assertCount(count);
  let sinceTop = parsePity(banner, pity).sinceTop;
  if (floats.length < count * FLOATS_PER_PULL)
    throw new Error(`A ${count}-pull needs ${count * FLOATS_PER_PULL} floats, got ${floats.length}.`);
  const seen = new Set(owned);
  const pulls: GachaPull[] = [];
  let allCommon = true;
  for (let i = 0; i < count; i++) {
    const guaranteed = count === TEN_PULL && i === TEN_PULL - 1 && allCommon;
    const base = buildRarityTable(banner, sinceTop);
    const rarity = pickRarity(guaranteed ? conditionRareOrBetter(base) : base, floats[i * FLOATS_PER_PULL]);
    const item = pickItem(banner.items[rarity], floats[i * FLOATS_PER_PULL + 1]);
    const duplicate = seen.has(item.id);
    seen.add(item.id);
    pulls.push({
      rarity,
      itemId: item.id,
      pityBefore: sinceTop,
      guaranteed,
      duplicate,
      ...(duplicate ? { conversion: { ...banner.duplicate[rarity] } } : {}),
    });
    sinceTop = rarity === 'legendary' ? 0 : sinceTop + 1;
    if (rarity !== 'common') allCommon = false;
  }
  return {
    pulls,
    pityAfter: { sinceTop },
    floatsUsed: count * FLOATS_PER_PULL,
    newItems: pulls.filter((p) => !p.duplicate).map((p) => p.itemId),
    converted: pulls.reduce(
      (sum, p) => ({ shards: sum.shards + (p.conversion?.shards ?? 0), gold: sum.gold + (p.conversion?.gold ?? 0) }),
      { shards: 0, gold: 0 },
    ),
  };
}

/** The item a float in [0, 1) selects uniformly: index floor(f × items.length). */
export function pickItem(items: readonly GachaItem[], float: number): GachaItem {
  if (!(float >= 0 && float < 1)) throw new Error(`A float in [0, 1) is required, got ${float}.`);
  return items[Math.floor(float * items.length)];
}

function assertCount(count: number): void {
  if (count !== 1 && count !== TEN_PULL) throw new DomainError('request/invalid', `A pull is 1 or 10, got ${count}.`, { count });
}
