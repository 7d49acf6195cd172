import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LiveEvent, Mission } from '../entities/liveops.entity.ts';
import { fromJson } from '../sql.ts';
import { fieldList } from '../entity-sql.ts';

/** An event's definition; the schedule in PostgreSQL's text form, as the API has always sent it. */
export interface EventDefinition {
  id: string;
  code: string;
  name: string;
  description: string;
  type: 'daily' | 'limited' | 'progression';
  condition: unknown;
  reward: RewardBundle;
  startsAt: string | null;
  endsAt: string | null;
  rank: number;
}

export interface MissionDefinition {
  id: string;
  code: string;
  name: string;
  period: 'daily' | 'weekly' | 'achievement';
  condition: unknown;
  reward: RewardBundle;
  /** the mission's schedule, as an event's (null: open on that side) */
  startsAt: string | null;
  endsAt: string | null;
  rank: number;
}

const EVENT = ['id', 'code', 'name', 'description', 'type', 'condition', 'reward', 'startsAt', 'endsAt', 'rank'] as const;
const MISSION = ['id', 'code', 'name', 'period', 'condition', 'reward', 'startsAt', 'endsAt', 'rank'] as const;

/**
 * The events and missions tables as players read them. Raw reads (columns from the entities' metadata): they are
 * cached as plain data, and the schedule goes to the wire in the driver's text form.
 */
export const definitions = {
  async activeEvents(em: EntityManager): Promise<EventDefinition[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${fieldList(em, LiveEvent, EVENT)} from events where active order by rank, code`,
    );
    return rows.map(toEvent);
  },

  async activeEvent(em: EntityManager, id: string): Promise<EventDefinition | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select ${fieldList(em, LiveEvent, EVENT)} from events where id = ? and active`,
      [id],
    );
    return row ? toEvent(row) : null;
  },

  /** Active events the player joined and is still progressing, with the period of each participation. */
  async joinedEvents(em: EntityManager, userId: string): Promise<Array<EventDefinition & { periodKey: string }>> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${fieldList(em, LiveEvent, EVENT, 'e')}, p.period_key
         from events e join event_participations p on p.event_id = e.id where e.active and p.user_id = ? and p.status = 'active'`,
      [userId],
    );
    return rows.map((r) => ({ ...toEvent(r), periodKey: r.period_key as string }));
  },

  async activeMissions(em: EntityManager): Promise<MissionDefinition[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${fieldList(em, Mission, MISSION)} from missions where active order by rank, code`,
    );
    return rows.map(toMission);
  },

  async mission(em: EntityManager, id: string): Promise<MissionDefinition | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(`select ${fieldList(em, Mission, MISSION)} from missions where id = ?`, [id]);
    return row ? toMission(row) : null;
  },
};

function toEvent(r: Record<string, unknown>): EventDefinition {
  return {
    id: r.id as string,
    code: r.code as string,
    name: r.name as string,
    description: r.description as string,
    type: r.type as EventDefinition['type'],
    condition: fromJson(r.condition),
    reward: fromJson<RewardBundle>(r.reward),
    startsAt: r.starts_at as string | null,
    endsAt: r.ends_at as string | null,
    rank: r.rank as number,
  };
}

function toMission(r: Record<string, unknown>): MissionDefinition {
  return {
    id: r.id as string,
    code: r.code as string,
    name: r.name as string,
    period: r.period as MissionDefinition['period'],
    condition: fromJson(r.condition),
    reward: fromJson<RewardBundle>(r.reward),
    startsAt: r.starts_at as string | null,
    endsAt: r.ends_at as string | null,
    rank: r.rank as number,
  };
}
