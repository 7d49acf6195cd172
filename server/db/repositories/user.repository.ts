import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Game } from '../../../domain/games/game.ts';
import { AuthSession, RefreshToken } from '../entities/auth-session.entity.ts';
import { User, type Role } from '../entities/user.entity.ts';
import { runRead, type ReadPart, type WritePart } from '../sql.ts';

/**
 * Loads a user through the unit of work, locked for the rest of the transaction (and re-read, so a copy already in the
 * identity map cannot be stale): changes made to it in memory are written by the next `flush`.
 */
export function lockUser(em: EntityManager, userId: string) {
  return em.findOneOrFail(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/**
 * A closed session's figures added to the player's lifetime stats row for its game, created on the first session (an
 * upsert: two sessions of one game closing at once both add). A part of one statement (see `executeTogether`).
 */
export function gameStatAddWrite(s: {
  userId: string;
  game: Game;
  rounds: number;
  wagered: number;
  won: number;
  biggestWin: number;
  biggestMultiplier: number;
}): WritePart {
  return {
    sql: `insert into game_stats as g (user_id, game, sessions, rounds, wagered, won, biggest_win, biggest_multiplier, updated_at)
          values (?, ?, 1, ?, ?, ?, ?, ?, now())
          on conflict (user_id, game) do update set
            sessions = g.sessions + 1, rounds = g.rounds + excluded.rounds, wagered = g.wagered + excluded.wagered,
            won = g.won + excluded.won, biggest_win = greatest(g.biggest_win, excluded.biggest_win),
            biggest_multiplier = greatest(g.biggest_multiplier, excluded.biggest_multiplier), updated_at = excluded.updated_at`,
    params: [s.userId, s.game, s.rounds, s.wagered, s.won, s.biggestWin, s.biggestMultiplier],
  };
}

/** XP added to a user's row (which stays locked for the transaction); returns the new `xp` and the current `level`. */
export function userXpAddWrite(userId: string, xp: number): WritePart {
  return { sql: `update users set xp = xp + ? where id = ? returning xp, level`, params: [xp, userId], returning: true };
}

/** A user's new level (after `userXpAddWrite` in the same transaction passed a level boundary). */
export function userLevelWrite(userId: string, level: number): WritePart {
  return { sql: `update users set level = ? where id = ?`, params: [level, userId] };
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

/** What anyone may know of an account; `createdAt` in the ISO form `Date.toISOString` gives. */
export interface PublicUserRecord {
  id: string;
  username: string;
  role: Role;
  status: string;
  level: number;
  xp: number;
  createdAt: string;
}

/** A user's public fields (null for an unknown id), to run alone or with others (`readTogether`). */
export function publicUserRead(userId: string): ReadPart<PublicUserRecord | null> {
  return {
    sql: `select id, username, role, status, level, xp,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
       from users where id = ?`,
    params: [userId],
    map: ([r]) =>
      r
        ? {
            id: r.id as string,
            username: r.username as string,
            role: r.role as Role,
            status: r.status as string,
            level: Number(r.level),
            xp: Number(r.xp),
            createdAt: r.created_at as string,
          }
        : null,
  };
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
export function gameStatsOf(em: EntityManager, userId: string): Promise<GameStatSummary[]> {
  return runRead(em, gameStatsRead(userId));
}

/** The read of `gameStatsOf`, to run with others (`readTogether`). */
export function gameStatsRead(userId: string): ReadPart<GameStatSummary[]> {
  return {
    sql: `select game, sessions, rounds, wagered, won, biggest_win, biggest_multiplier from game_stats where user_id = ? order by game`,
    params: [userId],
    map: (rows) =>
      rows.map((r) => ({
        game: r.game as Game,
        sessions: Number(r.sessions),
        rounds: Number(r.rounds),
        // bigint columns come back as text from the driver
        wagered: Number(r.wagered),
        won: Number(r.won),
        biggestWin: Number(r.biggest_win),
        biggestMultiplier: Number(r.biggest_multiplier),
      })),
  };
}
