import type { Request } from 'express';
import { z } from 'zod';
import { SegmentRuleSchema, TagSchema } from '../../../../domain/admin/segments.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import type { SegmentPreview, SegmentRecord } from '../../../services/admin/segments/segments.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

export const SegmentParams = z.object({ id: z.uuid() });
export const PlayerTagParams = z.object({ id: z.uuid(), tag: TagSchema });
export const SegmentListQuery = PageQuery;

/** A segment's editable fields: a create, or a full replacement (PUT). */
export const SegmentBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).default(''),
  rule: SegmentRuleSchema,
});

export const SegmentPreviewBody = z.strictObject({ rule: SegmentRuleSchema });

export const IfMatchHeader = z.object({ 'if-match': z.string().optional().describe('the segment `version` the edit is based on') });

export const SegmentResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  rule: z.unknown().describe('the rule (see SegmentRule)'),
  version: z.int(),
  created_by: z.uuid(),
  created_by_name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const SegmentsPage = pageResponse(SegmentResponse);

export const SegmentPreviewResponse = z.object({
  count: z.int(),
  sample: z.array(
    z.object({
      id: z.uuid(),
      username: z.string(),
      level: z.int(),
      status: z.string(),
      gold: z.int(),
      gem: z.int(),
      last_seen_at: z.string(),
    }),
  ),
  took_ms: z.int(),
});

export const PlayerTagsResponse = z.object({
  player_id: z.uuid(),
  tags: z.array(z.object({ tag: z.string(), created_at: z.string() })),
  /** whether the write changed anything (absent on a read) */
  changed: z.boolean().optional(),
});

export const TagsInUseResponse = z.object({ items: z.array(z.object({ tag: z.string(), players: z.int() })) });

/** A segment on the wire. */
export function segmentBody(s: SegmentRecord) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    rule: s.rule,
    version: s.version,
    created_by: s.createdBy,
    created_by_name: s.createdByName,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

/** A preview on the wire. */
export function segmentPreviewBody(p: SegmentPreview) {
  return {
    count: p.count,
    sample: p.sample.map((r) => ({
      id: r.id,
      username: r.username,
      level: r.level,
      status: r.status,
      gold: r.gold,
      gem: r.gem,
      last_seen_at: r.lastSeenAt.toISOString(),
    })),
    took_ms: p.tookMs,
  };
}

/** A player's tags on the wire. */
export function playerTagsBody(playerId: string, tags: Array<{ tag: string; createdAt: Date }>, changed?: boolean) {
  return {
    player_id: playerId,
    tags: tags.map((t) => ({ tag: t.tag, created_at: t.createdAt.toISOString() })),
    ...(changed === undefined ? {} : { changed }),
  };
}

/** The segment version in `If-Match` (`3`, `"3"` or `W/"3"`), or null when absent. */
export function ifMatchVersion(req: Request): number | null {
  const raw = req.get('if-match');
  if (raw === undefined) return null;
  const m = raw.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!m) {
    throw new DomainError('request/invalid', 'Invalid request headers: headers.if-match must be a segment version.', {
      issues: [{ path: 'headers.if-match', message: 'must be a segment version', code: 'custom' }],
    });
  }
  return Number(m[1]);
}

export type SegmentWire = ReturnType<typeof segmentBody>;
export type SegmentPreviewWire = ReturnType<typeof segmentPreviewBody>;
export type PlayerTagsWire = ReturnType<typeof playerTagsBody>;
