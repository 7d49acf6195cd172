import type { EntityManager } from '@mikro-orm/postgresql';
import type { Game } from '../../../domain/games/game.ts';
import { GameSession, type IGameSession } from '../entities/game.entity.ts';
import { columnList, fromRow } from '../entity-sql.ts';
import { jsonRecordset, runRead, type ReadPart, type WritePart } from '../sql.ts';

/** Figures added to a session's running totals. */
export interface SessionTotals {
  rounds: number;
  wagered: number;
  won: number;
  /** rounds that paid something */
  wins: number;
  /** gacha pulls (a 10-pull counts 10) */
  pulls: number;
  biggestWin: number;
  /** hundredths (157 = 1.57x) */
  biggestMultiplier: number;
}

/**
 * A batch's figures summed per session (a session may have several rounds in one batch): the counters add up, the
 * biggest win (a change's `biggestWin`, else its `won`) and multiplier keep the maximum. Changes without a session
 * change nothing.
 */
export function sumSessionTotals(
  changes: Array<{ sessionId: string | null } & Partial<SessionTotals>>,
): Array<SessionTotals & { id: string }> {
  const totals = new Map<string, SessionTotals & { id: string }>();
  for (const c of changes) {
    if (!c.sessionId) continue;
    const t = totals.get(c.sessionId) ?? {
      id: c.sessionId,
      rounds: 0,
      wagered: 0,
      won: 0,
      wins: 0,
      pulls: 0,
      biggestWin: 0,
      biggestMultiplier: 0,
    };
    t.rounds += c.rounds ?? 0;
    t.wagered += c.wagered ?? 0;
    t.won += c.won ?? 0;
    t.wins += c.wins ?? 0;
    t.pulls += c.pulls ?? 0;
    t.biggestWin = Math.max(t.biggestWin, c.biggestWin ?? c.won ?? 0);
    t.biggestMultiplier = Math.max(t.biggestMultiplier, c.biggestMultiplier ?? 0);
    totals.set(c.sessionId, t);
  }
  return [...totals.values()];
}

/** Records an open session: a part of one statement with its outbox event (see `executeTogether`). */
export function sessionInsertWrite(s: {
  id: string;
  userId: string;
  game: Game;
  roomId: string;
  owner: string;
  startedAt: Date;
}): WritePart {
  return {
    sql: `insert into game_sessions (id, user_id, game, room_id, owner, started_at, status) values (?, ?, ?, ?, ?, ?, 'open')`,
    params: [s.id, s.userId, s.game, s.roomId, s.owner, s.startedAt],
  };
}

/** Adds one settlement's figures to a session's totals (counters add up, the biggest-* figures keep the maximum). */
export async function addSessionTotals(em: EntityManager, sessionId: string, t: SessionTotals): Promise<void> {
  await em.execute(
    `update game_sessions set rounds = rounds + ?, wagered = wagered + ?, won = won + ?, wins = wins + ?, pulls = pulls + ?,
       biggest_win = greatest(biggest_win, ?), biggest_multiplier = greatest(biggest_multiplier, ?) where id = ?`,
    [t.rounds, t.wagered, t.won, t.wins, t.pulls, t.biggestWin, t.biggestMultiplier, sessionId],
  );
}

/**
 * The same for many sessions in one UPDATE, to run with `executeTogether`. Raw and set-based because it is the
 * group-commit path (the bench settles ~1,880 slot rounds/s this way, 1.27x pgbench TPC-B).
 */
export function sessionTotalsWrite(totals: Array<SessionTotals & { id: string }>): WritePart {
  const rows = totals.map((t) => ({
    id: t.id,
    rounds: t.rounds,
    wagered: t.wagered,
    won: t.won,
    wins: t.wins,
    pulls: t.pulls,
    biggest_win: t.biggestWin,
    biggest_multiplier: t.biggestMultiplier,
  }));
  return {
    sql: `update game_sessions s set rounds = s.rounds + v.rounds, wagered = s.wagered + v.wagered, won = s.won + v.won, wins = s.wins + v.wins,
            pulls = s.pulls + v.pulls, biggest_win = greatest(s.biggest_win, v.biggest_win), biggest_multiplier = greatest(s.biggest_multiplier, v.biggest_multiplier)
            from ${jsonRecordset('id uuid, rounds int, wagered bigint, won bigint, wins int, pulls int, biggest_win bigint, biggest_multiplier int', rows.length)}
           where s.id = v.id`,
    params: [JSON.stringify(rows)],
  };
}

/** Closes a session if it is still open (so it is closed once); returns the closed row, or null. */
export async function closeOpenSession(
  em: EntityManager,
  sessionId: string,
  status: 'closed' | 'recovered',
  at: Date,
): Promise<IGameSession | null> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `update game_sessions set status = ?, ended_at = ? where id = ? and status = 'open' returning ${columnList(em, GameSession)}`,
    [status, at, sessionId],
  );
  return rows.length === 0 ? null : fromRow<IGameSession>(em, GameSession, rows[0]);
}

/** The ids of the open sessions of some owners (processes), for recovery. */
export async function openSessionIdsOf(em: EntityManager, owners: string[]): Promise<string[]> {
  const rows = await em.find(GameSession, { status: 'open', owner: { $in: owners } }, { fields: ['id'], disableIdentityMap: true });
  return rows.map((r) => r.id);
}

/** A finished or running session as the lobby lists it (times in PostgreSQL's text form). */
export interface SessionSummary {
  id: string;
  game: Game;
  status: string;
  startedAt: string;
  endedAt: string | null;
  rounds: number;
  wagered: number;
  won: number;
  wins: number;
  biggestWin: number;
  biggestMultiplier: number;
}

/** A player's latest sessions with their totals, newest first (the lobby and the profile). */
export function recentSessionsOf(em: EntityManager, userId: string, limit: number): Promise<SessionSummary[]> {
  return runRead(em, recentSessionsRead(userId, limit));
}

/** The read of `recentSessionsOf`, to run with others (`readTogether`). */
export function recentSessionsRead(userId: string, limit: number): ReadPart<SessionSummary[]> {
  return {
    sql: `select id, game, status, started_at::text as started_at, ended_at::text as ended_at, rounds, wagered, won, wins, biggest_win,
            biggest_multiplier
       from game_sessions where user_id = ? order by game_sessions.started_at desc limit ?`,
    params: [userId, limit],
    map: (rows) =>
      rows.map((r) => ({
        id: String(r.id),
        game: r.game as Game,
        status: String(r.status),
        startedAt: String(r.started_at),
        endedAt: r.ended_at === null ? null : String(r.ended_at),
        rounds: Number(r.rounds),
        // bigint columns come back as text from the driver
        wagered: Number(r.wagered),
        won: Number(r.won),
        wins: Number(r.wins),
        biggestWin: Number(r.biggest_win),
        biggestMultiplier: Number(r.biggest_multiplier),
      })),
  };
}
