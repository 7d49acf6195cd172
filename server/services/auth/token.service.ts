import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ROLES, type Role } from '../../db/entities/user.entity.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { RedisGuard } from '../../lib/redis-guard.ts';

const ISSUER = 'neon-club';
const AUDIENCE = 'neon-club';

/** Who an access token speaks for. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** the auth session (refresh-token family) the token belongs to */
  sessionId: string;
}

/**
 * The claims `issueAccessToken` puts in a token (iss, aud, iat and exp are checked by jwtVerify). A token signed with
 * our key but carrying anything else is refused like a forged one, before its ids reach a query or a room.
 */
const AccessClaims = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  role: z.enum(ROLES),
  name: z.string().min(1).max(20),
});

/** How many verified tokens a process remembers (each a few hundred bytes). */
const VERIFIED_TOKENS = 10_000;

/** Issues and verifies HS256 access tokens; revoked sessions are remembered in Redis for an access token's lifetime. */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly guard: RedisGuard;
  /**
   * Tokens whose signature and claims were verified, by their exact text, with their expiry (epoch seconds). A token
   * cannot change, so its next request skips the HMAC and the claims parse (a WebCrypto job each time) until it
   * expires; revocation is still checked on every use.
   */
  private readonly verified = new LRUCache<string, { principal: Principal; exp: number }>({ max: VERIFIED_TOKENS });

  constructor(
    secret: string,
    private readonly accessTtlSeconds: number,
    redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly isSessionRevoked: (sessionId: string) => Promise<boolean>,
    guard?: RedisGuard,
    /** the longest lifetime any access token is issued with (admin tokens may outlive players'): how long a revocation is kept */
    private readonly longestTtlSeconds = accessTtlSeconds,
  ) {
    this.key = new TextEncoder().encode(secret);
    this.guard = guard ?? new RedisGuard(redis);
  }

  /** A signed access token for `p`, valid `ttlSeconds` (the player lifetime unless given). */
  async issueAccessToken(p: Principal, ttlSeconds = this.accessTtlSeconds): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({ sid: p.sessionId, role: p.role, name: p.username })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.key);
    return { token, expiresIn: ttlSeconds };
  }

  /** Verifies signature, expiry, the claims' shape and revocation; throws `auth/unauthenticated` otherwise. */
  async verifyAccessToken(token: string | undefined | null): Promise<Principal> {
    if (!token) throw new DomainError('auth/unauthenticated', 'An access token is required.');
    const p = { ...(await this.verifiedPrincipal(token)) };
    if (await this.isRevoked(p.sessionId)) throw new DomainError('auth/unauthenticated', 'The session has ended.');
    return p;
  }

  /** The principal of a token with a valid signature, claims and expiry: remembered, or verified now. */
  private async verifiedPrincipal(token: string): Promise<Principal> {
    const now = this.clock.now();
    const seen = this.verified.get(token);
    // jose's rule: expired once exp <= now in whole seconds; an expired token goes on to jwtVerify for its error
    if (seen && seen.exp > Math.floor(now.getTime() / 1000)) return seen.principal;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: now }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new DomainError('auth/unauthenticated', expired ? 'The access token has expired.' : 'The access token is invalid.');
    }
    const claims = AccessClaims.safeParse(payload);
    if (!claims.success || payload.exp === undefined) throw new DomainError('auth/unauthenticated', 'The access token is invalid.');
    const principal: Principal = {
      userId: claims.data.sub,
      sessionId: claims.data.sid,
      role: claims.data.role,
      username: claims.data.name,
    };
    this.verified.set(token, { principal, exp: payload.exp });
    return principal;
  }

  /**
   * Remembers a revoked session so its outstanding access tokens are refused at once. Without Redis it answers 503
   * `service/unavailable`: the database has the revocation, but once Redis is back the check reads Redis only.
   */
  async markRevoked(sessionId: string): Promise<void> {
    await this.guard.required('auth.revoke', (r) =>
      r.set(this.revokedKey(sessionId), '1', 'EX', Math.max(this.accessTtlSeconds, this.longestTtlSeconds) + 60),
    );
  }

  /** Redis failing, stalled or known down: the database answers instead of failing (or holding) every request. */
  private isRevoked(sessionId: string): Promise<boolean> {
    return this.guard.orElse(
      'auth.revocation',
      async (r) => (await r.exists(this.revokedKey(sessionId))) === 1,
      () => this.isSessionRevoked(sessionId),
      'checked in PostgreSQL',
    );
  }

  private revokedKey(sid: string) {
    return `${this.prefix}auth:revoked:${sid}`;
  }
}

/** A new opaque refresh token and the SHA-256 under which it is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
