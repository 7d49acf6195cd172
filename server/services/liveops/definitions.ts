import { LRUCache } from 'lru-cache';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Period } from '../../../domain/liveops/periods.ts';
import { definitions, type EventDefinition, type MissionDefinition } from '../../db/repositories/liveops-definition.repository.ts';

/** How long the active events' and missions' definitions are cached in memory (ms). */
const DEFINITIONS_TTL_MS = 2000;

/** The period an event's participation runs for: daily events start over each UTC day. */
export const eventPeriod = (type: EventDefinition['type']): Period => (type === 'daily' ? 'daily' : 'once');

/** An event's schedule as dates. */
export function scheduleOf(e: { startsAt: string | null; endsAt: string | null }) {
  return { startsAt: e.startsAt ? new Date(e.startsAt) : null, endsAt: e.endsAt ? new Date(e.endsAt) : null };
}

/**
 * The active definitions (the same rows for every player, read by every lobby, mission list and session end),
 * kept for a couple of seconds. An operator's change shows within that time. A miss reads them through the
 * caller's entity manager: a session-end hook runs inside its transaction and must not wait for a second pool
 * connection while holding one (200 sessions closing at once would take the whole pool and wait forever).
 */
export class ActiveDefinitions {
  private readonly cache = new LRUCache<'events' | 'missions', EventDefinition[] | MissionDefinition[]>({
    max: 2,
    ttl: DEFINITIONS_TTL_MS,
  });

  events(em: EntityManager): Promise<EventDefinition[]> {
    return this.cached('events', () => definitions.activeEvents(em));
  }

  missions(em: EntityManager): Promise<MissionDefinition[]> {
    return this.cached('missions', () => definitions.activeMissions(em));
  }

  private async cached<T extends EventDefinition[] | MissionDefinition[]>(
    which: 'events' | 'missions',
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = this.cache.get(which);
    if (hit) return hit as T;
    const rows = await load();
    this.cache.set(which, rows);
    return rows;
  }
}
