import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A saved segment: a named rule over player facts (domain/admin/segments.ts), edited under an optimistic version. */
export const Segment = defineEntity({
  name: 'Segment',
  tableName: 'segments',
  indexes: [{ name: 'segments_updated_idx', properties: ['updatedAt', 'id'] }],
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(80).unique(),
    description: p.string().length(500).default(''),
    /** the rule as JSON, validated by SegmentRuleSchema on every write */
    rule: p.json<unknown>(),
    /** bumped by every update; an update names the version it read (If-Match) */
    version: p.integer().default(1),
    createdBy: p.uuid(),
    createdByName: p.string().length(20),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** A tag on a player (`vip`, `beta-tester`…), set by operators or imports and tested by segment rules. */
export const PlayerTag = defineEntity({
  name: 'PlayerTag',
  tableName: 'player_tags',
  indexes: [{ name: 'player_tags_tag_idx', properties: ['tag', 'userId'] }],
  properties: {
    userId: p.uuid().primary(),
    tag: p.string().length(32).primary(),
    createdAt: p.datetime(),
  },
});

export type ISegment = InferEntity<typeof Segment>;
