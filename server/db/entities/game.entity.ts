import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { GAMES } from '../../../domain/games/game.ts';

export { GAMES, type Game } from '../../../domain/games/game.ts';

/** One player's stay in one game room, with running totals; closed on leave (or by recovery). */
export const GameSession = defineEntity({
  name: 'GameSession',
  tableName: 'game_sessions',
  indexes: [
    { name: 'game_sessions_user_idx', properties: ['userId', 'startedAt'] },
    {
      name: 'game_sessions_open_idx',
      expression: `create index "game_sessions_open_idx" on "game_sessions" ("owner") where "status" = 'open'`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    game: p.enum([...GAMES]),
    roomId: p.string().length(32),
    /** the server process that holds the session (recovery closes sessions of dead processes) */
    owner: p.string().length(64),
    status: p.enum(['open', 'closed', 'recovered']).default('open'),
    startedAt: p.datetime().onCreate(() => new Date()),
    endedAt: p.datetime().nullable(),
    rounds: p.integer().default(0),
    wagered: p.bigint('number').default(0),
    won: p.bigint('number').default(0),
    /** rounds that paid something */
    wins: p.integer().default(0),
    /** gacha pulls (a 10-pull counts 10) */
    pulls: p.integer().default(0),
    biggestWin: p.bigint('number').default(0),
    /** hundredths (157 = 1.57x) */
    biggestMultiplier: p.integer().default(0),
  },
});

/**
 * One round of one player: the bet, the payout, the outcome and what re-verification needs.
 * Instant games (slot, gacha) are settled in the transaction that opens them; crash bets and RPS stakes stay
 * `open` until settled (or refunded by recovery).
 */
export const GameRound = defineEntity({
  name: 'GameRound',
  tableName: 'game_rounds',
  indexes: [
    { name: 'game_rounds_user_idx', properties: ['userId', 'createdAt'] },
    { name: 'game_rounds_open_idx', expression: `create index "game_rounds_open_idx" on "game_rounds" ("owner") where "status" = 'open'` },
    { name: 'game_rounds_seed_idx', properties: ['seedId'] },
    { name: 'game_rounds_created_idx', properties: ['createdAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    game: p.enum([...GAMES]),
    userId: p.uuid(),
    sessionId: p.uuid().nullable(),
    /** a shared round (crash round, RPS duel) this player's row belongs to */
    groupId: p.string().length(64).nullable(),
    currency: p.enum(['GOLD', 'GEM']).default('GOLD'),
    bet: p.bigint('number').default(0),
    payout: p.bigint('number').default(0),
    /** hundredths; payout / bet for the biggest-multiplier stat */
    multiplier: p.integer().default(0),
    outcome: p.json<Record<string, unknown>>(),
    /** seed hash, client seed, nonce, algorithm version — or the crash chain hash, position and salt */
    fairness: p.json<Record<string, unknown>>(),
    seedId: p.uuid().nullable(),
    status: p.enum(['open', 'settled', 'refunded']).default('open'),
    owner: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    settledAt: p.datetime().nullable(),
  },
});

/** Lifetime totals per player and game, updated by the session-end hook. */
export const GameStat = defineEntity({
  name: 'GameStat',
  tableName: 'game_stats',
  properties: {
    userId: p.uuid().primary(),
    game: p.enum([...GAMES]).primary(),
    sessions: p.integer().default(0),
    rounds: p.integer().default(0),
    wagered: p.bigint('number').default(0),
    won: p.bigint('number').default(0),
    biggestWin: p.bigint('number').default(0),
    biggestMultiplier: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IGameSession = InferEntity<typeof GameSession>;
export type IGameRound = InferEntity<typeof GameRound>;
