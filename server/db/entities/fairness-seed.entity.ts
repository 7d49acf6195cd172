import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A player's server seed. Only its SHA-256 is shown while it is active; rotating it reveals the seed so
 * every round it produced can be re-verified. One active seed per player (partial unique index).
 */
export const FairnessSeed = defineEntity({
  name: 'FairnessSeed',
  tableName: 'fairness_seeds',
  indexes: [
    {
      name: 'fairness_seeds_one_active',
      expression: `create unique index "fairness_seeds_one_active" on "fairness_seeds" ("user_id") where "revealed_at" is null`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().index(),
    serverSeed: p.string().length(64).hidden(),
    serverSeedHash: p.string().length(64),
    clientSeed: p.string().length(64),
    /** the nonce the next round will use */
    nextNonce: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    revealedAt: p.datetime().nullable(),
  },
});
export type IFairnessSeed = InferEntity<typeof FairnessSeed>;
