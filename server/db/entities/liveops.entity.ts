import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

const STATUSES = ['active', 'claimable', 'claimed', 'expired'] as const;

/** A live event: its condition and reward are data; `daily` events start a new participation period each UTC day. */
export const LiveEvent = defineEntity({
  name: 'LiveEvent',
  tableName: 'events',
  properties: {
    id: p.uuid().primary(),
    code: p.string().length(40).unique(),
    name: p.string().length(80),
    description: p.string().length(255).default(''),
    type: p.enum(['daily', 'limited', 'progression']),
    condition: p.json<Record<string, unknown>>(),
    reward: p.json<Record<string, unknown>>(),
    startsAt: p.datetime().nullable(),
    endsAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    rank: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** optimistic lock: an operator's edit fails instead of overwriting another one made meanwhile */
    version: p.integer().version(),
  },
});

/** A player's participation in an event (and period): unique, progressed only by server hooks. */
export const EventParticipation = defineEntity({
  name: 'EventParticipation',
  tableName: 'event_participations',
  uniques: [{ name: 'event_participations_unique', properties: ['userId', 'eventId', 'periodKey'] }],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    eventId: p.uuid(),
    periodKey: p.string().length(16),
    progress: p.bigint('number').default(0),
    progressVersion: p.integer().default(0),
    lastProgressAt: p.datetime().nullable(),
    status: p.enum([...STATUSES]).default('active'),
    joinedAt: p.datetime().onCreate(() => new Date()),
    claimedAt: p.datetime().nullable(),
  },
});

export const Mission = defineEntity({
  name: 'Mission',
  tableName: 'missions',
  properties: {
    id: p.uuid().primary(),
    code: p.string().length(40).unique(),
    name: p.string().length(80),
    period: p.enum(['daily', 'weekly', 'achievement']),
    condition: p.json<Record<string, unknown>>(),
    reward: p.json<Record<string, unknown>>(),
    /** the mission runs in [startsAt, endsAt) (null: open on that side), as an event's schedule */
    startsAt: p.datetime().nullable(),
    endsAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    rank: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** optimistic lock: an operator's edit fails instead of overwriting another one made meanwhile */
    version: p.integer().version(),
  },
});

/** A player's mission in one period (UTC day, ISO week, or ALL for achievements): a new period is a new row. */
export const UserMission = defineEntity({
  name: 'UserMission',
  tableName: 'user_missions',
  uniques: [{ name: 'user_missions_unique', properties: ['userId', 'missionId', 'periodKey'] }],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    missionId: p.uuid(),
    periodKey: p.string().length(16),
    progress: p.bigint('number').default(0),
    progressVersion: p.integer().default(0),
    lastProgressAt: p.datetime().nullable(),
    status: p.enum([...STATUSES]).default('active'),
    claimedAt: p.datetime().nullable(),
  },
});

export const Streak = defineEntity({
  name: 'Streak',
  tableName: 'streaks',
  properties: {
    userId: p.uuid().primary(),
    state: p.json<Record<string, unknown>>(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Every reward ever paid, once per grant key: the single way rewards are paid. */
export const RewardGrant = defineEntity({
  name: 'RewardGrant',
  tableName: 'reward_grants',
  indexes: [{ name: 'reward_grants_user_idx', properties: ['userId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    grantKey: p.string().length(200).unique(),
    userId: p.uuid(),
    source: p.string().length(32),
    sourceId: p.string().length(64).nullable(),
    bundle: p.json<Record<string, unknown>>(),
    /** the response of the first claim (new balances…), returned again to a repeated claim */
    result: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Domain events written in the same transaction as their cause; a relay publishes them to a Redis Stream. */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  indexes: [
    {
      name: 'outbox_pending_idx',
      expression: `create index "outbox_pending_idx" on "outbox" ("id") where "published_at" is null and "dead_at" is null`,
    },
    // the admin transaction lookup finds the event announcing a round, a purchase or a reward grant
    {
      name: 'outbox_round_idx',
      expression: `create index "outbox_round_idx" on "outbox" (("payload" ->> 'round_id')) where "event_type" = 'round_settled'`,
    },
    {
      name: 'outbox_purchase_idx',
      expression: `create index "outbox_purchase_idx" on "outbox" (("payload" ->> 'purchase_id')) where "event_type" = 'purchase'`,
    },
    {
      name: 'outbox_grant_idx',
      expression: `create index "outbox_grant_idx" on "outbox" (("payload" ->> 'grant_key')) where "event_type" = 'reward_granted'`,
    },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    eventType: p.string().length(48),
    userId: p.uuid().nullable(),
    payload: p.json<Record<string, unknown>>(),
    traceId: p.string().length(64).nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    publishedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    /** a failed publish is retried after this (exponential backoff) */
    nextAttemptAt: p.datetime().nullable(),
    lastError: p.string().length(255).nullable(),
    deadAt: p.datetime().nullable(),
  },
});

export type ILiveEvent = InferEntity<typeof LiveEvent>;
