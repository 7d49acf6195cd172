import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toUsernameKey } from '../../../domain/auth/credentials.ts';
import {
  lockPlayer,
  recentlyRevokedSessions,
  revokeUserSessions,
  setPlayerStatus,
} from '../../db/repositories/admin-player-detail.repository.ts';
import type { KickPublisher } from '../../infra/kick.publisher.ts';
import type { LoginLockout } from '../../infra/lockout.ts';
import type { TokenService } from '../auth/token.service.ts';
import { notFound } from './players.service.ts';

/** What an admin write changed: the audit row's before and after, and the answer's body. */
export interface Change<R = Record<string, unknown>> {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  result: R;
}

/**
 * Operators' actions on a player's access: ban and unban, ending every session, clearing a login lockout. The
 * database part runs in the caller's transaction (the admin write with its audit row); `signOut` runs after it
 * commits: the ended sessions' access tokens are refused at once (TokenService's revocation list in Redis) and every
 * room holding the player closes their connections.
 */
export class PlayerAccessService {
  constructor(
    private readonly d: { orm: MikroORM; tokens: TokenService; lockout: LoginLockout; kicks: KickPublisher; accessTtlSeconds: number },
  ) {}

  /** Bans a player and ends their sessions (login, refresh and matchmaking refuse a banned player). */
  async ban(em: EntityManager, userId: string, reason: string): Promise<Change> {
    const player = await this.locked(em, userId);
    await setPlayerStatus(em, userId, 'banned');
    const revoked = await revokeUserSessions(em, userId, 'banned');
    const after = { status: 'banned', reason, sessions_revoked: revoked.length };
    return { before: { status: player.status }, after, result: { id: userId, ...after } };
  }

  /** Lifts a ban: the player may log in again. */
  async unban(em: EntityManager, userId: string): Promise<Change> {
    const player = await this.locked(em, userId);
    await setPlayerStatus(em, userId, 'active');
    return { before: { status: player.status }, after: { status: 'active' }, result: { id: userId, status: 'active' } };
  }

  /** Ends every open session of a player (they must log in again). */
  async revokeSessions(em: EntityManager, userId: string): Promise<Change> {
    await this.locked(em, userId);
    const revoked = await revokeUserSessions(em, userId, 'admin_revoked');
    return {
      before: { open_sessions: revoked.length },
      after: { open_sessions: 0 },
      result: { id: userId, sessions_revoked: revoked.length },
    };
  }

  /** Clears the player's failed-login count and lock. */
  async resetLockout(em: EntityManager, userId: string): Promise<Change> {
    const player = await this.locked(em, userId);
    const lockedFor = await this.d.lockout.lockedFor(toUsernameKey(player.username));
    await this.d.lockout.reset(toUsernameKey(player.username));
    return { before: { locked_for_seconds: lockedFor }, after: { locked_for_seconds: 0 }, result: { id: userId, locked_for_seconds: 0 } };
  }

  /**
   * After a ban or a revocation committed: every session of the player ended within an access token's lifetime is
   * marked revoked in Redis, and the rooms holding the player close their connections. Safe to repeat.
   */
  async signOut(userId: string, reason: string): Promise<void> {
    const em = this.d.orm.em.fork() as EntityManager;
    for (const sid of await recentlyRevokedSessions(em, userId, this.d.accessTtlSeconds + 60)) await this.d.tokens.markRevoked(sid);
    await this.d.kicks.kick(userId, reason);
  }

  private async locked(em: EntityManager, userId: string) {
    const player = await lockPlayer(em, userId);
    if (!player) throw notFound();
    return player;
  }
}
