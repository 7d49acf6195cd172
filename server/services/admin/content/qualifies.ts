// "Who qualifies now": the players whose play already meets an event's or a mission's condition, through the segment engine.
import type { SegmentRule } from '../../../../domain/admin/segments.ts';
import type { Condition } from '../../../../domain/liveops/conditions.ts';
import type { ContentKind } from '../../../db/entities/content.entity.ts';
import type { ContentRow } from '../../../db/repositories/admin-content.repository.ts';

const MS_PER_DAY = 86_400_000;

/** The play that counts: game sessions started in [from, to). */
export interface QualifyWindow {
  from: Date;
  to: Date;
}

/** How many players qualify now, a sample of them, and the window their play was counted in. */
export interface QualifyResult {
  count: number;
  sample: QualifySample[];
  window: QualifyWindow;
}

/** A player of the sample (the segment engine's sample rows carry more; these are shown). */
export interface QualifySample {
  id: string;
  username: string;
  level: number;
}

/** Midnight UTC of `at`'s day. */
function dayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Monday 00:00 UTC of `at`'s ISO week. */
function weekStart(at: Date): Date {
  const day = dayStart(at);
  const isoWeekday = day.getUTCDay() || 7;
  return new Date(day.getTime() - (isoWeekday - 1) * MS_PER_DAY);
}

/**
 * The window of the current period: a daily event or mission counts today (UTC), a weekly mission this ISO week, the
 * others their whole run. It never starts before the schedule's start (or, unscheduled, the row's creation: no play
 * before it could count) and never ends after now or the schedule's end.
 */
export function qualifyWindow(kind: ContentKind, row: ContentRow, now: Date): QualifyWindow {
  const repeats = row.type === 'daily' ? dayStart(now) : kind === 'mission' && row.type === 'weekly' ? weekStart(now) : null;
  const since = row.startsAt ?? row.createdAt;
  const from = repeats && repeats > since ? repeats : since;
  const to = row.endsAt && row.endsAt < now ? row.endsAt : now;
  return { from, to };
}

/** The segment rule "played enough in the window": the condition's metric (and game) reaching its target. */
export function qualifyRule(condition: Condition, window: QualifyWindow): SegmentRule {
  return {
    fact: condition.metric,
    ...(condition.game ? { game: condition.game } : {}),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    min: condition.target,
  };
}
