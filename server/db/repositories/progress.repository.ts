import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventParticipation, UserMission } from '../entities/liveops.entity.ts';
import type { InferEntity } from '@mikro-orm/core';

export type IEventParticipation = InferEntity<typeof EventParticipation>;
export type IUserMission = InferEntity<typeof UserMission>;
/** A player's progress row: an event participation or a mission of one period. */
export type ProgressEntity = IEventParticipation | IUserMission;

/** The event_participations and user_missions tables: loaded as entities, changed in memory, flushed by the caller. */
export const progressRows = {
  /** The player's participations in these events (every period). */
  participations(em: EntityManager, userId: string, eventIds: string[]): Promise<IEventParticipation[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return em.find(EventParticipation, { userId, eventId: { $in: eventIds } });
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

  /** Every mission row of the player (all periods). */
  missions(em: EntityManager, userId: string): Promise<IUserMission[]> {
    return em.find(UserMission, { userId });
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
