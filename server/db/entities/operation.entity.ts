import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { OPERATION_KINDS, OPERATION_STATUSES } from '../../../domain/admin/operations.ts';

/**
 * A bulk operation on a segment or a list of players (grant or deduct currency, grant an item, notify, tag, set status):
 * its parameters and target as JSON, where it is in draft → shadow → apply → undo, the job of each step, and the plan
 * fingerprint (member count and hash) the shadow took, against which an apply checks the segment has not changed.
 */
export const Operation = defineEntity({
  name: 'Operation',
  tableName: 'operations',
  indexes: [
    { name: 'operations_created_idx', properties: ['createdAt', 'id'] },
    { name: 'operations_status_idx', properties: ['status', 'createdAt', 'id'] },
  ],
  properties: {
    id: p.uuid().primary(),
    kind: p.enum([...OPERATION_KINDS]),
    params: p.json<Record<string, unknown>>(),
    /** `{type: 'segment', segment_id}` or `{type: 'list', players: [{user_id, amount?}]}` */
    target: p.json<Record<string, unknown>>(),
    status: p.enum([...OPERATION_STATUSES]),
    shadowJobId: p.uuid().nullable(),
    applyJobId: p.uuid().nullable(),
    undoJobId: p.uuid().nullable(),
    /** `{count, hash}` of the members when the shadow was taken */
    plan: p.json<{ count: number; hash: string }>().nullable(),
    /** per step, the players and amount per currency: `{shadow: {players, GOLD?, GEM?}, apply: …, undo: …}` */
    totals: p.json<Record<string, unknown>>().default('{}'),
    createdBy: p.uuid(),
    createdByName: p.string().length(20),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IOperation = InferEntity<typeof Operation>;
