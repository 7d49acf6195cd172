import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A crash hash chain: h0 is secret, h_i = SHA-256(h_{i-1}) up to h_N; h_N (the terminating hash) and the salt
 * are published before the first round, and round r uses h_{N-r}. Every 1000th hash is kept as a checkpoint so
 * a round hash is recomputed with at most 999 hashes.
 */
export const CrashChain = defineEntity({
  name: 'CrashChain',
  tableName: 'crash_chains',
  properties: {
    id: p.uuid().primary(),
    length: p.integer(),
    seed: p.string().length(64).hidden(),
    terminatingHash: p.string().length(64),
    salt: p.string().length(64),
    checkpointEvery: p.integer(),
    checkpoints: p.json<string[]>().hidden().lazy(),
    /** rounds already used (the next round is rounds + 1) */
    roundsUsed: p.integer().default(0),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One shared crash round. */
export const CrashRound = defineEntity({
  name: 'CrashRound',
  tableName: 'crash_rounds',
  uniques: [{ name: 'crash_rounds_chain_position_unique', properties: ['chainId', 'position'] }],
  properties: {
    id: p.uuid().primary(),
    chainId: p.uuid(),
    position: p.integer(),
    roundHash: p.string().length(64),
    crashPoint: p.integer(),
    roomId: p.string().length(32),
    /** the server instance running the round (recovery voids rounds of dead instances) */
    owner: p.string().length(64),
    status: p.enum(['betting', 'running', 'crashed', 'voided']).default('betting'),
    startedAt: p.datetime().onCreate(() => new Date()),
    crashedAt: p.datetime().nullable(),
  },
});

export type ICrashChain = InferEntity<typeof CrashChain>;
export type ICrashRound = InferEntity<typeof CrashRound>;
