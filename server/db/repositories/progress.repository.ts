import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventParticipation, UserMission } from '../entities/liveops.entity.ts';
import type { InferEntity } from '@mikro-orm/core';
import type { ParticipationStatus } from '../../../domain/liveops/lifecycle.ts';
import { fieldList } from '../entity-sql.ts';
import { runRead, type ReadPart } from '../sql.ts';

export type IEventParticipation = InferEntity<typeof EventParticipation>;
export type IUserMission = InferEntity<typeof UserMission>;
/** A player's progress row: an event participation or a mission of one period. */
export type ProgressEntity = IEventParticipation | IUserMission;

/** A progress row as the player sees it. */
export interface ProgressRecord {
  periodKey: string;
  progress: number;
  progressVersion: number;
  status: ParticipationStatus;
}

function toRecord(r: Record<string, unknown>): ProgressRecord {
  return {
    periodKey: r.period_key as string,
    progress: Number(r.progress),
    progressVersion: r.progress_version as number,
    status: r.status as ParticipationStatus,
  };
}

/** A progress row read for a claim. */
export interface ClaimRow {
  kind: 'event' | 'mission';
  /** the row as read, to bring it into the unit of work when the claim pays */
  raw: Record<string, unknown>;
  progress: number;
  progressVersion: number;
  status: ParticipationStatus;
}

const PARTICIPATION = [
  'id',
  'userId',
  'eventId',
  'periodKey',
  'progress',
  'progressVersion',
  'lastProgressAt',
  'status',
  'joinedAt',
  'claimedAt',
] as const;
const MISSION = ['id', 'userId', 'missionId', 'periodKey', 'progress', 'progressVersion', 'lastProgressAt', 'status', 'claimedAt'] as const;

/** The event_participations and user_missions tables: loaded as entities, changed in memory, flushed by the caller. */
export const progressRows = {
  /**
   * The player's row for an event or mission claim, locked for update. A raw read on the claim path, where most
   * claims are repeats that change nothing: the ORM's find measured ~0.8 ms slower per claim. `markClaimed` brings
   * the row into the unit of work when the claim pays. `lock: false` reads it without a lock (a repeat's fast path).
   */
  async lockForClaim(
    em: EntityManager,
    kind: 'event' | 'mission',
    userId: string,
    id: string,
    periodKey: string,
    lock = true,
  ): Promise<ClaimRow | null> {
    const [table, cols, idColumn] =
      kind === 'event'
        ? ['event_participations', fieldList(em, EventParticipation, PARTICIPATION), 'event_id']
        : ['user_missions', fieldList(em, UserMission, MISSION), 'mission_id'];
    const [raw] = await em.execute<Record<string, unknown>[]>(
      `select ${cols} from ${table} where user_id = ? and ${idColumn} = ? and period_key = ?${lock ? ' for update' : ''}`,
      [userId, id, periodKey],
    );
    if (!raw) return null;
    const status = raw.status as ParticipationStatus;
    return { kind, raw, progress: Number(raw.progress), progressVersion: raw.progress_version as number, status };
  },

  /** Marks a claim's row claimed in the unit of work (the caller flushes); returns its new progress version. */
  markClaimed(em: EntityManager, row: ClaimRow, at: Date): number {
    const entity: ProgressEntity = row.kind === 'event' ? em.map(EventParticipation, row.raw) : em.map(UserMission, row.raw);
    entity.status = 'claimed';
    entity.claimedAt = at;
    entity.progressVersion = row.progressVersion + 1;
    return entity.progressVersion;
  },

  /**
   * The player's participations in these events (every period), for display. Raw, like `missions`: the lobby and
   * the dashboard read them on every load, and the ORM's find measured ~0.5 ms slower per read.
   */
  participations(em: EntityManager, userId: string, eventIds: string[]): Promise<Array<ProgressRecord & { eventId: string }>> {
    return runRead(em, progressRows.participationsRead(em, userId, eventIds));
  },

  /** The read of `participations`, to run with others (`readTogether`). */
  participationsRead(em: EntityManager, userId: string, eventIds: string[]): ReadPart<Array<ProgressRecord & { eventId: string }>> {
    const from = `select ${fieldList(em, EventParticipation, PARTICIPATION, undefined, { timesAsText: true })} from event_participations`;
    return {
      // `in ()` is not SQL: no events, no rows
      ...(eventIds.length === 0
        ? { sql: `${from} where false`, params: [] }
        : { sql: `${from} where user_id = ? and event_id in (?)`, params: [userId, eventIds] }),
      map: (rows) => rows.map((r) => ({ ...toRecord(r), eventId: r.event_id as string })),
    };
  },

  /**
   * Joins an event for a period (a repeat keeps the first participation) and returns it. The insert is SQL:
   * `on conflict do nothing` lets two joins race without an error, where the ORM's insert would fail.
   */
  async join(em: EntityManager, userId: string, eventId: string, periodKey: string): Promise<IEventParticipation> {
    await em.execute(
      `insert into event_participations (id, user_id, event_id, period_key, progress, progress_version, status, joined_at)
       values (gen_random_uuid(), ?, ?, ?, 0, 0, 'active', now()) on conflict (user_id, event_id, period_key) do nothing`,
      [userId, eventId, periodKey],
    );
    return em.findOneOrFail(EventParticipation, { userId, eventId, periodKey }, { refresh: true });
  },

  /** Participations locked for update, in id order (so two session ends of one player lock them in the same order). */
  lockParticipations(
    em: EntityManager,
    userId: string,
    keys: Array<{ eventId: string; periodKey: string }>,
  ): Promise<IEventParticipation[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return em.find(
      EventParticipation,
      { userId, $or: keys.map((k) => ({ eventId: k.eventId, periodKey: k.periodKey })) },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
    );
  },

  /** Every mission row of the player (all periods), for display. */
  missions(em: EntityManager, userId: string): Promise<Array<ProgressRecord & { missionId: string }>> {
    return runRead(em, progressRows.missionsRead(em, userId));
  },

  /** The read of `missions`, to run with others (`readTogether`). */
  missionsRead(em: EntityManager, userId: string): ReadPart<Array<ProgressRecord & { missionId: string }>> {
    return {
      sql: `select ${fieldList(em, UserMission, MISSION, undefined, { timesAsText: true })} from user_missions where user_id = ?`,
      params: [userId],
      map: (rows) => rows.map((r) => ({ ...toRecord(r), missionId: r.mission_id as string })),
    };
  },

  /**
   * Creates the player's mission rows for these periods where missing, in one statement (set-based SQL; a concurrent
   * session end creating the same rows waits and then skips them).
   */
  async ensureMissions(em: EntityManager, userId: string, keys: Array<{ missionId: string; periodKey: string }>): Promise<void> {
    if (keys.length === 0) return;
    const sorted = [...keys].sort((a, b) => (a.missionId + a.periodKey).localeCompare(b.missionId + b.periodKey));
    await em.execute(
      `insert into user_missions (id, user_id, mission_id, period_key, progress, progress_version, status)
       select gen_random_uuid(), ?, k.mission_id, k.period_key, 0, 0, 'active'
         from json_to_recordset(?::json) as k(mission_id uuid, period_key text)
       on conflict do nothing`,
      [userId, JSON.stringify(sorted.map((k) => ({ mission_id: k.missionId, period_key: k.periodKey })))],
    );
  },

  /** Mission rows locked for update, in id order. */
  lockMissions(em: EntityManager, userId: string, keys: Array<{ missionId: string; periodKey: string }>): Promise<IUserMission[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return em.find(
      UserMission,
      { userId, $or: keys.map((k) => ({ missionId: k.missionId, periodKey: k.periodKey })) },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
    );
  },
};
