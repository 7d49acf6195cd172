import { z } from 'zod';
import { ConditionSchema } from '../../../../domain/liveops/conditions.ts';
import { RewardBundleSchema } from '../../../../domain/liveops/rewards.ts';
import type { ContentKind, IContentRevision } from '../../../db/entities/content.entity.ts';
import {
  contentStatus,
  type ContentFields,
  type ContentRow,
  type ContentStatus,
} from '../../../db/repositories/admin-content.repository.ts';
import type { QualifyResult } from '../../../services/admin/content/qualifies.ts';
import { PageQuery } from './paging.dto.ts';

const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const EVENT_TYPES = ['daily', 'limited', 'progression'] as const;
const MISSION_PERIODS = ['daily', 'weekly', 'achievement'] as const;

/** What events and missions share: the condition and the reward use the live-ops loop's own zod schemas. */
const CommonFields = {
  code: z.string().regex(/^[a-z0-9_]{1,40}$/, 'lowercase letters, digits and _ (1–40)'),
  name: z.string().min(1).max(80),
  condition: ConditionSchema,
  reward: RewardBundleSchema,
  starts_at: When.nullable().describe('start of the schedule (null: open)'),
  ends_at: When.nullable().describe('end of the schedule, after starts_at (null: open)'),
  active: z.boolean().describe('published: players see it while it runs'),
  rank: z.number().int().min(-1_000_000).max(1_000_000),
};

const EventFields = z
  .object({ ...CommonFields, description: z.string().max(255), type: z.enum(EVENT_TYPES) })
  .partial()
  .strict();
const MissionFields = z
  .object({ ...CommonFields, period: z.enum(MISSION_PERIODS) })
  .partial()
  .strict();

export const EventCreateBody = EventFields.required({ code: true, name: true, type: true, condition: true, reward: true });
export const EventPatchBody = EventFields.omit({ code: true });
export const MissionCreateBody = MissionFields.required({ code: true, name: true, period: true, condition: true, reward: true });
export const MissionPatchBody = MissionFields.omit({ code: true });
/** The schedule of an event or a mission: both bounds, each null for open. */
export const ScheduleBody = z.object({ starts_at: When.nullable(), ends_at: When.nullable() }).strict();
/** `{id}` of an event or a mission. */
export const ContentParams = z.object({ id: z.uuid() });
export const ContentListQuery = PageQuery.extend({
  status: z.enum(['draft', 'scheduled', 'live', 'active', 'ended']).optional().describe('`active` is the same as `live`'),
});
/** `If-Match`: the version the operator saw (optional; without it the edit applies to the current version). */
export const ContentIfMatchHeader = z.object({ 'if-match': z.string().optional().describe('the `version` the edit is based on') });

type EventInput = z.output<typeof EventFields>;
type MissionInput = z.output<typeof MissionFields>;

/** A create, PATCH or schedule body in the service's terms. */
export function contentInput(b: EventInput | MissionInput): ContentFields {
  return {
    code: b.code,
    name: b.name,
    description: 'description' in b ? b.description : undefined,
    type: 'type' in b ? b.type : 'period' in b ? b.period : undefined,
    condition: b.condition,
    reward: b.reward,
    startsAt: b.starts_at,
    endsAt: b.ends_at,
    active: b.active,
    rank: b.rank,
  };
}

/** The list filter as a status (`active` is `live`). */
export function statusFilter(s: z.output<typeof ContentListQuery>['status']): ContentStatus | undefined {
  return s === 'active' ? 'live' : s;
}

/** An event or a mission on the admin wire, with its status at `now`. */
export function contentBody(kind: ContentKind, row: ContentRow, now: Date) {
  /** an event's description and type, or a mission's period */
  const own: { description?: string; type?: string; period?: string } =
    kind === 'event' ? { description: row.description, type: row.type } : { period: row.type };
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    ...own,
    condition: row.condition,
    reward: row.reward,
    starts_at: row.startsAt?.toISOString() ?? null,
    ends_at: row.endsAt?.toISOString() ?? null,
    active: row.active,
    rank: row.rank,
    status: contentStatus(row, now),
    version: row.version,
    created_at: row.createdAt.toISOString(),
  };
}
export type ContentBody = ReturnType<typeof contentBody>;

/** A revision on the wire: the definition as it was at `version`, and who replaced it when. */
export function revisionBody(r: IContentRevision) {
  return {
    version: r.version,
    definition: r.definition,
    edited_by: r.editedBy ?? null,
    edited_by_name: r.editedByName ?? null,
    at: r.at.toISOString(),
  };
}
export type RevisionBody = ReturnType<typeof revisionBody>;

/** "Who qualifies now" on the wire. */
export function qualifiesBody(q: QualifyResult) {
  return {
    count: q.count,
    sample: q.sample.map((p) => ({ user_id: p.id, username: p.username, level: p.level })),
    window: { from: q.window.from.toISOString(), to: q.window.to.toISOString() },
  };
}
export type QualifiesBody = ReturnType<typeof qualifiesBody>;
