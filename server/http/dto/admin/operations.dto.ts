import { z } from 'zod';
import { OPERATION_KINDS, OPERATION_STATUSES } from '../../../../domain/admin/operations.ts';
import type { OperationRow } from '../../../db/repositories/operations.repository.ts';
import type { Preview, StepStarted } from '../../../services/admin/operations/operations.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

/** At most this many players in a pasted or imported list. */
export const MAX_LIST_PLAYERS = 100_000;

/** `POST /admin/operations`: a draft; `params` are checked per kind by the service; `max` bounds a per-player amount. */
export function operationRequest(max: number) {
  const player = z
    .strictObject({
      user_id: z.uuid().optional(),
      username: z.string().min(1).max(40).optional(),
      amount: z.number().int().min(1).max(max).optional().describe('this player’s own amount (currency kinds; imports)'),
    })
    .refine((p) => (p.user_id === undefined) !== (p.username === undefined), { message: 'needs exactly one of user_id and username' });
  const target = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('segment'), segment_id: z.uuid() }),
    z.strictObject({ type: z.literal('list'), players: z.array(player).min(1).max(MAX_LIST_PLAYERS) }),
  ]);
  return z.strictObject({
    kind: z.enum(OPERATION_KINDS),
    params: z
      .record(z.string(), z.unknown())
      .describe('per kind: currency + amount, item_id + quantity, title + body + deep_link, tag, status + reason'),
    target,
  });
}

export const OperationParams = z.object({ id: z.uuid() });
export const OperationsQuery = PageQuery.extend({ status: z.enum(OPERATION_STATUSES).optional() }).strict();
export const ApplyRequest = z.strictObject({
  confirm_count: z.number().int().min(0).describe('the number of players the shadow run planned, typed by the operator'),
});
export const StepRequest = z.strictObject({});

const StepTotals = z.object({
  players: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  amount: z.number().int().describe('the summed currency change of the succeeded items'),
});

export const OperationResponse = z.object({
  id: z.uuid(),
  kind: z.enum(OPERATION_KINDS),
  params: z.record(z.string(), z.unknown()),
  target: z.record(z.string(), z.unknown()),
  status: z.enum(OPERATION_STATUSES),
  shadow_job_id: z.uuid().nullable(),
  apply_job_id: z.uuid().nullable(),
  undo_job_id: z.uuid().nullable(),
  plan: z.object({ count: z.number().int(), hash: z.string() }).nullable().describe('the members the shadow planned'),
  totals: z.object({ shadow: StepTotals.optional(), apply: StepTotals.optional(), undo: StepTotals.optional() }),
  created_by: z.uuid(),
  created_by_name: z.string(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const OperationsPage = pageResponse(OperationResponse);
export const CreatedResponse = OperationResponse.extend({ duplicates: z.number().int().describe('list players given twice, dropped') });
export const StepResponse = z.object({ operation: OperationResponse, job_id: z.uuid() });
export const PreviewResponse = z.object({
  players: z.number().int(),
  totals: z.record(z.string(), z.number().int()).describe('signed amount per currency over every player'),
  sample: z.array(
    z.object({
      user_id: z.uuid(),
      username: z.string().nullable(),
      status: z.enum(['succeeded', 'skipped', 'failed']),
      error: z.string().nullable(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});

/** An operation on the wire. */
export function operationBody(o: OperationRow) {
  return {
    id: o.id,
    kind: o.kind,
    params: o.params,
    target: o.target,
    status: o.status,
    shadow_job_id: o.shadowJobId,
    apply_job_id: o.applyJobId,
    undo_job_id: o.undoJobId,
    plan: o.plan,
    totals: o.totals as z.output<typeof OperationResponse>['totals'],
    created_by: o.createdBy,
    created_by_name: o.createdByName,
    version: o.version,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  };
}

/** A started step on the wire. */
export function stepBody(s: StepStarted) {
  return { operation: operationBody(s.operation), job_id: s.jobId };
}

/** A preview on the wire. */
export function previewBody(p: Preview) {
  return {
    players: p.players,
    totals: p.totals,
    sample: p.sample.map((r) => ({
      user_id: r.userId,
      username: r.username,
      status: r.status,
      error: r.error,
      before: r.before,
      after: r.after,
    })),
  };
}

export type OperationBody = ReturnType<typeof operationBody>;
export type PreviewBody = ReturnType<typeof previewBody>;
