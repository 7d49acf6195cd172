import { DomainError } from '../../shared/errors.ts';

/**
 * Gacha banners as versioned data (DESIGN §4 "Gacha"). Changing a rate, an item list or a pity rule means a
 * new `version`, because published rates and past pulls are verified against the version they were drawn with.
 */

/** The algorithm version every banner below is drawn with. */
export const GACHA_VERSION = 'gacha-v1';

/**
 * Rarities in draw order: the pull float is compared with cumulative rates in exactly this order
 * (legendary first, common last), so a small float is the best result.
 */
export const RARITIES = ['legendary', 'epic', 'rare', 'common'] as const;
export type Rarity = (typeof RARITIES)[number];

/** An item a pull can grant; `id` is the inventory item id (≤ 64 chars). */
export interface GachaItem {
  id: string;
  name: string;
}

/** What a duplicate turns into: shards (quantity of the banner's shard item) and/or GOLD (minor units). */
export interface DuplicateConversion {
  shards: number;
  gold: number;
}

export interface Banner {
  version: typeof GACHA_VERSION;
  /** stable id (≤ 32 chars), the pity key together with the player */
  id: string;
  name: string;
  currency: 'GOLD' | 'GEM';
  /** price of one pull and of a 10-pull, integer minor units of `currency` */
  cost: { single: number; ten: number };
  /** disclosed base rates in basis points; they sum to exactly 10000 */
  ratesBps: Record<Rarity, number>;
  /** soft pity starts at pull `softStart` since the last legendary; pull `hard` is always legendary */
  pity: { softStart: number; hard: number };
  items: Record<Rarity, readonly GachaItem[]>;
  /** inventory item id that duplicate shards are credited as */
  shardItemId: string;
  duplicate: Record<Rarity, DuplicateConversion>;
}

const STANDARD_PITY = { softStart: 75, hard: 90 };

export const BANNERS: readonly Banner[] = [
  {
    version: GACHA_VERSION,
    id: 'neon-standard',
    name: 'Neon Standard',
    currency: 'GOLD',
    cost: { single: 100, ten: 900 },
    ratesBps: { legendary: 60, epic: 540, rare: 2400, common: 7000 },
    pity: STANDARD_PITY,
    items: {
      legendary: [
        { id: 'neon-dragon', name: 'Neon Dragon' },
        { id: 'chrome-phoenix', name: 'Chrome Phoenix' },
      ],
      epic: [
        { id: 'laser-tiger', name: 'Laser Tiger' },
        { id: 'synth-wolf', name: 'Synth Wolf' },
        { id: 'pulse-owl', name: 'Pulse Owl' },
      ],
      rare: [
        { id: 'glow-cat', name: 'Glow Cat' },
        { id: 'static-fox', name: 'Static Fox' },
        { id: 'volt-rabbit', name: 'Volt Rabbit' },
        { id: 'disco-koi', name: 'Disco Koi' },
      ],
      common: [
        { id: 'pixel-chip', name: 'Pixel Chip' },
        { id: 'neon-dice', name: 'Neon Dice' },
        { id: 'club-token', name: 'Club Token' },
        { id: 'glow-stick', name: 'Glow Stick' },
        { id: 'bar-coaster', name: 'Bar Coaster' },
      ],
    },
    shardItemId: 'shard-neon',
    duplicate: {
      legendary: { shards: 100, gold: 500 },
      epic: { shards: 20, gold: 100 },
      rare: { shards: 5, gold: 20 },
      common: { shards: 1, gold: 5 },
    },
  },
  {
    version: GACHA_VERSION,
    id: 'cyber-premium',
    name: 'Cyber Premium',
    currency: 'GEM',
    cost: { single: 160, ten: 1500 },
    ratesBps: { legendary: 100, epic: 900, rare: 3000, common: 6000 },
    pity: STANDARD_PITY,
    items: {
      legendary: [
        { id: 'quantum-queen', name: 'Quantum Queen' },
        { id: 'void-samurai', name: 'Void Samurai' },
        { id: 'holo-kraken', name: 'Holo Kraken' },
      ],
      epic: [
        { id: 'circuit-knight', name: 'Circuit Knight' },
        { id: 'plasma-witch', name: 'Plasma Witch' },
      ],
      rare: [
        { id: 'data-drone', name: 'Data Drone' },
        { id: 'mirror-mask', name: 'Mirror Mask' },
        { id: 'ion-blade', name: 'Ion Blade' },
      ],
      common: [
        { id: 'cyber-coin', name: 'Cyber Coin' },
        { id: 'wire-ring', name: 'Wire Ring' },
        { id: 'led-badge', name: 'LED Badge' },
        { id: 'chip-card', name: 'Chip Card' },
      ],
    },
    shardItemId: 'shard-cyber',
    duplicate: {
      legendary: { shards: 150, gold: 20000 },
      epic: { shards: 30, gold: 4000 },
      rare: { shards: 8, gold: 800 },
      common: { shards: 2, gold: 0 },
    },
  },
];

/** What a banner discloses to players before they pull: the gacha room's `banner` message (without the player's pity). */
export function bannerDisclosure(b: Banner) {
  return {
    id: b.id,
    name: b.name,
    currency: b.currency,
    cost: b.cost,
    rates_bps: b.ratesBps,
    pity_rules: b.pity,
    items: b.items,
    duplicate: b.duplicate,
    version: b.version,
  };
}

/** The banner with this id; throws `resource/not_found` for an unknown id. */
export function findBanner(id: string): Banner {
  const banner = BANNERS.find((b) => b.id === id);
  if (!banner) throw new DomainError('resource/not_found', `Unknown gacha banner ${id}.`, { bannerId: id });
  return banner;
}

/** Throws a plain Error (a data bug) unless rates sum to 10000 bps, amounts are integers and item ids are unique. */
export function assertBanner(banner: Banner): void {
  const fail = (why: string): never => {
    throw new Error(`Banner ${banner.id}: ${why}`);
  };
  const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!isCount(banner.cost.single) || !isCount(banner.cost.ten) || banner.cost.single === 0 || banner.cost.ten === 0)
    fail('costs must be positive integers');
  if (RARITIES.reduce((sum, r) => sum + banner.ratesBps[r], 0) !== 10000) fail('rates must sum to 10000 bps');
  if (!RARITIES.every((r) => isCount(banner.ratesBps[r]) && banner.items[r].length > 0))
    fail('every rarity needs an integer rate and items');
  if (banner.ratesBps.legendary === 0 || banner.ratesBps.legendary === 10000) fail('legendary rate must be in (0, 10000)');
  const { softStart, hard } = banner.pity;
  if (!Number.isSafeInteger(softStart) || !Number.isSafeInteger(hard) || softStart < 1 || hard < softStart)
    fail('pity needs 1 ≤ softStart ≤ hard');
  if (!RARITIES.every((r) => isCount(banner.duplicate[r].shards) && isCount(banner.duplicate[r].gold)))
    fail('conversions must be integers ≥ 0');
  const ids = RARITIES.flatMap((r) => banner.items[r].map((i) => i.id));
  if (new Set(ids).size !== ids.length) fail('item ids must be unique');
}
