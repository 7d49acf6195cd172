import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A login: the family of refresh tokens it issued. Revoking it (logout, reuse) ends every token of the family. */
export const AuthSession = defineEntity({
  name: 'AuthSession',
  tableName: 'auth_sessions',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.string().length(32).nullable(),
    userAgent: p.string().length(255).nullable(),
    ip: p.string().length(64).nullable(),
  },
});

/** One refresh token, stored only as its SHA-256. `usedAt` is set when it is rotated. */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    sessionId: p.uuid().index(),
    userId: p.uuid(),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    usedAt: p.datetime().nullable(),
  },
});
export type IAuthSession = InferEntity<typeof AuthSession>;
export type IRefreshToken = InferEntity<typeof RefreshToken>;
