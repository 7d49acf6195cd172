import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationsService, StepStarted } from '../../../services/admin/operations/operations.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, RouteContext } from '../../api.ts';
import {
  ApplyRequest,
  CreatedResponse,
  OperationParams,
  OperationResponse,
  operationBody,
  operationRequest,
  OperationsPage,
  OperationsQuery,
  PreviewResponse,
  previewBody,
  StepRequest,
  StepResponse,
  stepBody,
} from '../../dto/admin/operations.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

const WRITE_ERRORS = {
  400: 'request/invalid (names the field or the Idempotency-Key header)',
  404: 'resource/not_found',
  409: 'operation/invalid_status, idempotency/key_reuse, idempotency/in_progress',
  503: 'admin/writes_disabled',
};

/**
 * Bulk operations on a segment or a list: `/admin/operations` (list, draft), `/{id}` (read), `/{id}/preview` (the
 * impact now, reads only), `/{id}/shadow`, `/{id}/apply` and `/{id}/undo` (each starts a job; audited with its job id).
 */
export function adminOperationsRoutes(api: ApiRouter, d: { operations: OperationsService; adminWrite: AdminWrite }) {
  api.route(
    {
      method: 'get',
      path: '/admin/operations',
      permission: 'liveops:read',
      summary: 'Bulk operations, newest first (optionally of one status)',
      query: OperationsQuery,
      responses: { 200: { description: 'a page of operations', schema: OperationsPage }, 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await d.operations.list(query), operationBody) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/operations/:id',
      permission: 'liveops:read',
      summary: 'One operation: its status, jobs, plan and totals',
      params: OperationParams,
      responses: { 200: { description: 'the operation', schema: OperationResponse }, 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: operationBody(await d.operations.get(params.id)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/operations',
      permission: 'operations:write',
      summary: 'Create a draft operation on a saved segment or a list of players (parameters checked per kind)',
      body: operationRequest(d.operations.maxAmount),
      headers: IdempotencyHeader,
      responses: { 201: { description: 'the draft', schema: CreatedResponse }, ...WRITE_ERRORS },
    },
    (ctx) =>
      d.adminWrite(ctx as RouteContext<unknown, unknown, unknown>, { action: 'operation.create' }, async (em) => {
        const { operation, duplicates } = await d.operations.createDraft(em, actor(ctx.principal), ctx.body);
        const body = { ...operationBody(operation), duplicates };
        return { status: 201, body, before: null, after: body, target: { type: 'operation', id: operation.id } };
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/operations/:id/preview',
      permission: 'liveops:read',
      summary: 'The impact if it ran now: players matched, total per currency, 20 players with before and after (writes nothing)',
      params: OperationParams,
      body: StepRequest,
      responses: { 200: { description: 'the impact', schema: PreviewResponse }, 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: previewBody(await d.operations.preview(params.id)) }),
  );

  const step = (
    name: 'shadow' | 'apply' | 'undo',
    spec: { permission: 'operations:write' | 'operations:apply'; summary: string; errors: Record<number, string> },
    run: (em: EntityManager, ctx: RouteContext<{ confirm_count?: number }, unknown, { id: string }>) => Promise<StepStarted>,
  ) =>
    api.route(
      {
        method: 'post',
        path: `/admin/operations/:id/${name}`,
        permission: spec.permission,
        summary: spec.summary,
        params: OperationParams,
        body: name === 'apply' ? ApplyRequest : StepRequest,
        headers: IdempotencyHeader,
        responses: { 202: { description: 'the job started', schema: StepResponse }, ...WRITE_ERRORS, ...spec.errors },
      },
      (ctx) =>
        d.adminWrite(
          ctx as RouteContext<unknown, unknown, unknown>,
          { action: `operation.${name}`, target: { type: 'operation', id: ctx.params.id } },
          async (em) => {
            const started = await run(em, ctx as RouteContext<{ confirm_count?: number }, unknown, { id: string }>);
            const body = stepBody(started);
            return {
              status: 202,
              body,
              before: { status: started.from },
              after: { status: started.operation.status, job_id: started.jobId },
            };
          },
        ),
    );

  step(
    'shadow',
    {
      permission: 'operations:write',
      summary: "Start the shadow run: a job computes every player's effect and writes nothing else",
      errors: {},
    },
    (em, ctx) => d.operations.shadow(em, actor(ctx.principal), ctx.params.id),
  );
  step(
    'apply',
    {
      permission: 'operations:apply',
      summary: 'Apply exactly the shadowed items (a job), after the operator typed the shadow’s count',
      errors: {
        409: 'operation/stale_plan (the segment changed since the shadow: shadow again), operation/invalid_status, idempotency/key_reuse',
        422: 'operation/confirmation_mismatch (confirm_count is not the shadow’s count)',
      },
    },
    (em, ctx) => d.operations.apply(em, actor(ctx.principal), ctx.params.id, ctx.body.confirm_count!),
  );
  step(
    'undo',
    {
      permission: 'operations:apply',
      summary: 'Undo an applied operation: a job of compensating entries, reported per item (never below zero)',
      errors: { 409: 'operation/not_undoable (a notification), operation/invalid_status, idempotency/key_reuse' },
    },
    (em, ctx) => d.operations.undo(em, actor(ctx.principal), ctx.params.id),
  );
}

function actor(p: { userId: string; username: string }) {
  return { id: p.userId, username: p.username };
}
