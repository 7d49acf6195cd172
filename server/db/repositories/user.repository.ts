import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Game } from '../../../domain/games/game.ts';
import { AuthSession, RefreshToken } from '../entities/auth-session.entity.ts';
import { GameStat } from '../entities/game.entity.ts';
import { User } from '../entities/user.entity.ts';

/**
 * Loads a user through the unit of work, locked for the rest of the transaction (and re-read, so a copy already in the
 * identity map cannot be stale): changes made to it in memory are written by the next `flush`.
 */
export function lockUser(em: EntityManager, userId: string) {
  return em.findOneOrFail(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/**
 * A player's lifetime stats row for a game, locked for the transaction and managed by the unit of work. The row is
 * created first when missing (`on conflict do nothing`): two sessions of one game closing at once then both find it.
 */
export async function lockGameStat(em: EntityManager, userId: string, game: Game) {
  await em
    .createQueryBuilder(GameStat)
    .insert({ userId, game, sessions: 0, rounds: 0, wagered: 0, won: 0, biggestWin: 0, biggestMultiplier: 0, updatedAt: new Date() })
    .onConflict(['userId', 'game'])
    .ignore()
    .execute();
  return em.findOneOrFail(GameStat, { userId, game }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** The refresh token with this hash, locked for the transaction (two rotations of one token serialise), or null. */
export function lockRefreshToken(em: EntityManager, tokenHash: string) {
  return em.findOne(RefreshToken, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Ends an auth session unless it has ended already (the first revocation's time and reason stay). */
export async function revokeAuthSession(em: EntityManager, sessionId: string, at: Date, reason: string): Promise<void> {
  await em.nativeUpdate(AuthSession, { id: sessionId, revokedAt: null }, { revokedAt: at, revokedReason: reason });
}

/** Whether an auth session has ended (an unknown session counts as ended). */
export async function isAuthSessionRevoked(em: EntityManager, sessionId: string): Promise<boolean> {
  const s = await em.findOne(AuthSession, { id: sessionId }, { fields: ['revokedAt'], disableIdentityMap: true });
  return !s || s.revokedAt !== null;
}

/** A player's lifetime figures in one game. */
export interface GameStatSummary {
  game: Game;
  sessions: number;
  rounds: number;
  wagered: number;
  won: number;
  biggestWin: number;
  biggestMultiplier: number;
}

/** A player's lifetime figures per game, by game. */
export async function gameStatsOf(em: EntityManager, userId: string): Promise<GameStatSummary[]> {
  const rows = await em.execute<Record<string, string | number>[]>(
    `select game, sessions, rounds, wagered, won, biggest_win, biggest_multiplier from game_stats where user_id = ? order by game`,
    [userId],
  );
  return rows.map((r) => ({
    game: r.game as Game,
    sessions: Number(r.sessions),
    rounds: Number(r.rounds),
    // bigint columns come back as text from the driver
    wagered: Number(r.wagered),
    won: Number(r.won),
    biggestWin: Number(r.biggest_win),
    biggestMultiplier: Number(r.biggest_multiplier),
  }));
}
