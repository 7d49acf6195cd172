/** The demo catalog `npm start` seeds (idempotently, by sku). Prices: GOLD/GEM in whole units, USD in cents. */
export interface ProductSeed {
  sku: string;
  name: string;
  description: string;
  kind: 'currency_pack' | 'item' | 'booster' | 'bundle';
  price: number;
  priceCurrency: 'GOLD' | 'GEM' | 'USD';
  discountPct?: number;
  grants: { currencies: Partial<Record<'GOLD' | 'GEM', number>>; items: Array<{ item_id: string; quantity: number }> };
  bonus?: Partial<Record<'GOLD' | 'GEM', number>>;
  oneTime?: boolean;
  stock?: number;
  perUserCap?: number;
  rank: number;
}

export const DEMO_CATALOG: ProductSeed[] = [
  {
    sku: 'starter_bundle',
    name: 'Starter Bundle',
    description: 'Once per player: gems, gold and a badge.',
    kind: 'bundle',
    price: 300,
    priceCurrency: 'GOLD',
    grants: { currencies: { GEM: 50 }, items: [{ item_id: 'starter-badge', quantity: 1 }] },
    bonus: { GOLD: 100 },
    oneTime: true,
    rank: 1,
  },
  {
    sku: 'lucky_charm',
    name: 'Lucky Charm',
    description: 'Limited edition: only 10 exist, 2 per player.',
    kind: 'item',
    price: 200,
    priceCurrency: 'GOLD',
    grants: { currencies: {}, items: [{ item_id: 'lucky-charm', quantity: 1 }] },
    stock: 10,
    perUserCap: 2,
    rank: 2,
  },
  {
    sku: 'xp_booster',
    name: 'XP Booster',
    description: 'On sale: 25 % off.',
    kind: 'booster',
    price: 400,
    priceCurrency: 'GOLD',
    discountPct: 25,
    grants: { currencies: {}, items: [{ item_id: 'xp-booster-1h', quantity: 1 }] },
    rank: 3,
  },
  {
    sku: 'gold_pack_small',
    name: 'Pile of Gold',
    description: '1,000 GOLD (+100 bonus).',
    kind: 'currency_pack',
    price: 50,
    priceCurrency: 'GEM',
    grants: { currencies: { GOLD: 1000 }, items: [] },
    bonus: { GOLD: 100 },
    rank: 4,
  },
  {
    sku: 'gold_pack_big',
    name: 'Vault of Gold',
    description: '5,000 GOLD (+1,000 bonus), 10 % off.',
    kind: 'currency_pack',
    price: 200,
    priceCurrency: 'GEM',
    discountPct: 10,
    grants: { currencies: { GOLD: 5000 }, items: [] },
    bonus: { GOLD: 1000 },
    rank: 5,
  },
  {
    sku: 'gem_pack_500',
    name: 'Gem Pouch',
    description: '500 GEM (+50 bonus), paid through the payment provider.',
    kind: 'currency_pack',
    price: 499,
    priceCurrency: 'USD',
    grants: { currencies: { GEM: 500 }, items: [] },
    bonus: { GEM: 50 },
    rank: 6,
  },
  {
    sku: 'gem_chest_limited',
    name: 'Neon Gem Chest',
    description: '1,200 GEM. Only 5 exist.',
    kind: 'currency_pack',
    price: 999,
    priceCurrency: 'USD',
    grants: { currencies: { GEM: 1200 }, items: [] },
    stock: 5,
    perUserCap: 1,
    rank: 7,
  },
];
