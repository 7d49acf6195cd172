import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ROLES = ['player', 'viewer', 'support', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'suspended', 'banned'] as const;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  // the admin players grid: one partial index per sort (ties broken by id), the rarer statuses, username prefixes
  indexes: [
    ...(['created_at', 'last_seen_at', 'level', 'wagered_7d'] as const).map((column) => {
      const name = `users_players_${column.replace(/_at$/, '')}_idx`;
      return { name, expression: `create index "${name}" on "users" ("${column}", "id") where "role" = 'player'` };
    }),
    {
      name: 'users_players_status_idx',
      expression: `create index "users_players_status_idx" on "users" ("status") where "role" = 'player'`,
    },
    {
      name: 'users_username_key_prefix_idx',
      expression: `create index "users_username_key_prefix_idx" on "users" ("username_key" varchar_pattern_ops) where "role" = 'player'`,
    },
  ],
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
