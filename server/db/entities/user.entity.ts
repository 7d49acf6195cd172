import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ROLES = ['player', 'viewer', 'support', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'suspended', 'banned'] as const;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    username: p.string().length(20),
    /** lower-cased username: the unique key that makes names case-insensitive */
    usernameKey: p.string().length(20).unique(),
    passwordHash: p.string().length(255).hidden(),
    role: p.enum([...ROLES]).default('player'),
    status: p.enum([...USER_STATUSES]).default('active'),
    level: p.integer().default(1),
    xp: p.bigint('number').default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastLoginAt: p.datetime().nullable(),
    /** the latest login, token refresh or game session start or end (kept by database triggers) */
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    /** GOLD wagered in game sessions started in the last 7 days (a rollup the admin players service refreshes) */
    wagered7d: p.bigint('number').fieldName('wagered_7d').default(0),
  },
});
export type IUser = InferEntity<typeof User>;
