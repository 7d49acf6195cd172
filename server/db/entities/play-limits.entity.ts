import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A player's loss, wager or spend limit for one currency and period (docs/limits.md). `amount` is in force; a raise
 * (or a removal: `pendingAmount` null) waits in `pendingAmount` until `pendingAt`, a lowering applies at once.
 */
export const PlayLimit = defineEntity({
  name: 'PlayLimit',
  tableName: 'play_limits',
  checks: [
    { name: 'play_limits_kind_check', expression: `kind in ('loss', 'wager', 'spend')` },
    { name: 'play_limits_period_check', expression: `period in ('day', 'week', 'month')` },
    { name: 'play_limits_amount_check', expression: 'amount is null or amount >= 0' },
  ],
  properties: {
    userId: p.uuid().primary(),
    kind: p.string().length(8).primary(),
    currency: p.string().length(8).primary(),
    period: p.string().length(8).primary(),
    amount: p.bigint('number').nullable(),
    pendingAmount: p.bigint('number').nullable(),
    pendingAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

/**
 * Running totals of a player's stakes and net loss per currency in the current UTC day, ISO week and month (the
 * period's first day in `day`, `week`, `month`; a total of an earlier period counts as 0). Kept only for players
 * with a limit.
 */
export const PlayLimitUsage = defineEntity({
  name: 'PlayLimitUsage',
  tableName: 'play_limit_usage',
  properties: {
    userId: p.uuid().primary(),
    currency: p.string().length(8).primary(),
    day: p.string().columnType('date'),
    dayWagered: p.bigint('number').default(0),
    dayLoss: p.bigint('number').default(0),
    week: p.string().columnType('date'),
    weekWagered: p.bigint('number').default(0),
    weekLoss: p.bigint('number').default(0),
    month: p.string().columnType('date'),
    monthWagered: p.bigint('number').default(0),
    monthLoss: p.bigint('number').default(0),
  },
});

/** A player's cool-off or self-exclusion (until `blockUntil`) and reality-check interval. */
export const PlayProtection = defineEntity({
  name: 'PlayProtection',
  tableName: 'play_protection',
  checks: [{ name: 'play_protection_block_check', expression: `block_kind is null or block_kind in ('cool_off', 'self_exclusion')` }],
  properties: {
    userId: p.uuid().primary(),
    blockKind: p.string().length(16).nullable(),
    blockUntil: p.datetime().nullable(),
    realityCheckMinutes: p.integer().nullable(),
    updatedAt: p.datetime(),
  },
});

/** Every change of a player's limits, cool-off or reality check: who, what, before/after, when it applies. */
export const PlayLimitHistory = defineEntity({
  name: 'PlayLimitHistory',
  tableName: 'play_limit_history',
  indexes: [{ name: 'play_limit_history_user_idx', properties: ['userId', 'id'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    actor: p.string().length(64),
    action: p.string().length(32),
    kind: p.string().length(8).nullable(),
    currency: p.string().length(8).nullable(),
    period: p.string().length(8).nullable(),
    before: p.bigint('number').nullable(),
    after: p.bigint('number').nullable(),
    effectiveAt: p.datetime(),
    detail: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime(),
  },
});

export type IPlayLimit = InferEntity<typeof PlayLimit>;
