import type { NotificationTarget } from '../../../../domain/notifications/notification.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';

/** A `select … as user_id` query and its parameters (`?` placeholders), as `em.execute` takes it. */
export interface MembersQuery {
  sql: string;
  params: unknown[];
}

/** A saved segment's members as a query (the segment engine's `membersSql`); null when no segment has this id. */
export type SegmentMembers = (segmentId: string, now: Date) => Promise<MembersQuery | null>;

/** The players a notification targets, as one query returning `user_id` (players only; unknown ids in a list match nobody). */
export async function recipientsOf(target: NotificationTarget, now: Date, segmentMembers?: SegmentMembers): Promise<MembersQuery> {
  switch (target.type) {
    case 'all':
      return { sql: `select u.id as user_id from users u where u.role = 'player'`, params: [] };
    case 'list':
      return {
        sql: `select u.id as user_id from users u where u.role = 'player' and u.id in (select value::uuid from json_array_elements_text(?::json))`,
        params: [JSON.stringify(target.user_ids)],
      };
    case 'segment': {
      const members = segmentMembers ? await segmentMembers(target.segment_id, now) : null;
      if (!members) throw new DomainError('resource/not_found', 'The notification targets a segment that no longer exists.');
      return members;
    }
  }
}
