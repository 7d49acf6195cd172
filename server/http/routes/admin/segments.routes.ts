import type { SegmentsService } from '../../../services/admin/segments/segments.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter } from '../../api.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import {
  IfMatchHeader,
  ifMatchVersion,
  SegmentBody,
  segmentBody,
  SegmentListQuery,
  SegmentParams,
  SegmentPreviewBody,
  segmentPreviewBody,
  SegmentPreviewResponse,
  SegmentResponse,
  SegmentsPage,
} from '../../dto/admin/segments.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** What every segment write may also answer. */
const WRITE_ERRORS = {
  400: 'request/invalid (names the field of the rule at fault, or the Idempotency-Key header)',
  409: 'segment/name_taken, segment/stale_version (If-Match is not current), idempotency/key_reuse, idempotency/in_progress',
  503: 'admin/writes_disabled',
};

/** Saved segments: `/admin/segments` (reads and previews `liveops:read`, writes `segments:write`). */
export function adminSegmentsRoutes(api: ApiRouter, deps: { segments: SegmentsService; adminWrite: AdminWrite }) {
  const svc = deps.segments;
  const writeHeaders = IdempotencyHeader.extend(IfMatchHeader.shape);

  api.route(
    {
      method: 'get',
      path: '/admin/segments',
      permission: 'liveops:read',
      query: SegmentListQuery,
      summary: 'Saved segments, most recently updated first (keyset paging)',
      responses: { 200: { description: 'a page of segments', schema: SegmentsPage }, 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await svc.list(query.cursor, query.limit), segmentBody) }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/segments/preview',
      permission: 'liveops:read',
      body: SegmentPreviewBody,
      summary: 'How many players a rule selects now and a sample of 20 (a read: nothing is written)',
      responses: {
        200: { description: 'the count, the sample and the time taken', schema: SegmentPreviewResponse },
        400: 'request/invalid (names the field of the rule at fault)',
      },
    },
    async ({ body }) => ({ status: 200, body: segmentPreviewBody(await svc.preview(body.rule)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/segments/:id',
      permission: 'liveops:read',
      params: SegmentParams,
      summary: 'One segment with its rule and version',
      responses: { 200: { description: 'the segment', schema: SegmentResponse }, 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: segmentBody(await svc.get(params.id)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/segments/:id/preview',
      permission: 'liveops:read',
      params: SegmentParams,
      summary: "How many players a saved segment's rule selects now and a sample of 20",
      responses: {
        200: { description: 'the count, the sample and the time taken', schema: SegmentPreviewResponse },
        400: 'request/invalid',
        404: 'resource/not_found',
      },
    },
    async ({ params }) => ({ status: 200, body: segmentPreviewBody(await svc.preview(await svc.resolveRule({ segment_id: params.id }))) }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/segments',
      permission: 'segments:write',
      body: SegmentBody,
      headers: IdempotencyHeader,
      summary: 'Save a segment (idempotent: Idempotency-Key required)',
      responses: { 201: { description: 'the segment', schema: SegmentResponse }, ...WRITE_ERRORS },
    },
    (ctx) =>
      deps.adminWrite(ctx, { action: 'segment.create' }, async (em) => {
        const created = segmentBody(await svc.create(em, actor(ctx.principal), ctx.body));
        return { status: 201, body: created, before: null, after: created, target: { type: 'segment', id: created.id } };
      }),
  );

  api.route(
    {
      method: 'put',
      path: '/admin/segments/:id',
      permission: 'segments:write',
      params: SegmentParams,
      body: SegmentBody,
      headers: writeHeaders,
      summary: 'Replace a segment’s name, description and rule (If-Match: the version it is based on)',
      responses: { 200: { description: 'the segment', schema: SegmentResponse }, 404: 'resource/not_found', ...WRITE_ERRORS },
    },
    (ctx) => {
      const ifMatch = ifMatchVersion(ctx.req);
      return deps.adminWrite(ctx, { action: 'segment.update', target: { type: 'segment', id: ctx.params.id } }, async (em) => {
        const change = await svc.update(em, ctx.params.id, ctx.body, ifMatch);
        const after = segmentBody(change.after);
        return { status: 200, body: after, before: segmentBody(change.before), after };
      });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/admin/segments/:id',
      permission: 'segments:write',
      params: SegmentParams,
      headers: IdempotencyHeader,
      summary: 'Delete a segment (answers it as it was)',
      responses: { 200: { description: 'the deleted segment', schema: SegmentResponse }, 404: 'resource/not_found', ...WRITE_ERRORS },
    },
    (ctx) =>
      deps.adminWrite(ctx, { action: 'segment.delete', target: { type: 'segment', id: ctx.params.id } }, async (em) => {
        const before = segmentBody(await svc.delete(em, ctx.params.id));
        return { status: 200, body: before, before, after: null };
      }),
  );
}

function actor(p: { userId: string; username: string; role: string }) {
  return { id: p.userId, username: p.username, role: p.role };
}
