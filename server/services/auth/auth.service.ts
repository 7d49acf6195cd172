import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toUsernameKey } from '../../../domain/auth/credentials.ts';
import { credit } from '../../../domain/economy/currency.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { AuthSession, RefreshToken, User, type IUser } from '../../db/entities/index.ts';
import type { Role } from '../../db/entities/user.entity.ts';
import { pgCode, PG_UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import {
  isAuthSessionRevoked,
  lockRefreshToken,
  publicUserRead,
  revokeAuthSession,
  type PublicUserRecord,
} from '../../db/repositories/user.repository.ts';
import { readTogether, type ReadPart } from '../../db/sql.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { LoginLockout } from '../../infra/lockout.ts';
import { hashRefreshToken, newRefreshToken, type TokenService } from './token.service.ts';
import type { Balances, WalletService } from '../wallet/wallet.service.ts';

/** A logged-in session: the user and a new access and refresh token pair. */
export interface AuthResult {
  user: PublicUser;
  accessToken: string;
  refreshToken: string;
  /** seconds until the access token expires */
  expiresIn: number;
}

/** What anyone may know of an account (`createdAt` in ISO 8601: the profile is cached as JSON, so it stays a string). */
export type PublicUser = PublicUserRecord;

/** The logged-in user with balances (`GET /auth/me`). */
export type UserWithBalances = PublicUser & { balances: Balances };

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** Who may log in through an entry point, and the lifetime of the access tokens it issues (the admin login narrows both). */
export interface LoginPolicy {
  /** roles allowed in; others get 403 `auth/forbidden` after their password checked out */
  allowRole?: (role: Role) => boolean;
  accessTtlSeconds?: number;
}

export interface AuthServiceOptions {
  orm: MikroORM;
  wallet: WalletService;
  tokens: TokenService;
  lockout: LoginLockout;
  clock: Clock;
  refreshTtlSeconds: number;
  signupBonusGold: number;
  passwords: PasswordHasher;
}

/** Accounts, passwords, logins and refresh-token families. */
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(private readonly o: AuthServiceOptions) {}

  /** Creates an account with its wallets and the ledgered signup bonus, and logs it in. */
  async signup(username: string, password: string, client: ClientInfo = {}, opts: { role?: Role } = {}): Promise<AuthResult> {
    const role = opts.role ?? 'player';
    const passwordHash = await this.hash(password);
    const id = randomUUID();
    try {
      return await this.o.orm.em.fork().transactional(async (tx) => {
        const em = tx as EntityManager;
        const user = em.create(User, {
          id,
          username,
          usernameKey: toUsernameKey(username),
          passwordHash,
          role,
          lastLoginAt: this.o.clock.now(),
        });
        await em.flush();
        await this.o.wallet.openWallets(em, id);
        if (this.o.signupBonusGold > 0 && role === 'player') {
          await this.o.wallet.applyInTransaction(em, [
            credit({
              userId: id,
              currency: 'GOLD',
              amount: this.o.signupBonusGold,
              reason: 'signup_bonus',
              refType: 'user',
              refId: id,
              idempotencyKey: `signup_bonus:${id}`,
            }),
          ]);
        }
        await writeOutbox(em, { type: 'signup', userId: id, payload: { username, role } });
        return this.startSession(em, user, client);
      });
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE_VIOLATION) throw new DomainError('auth/username_taken', `The username "${username}" is taken.`);
      throw err;
    }
  }

  /** Verifies credentials with lockout after repeated failures. */
  async login(username: string, password: string, client: ClientInfo = {}, policy: LoginPolicy = {}): Promise<AuthResult> {
    const key = toUsernameKey(username);
    const locked = await this.o.lockout.lockedFor(key);
    if (locked > 0) throw lockedError(locked);
    const em = this.o.orm.em.fork() as EntityManager;
    const user = await em.findOne(User, { usernameKey: key });
    const ok = user ? await this.o.passwords.verify(user.passwordHash, password) : await this.burnTime(password);
    if (!user || !ok) {
      await this.o.lockout.recordFailure(key);
      throw new DomainError('auth/invalid_credentials', 'Wrong username or password.');
    }
    await this.o.lockout.clear(key);
    assertActive(user);
    assertAllowed(user, policy);
    user.lastLoginAt = this.o.clock.now();
    return em.transactional(async (tx) => this.startSession(tx as EntityManager, user, client, policy.accessTtlSeconds));
  }

  /**
   * Rotates a refresh token. Presenting a token that was already rotated means it leaked: the whole
   * family (session) is revoked and every token of it stops working.
   */
  async refresh(refreshToken: string, policy: LoginPolicy = {}): Promise<AuthResult> {
    const hash = hashRefreshToken(refreshToken);
    const outcome = await this.o.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const t = await lockRefreshToken(em, hash);
      if (!t) return { error: 'unknown' as const };
      const session = await em.findOne(AuthSession, { id: t.sessionId });
      if (!session || session.revokedAt) return { error: 'revoked' as const };
      if (t.usedAt) {
        session.revokedAt = this.o.clock.now();
        session.revokedReason = 'refresh_token_reuse';
        return { error: 'reuse' as const, sessionId: session.id };
      }
      if (t.expiresAt.getTime() <= this.o.clock.now().getTime()) return { error: 'expired' as const };
      const user = await em.findOneOrFail(User, { id: t.userId });
      assertActive(user);
      assertAllowed(user, policy);
      t.usedAt = this.o.clock.now();
      return { result: await this.issue(em, user, session.id, policy.accessTtlSeconds) };
    });
    if ('result' in outcome && outcome.result) return outcome.result;
    if (outcome.error === 'reuse') {
      // the family is revoked in PostgreSQL whatever happens next: the answer stays "reuse" even when Redis cannot
      // record it (then its access tokens are refused only while the revocation check falls back to PostgreSQL)
      await this.o.tokens.markRevoked(outcome.sessionId!).catch((err: unknown) => {
        if (!(err instanceof DomainError && err.code === 'service/unavailable')) throw err;
      });
    }
    const messages = {
      unknown: 'The refresh token is not valid.',
      revoked: 'The session of this refresh token has ended.',
      reuse: 'This refresh token was already used; the session has been revoked for safety.',
      expired: 'The refresh token has expired.',
    };
    throw new DomainError('auth/invalid_refresh_token', messages[outcome.error!], { reason: outcome.error });
  }

  /**
   * Ends a session: its refresh tokens and outstanding access tokens stop working. Without Redis it answers 503 after
   * the session is ended in PostgreSQL; a retry (the access token still passes once Redis is back) completes it.
   */
  async logout(sessionId: string): Promise<void> {
    await revokeAuthSession(this.o.orm.em.fork() as EntityManager, sessionId, this.o.clock.now(), 'logout');
    await this.o.tokens.markRevoked(sessionId);
  }

  async isSessionRevoked(sessionId: string): Promise<boolean> {
    return isAuthSessionRevoked(this.o.orm.em.fork() as EntityManager, sessionId);
  }

  async me(userId: string): Promise<UserWithBalances> {
    const [user, balances] = await readTogether(this.o.orm.em.fork() as EntityManager, this.meRead(userId));
    return withBalances(user, balances);
  }

  /** The reads of `me` (the user, their balances), to run with others (`readTogether`); `withBalances` puts them together. */
  meRead(userId: string): [ReadPart<PublicUser | null>, ReadPart<Balances>] {
    return [publicUserRead(userId), this.o.wallet.balancesRead(userId)];
  }

  /** Sets a new password hash (operator tooling). */
  hash(password: string): Promise<string> {
    return this.o.passwords.hash(password);
  }

  private async startSession(em: EntityManager, user: IUser, client: ClientInfo, accessTtlSeconds?: number): Promise<AuthResult> {
    const session = em.create(AuthSession, {
      id: randomUUID(),
      userId: user.id,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
    });
    await em.flush();
    return this.issue(em, user, session.id, accessTtlSeconds);
  }

  private async issue(em: EntityManager, user: IUser, sessionId: string, accessTtlSeconds?: number): Promise<AuthResult> {
    const refresh = newRefreshToken();
    em.create(RefreshToken, {
      id: randomUUID(),
      sessionId,
      userId: user.id,
      tokenHash: refresh.hash,
      expiresAt: new Date(this.o.clock.now().getTime() + this.o.refreshTtlSeconds * 1000),
    });
    await em.flush();
    const access = await this.o.tokens.issueAccessToken(
      { userId: user.id, username: user.username, role: user.role, sessionId },
      accessTtlSeconds,
    );
    return {
      user: toPublicUser(user),
      accessToken: access.token,
      refreshToken: refresh.token,
      expiresIn: access.expiresIn,
    };
  }

  /** Spends as long as a real verification so response time does not reveal whether a username exists. */
  private async burnTime(password: string): Promise<false> {
    // made once; a hash refused while the queue was full (service/busy) is not kept, the next attempt makes it
    this.dummyHash ??= this.hash('not-a-real-password').catch((err: unknown) => {
      this.dummyHash = undefined;
      throw err;
    });
    await this.o.passwords.verify(await this.dummyHash, password);
    return false;
  }
}

function lockedError(retryAfter: number) {
  return new DomainError('auth/locked', `Too many failed logins. Try again in ${retryAfter} seconds.`, { retry_after: retryAfter });
}

function assertActive(user: IUser) {
  if (user.status !== 'active') throw new DomainError('auth/account_disabled', `This account is ${user.status}.`);
}

function assertAllowed(user: IUser, policy: LoginPolicy) {
  if (policy.allowRole && !policy.allowRole(user.role)) throw new DomainError('auth/forbidden', 'This account may not log in here.');
}

/** The logged-in user with balances, from the reads of `AuthService.meRead`. */
export function withBalances(user: PublicUser | null, balances: Balances): UserWithBalances {
  if (!user) throw new DomainError('resource/not_found', 'User not found.');
  return { ...user, balances };
}

export function toPublicUser(u: IUser): PublicUser {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    status: u.status,
    level: u.level,
    xp: Number(u.xp),
    createdAt: u.createdAt.toISOString(),
  };
}
