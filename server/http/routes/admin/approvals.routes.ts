import type { WalletAdjustmentsService } from '../../../services/admin/wallet-adjustments.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, RouteContext } from '../../api.ts';
import {
  AdjustmentIdParams,
  AdjustmentResponse,
  adjustmentBody,
  approvalBody,
  ApprovalsQuery,
  ApprovalsResponse,
  EmptyRequest,
} from '../../dto/admin/wallet-adjustments.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** GET /admin/approvals; POST /admin/approvals/{id}/approve and /reject: the four-eyes step of large wallet adjustments. */
export function adminApprovalsRoutes(api: ApiRouter, d: { adjustments: WalletAdjustmentsService; adminWrite: AdminWrite }) {
  api.route(
    {
      method: 'get',
      path: '/admin/approvals',
      permission: 'wallet:approve',
      summary: 'Wallet adjustments (pending ones wait for a second operator), newest first',
      query: ApprovalsQuery,
      responses: { 200: { description: 'a page of adjustments', schema: ApprovalsResponse }, 400: 'request/invalid' },
    },
    async ({ query }) => {
      return { status: 200, body: pageBody(await d.adjustments.list(query), approvalBody) };
    },
  );

  for (const verb of ['approve', 'reject'] as const) {
    api.route(
      {
        method: 'post',
        path: `/admin/approvals/:id/${verb}`,
        permission: 'wallet:approve',
        summary:
          verb === 'approve'
            ? 'Approve a pending wallet adjustment (not your own): it applies once, the balance checked again'
            : 'Reject a pending wallet adjustment: nothing is applied',
        params: AdjustmentIdParams,
        body: EmptyRequest,
        headers: IdempotencyHeader,
        responses: {
          200: { description: verb === 'approve' ? 'applied' : 'rejected', schema: AdjustmentResponse },
          400: 'request/invalid (names the field or the Idempotency-Key header)',
          403: 'admin/self_approval (the requester cannot approve their own), auth/forbidden',
          404: 'resource/not_found',
          409: 'admin/not_pending, wallet/would_go_negative, idempotency/key_reuse, idempotency/in_progress',
          503: 'admin/writes_disabled',
        },
      },
      (ctx) =>
        d.adminWrite(
          ctx as RouteContext<unknown, unknown, unknown>,
          { action: `wallet.adjustment.${verb}`, target: { type: 'wallet_adjustment', id: ctx.params.id } },
          async (em) => {
            const by = { userId: ctx.principal.userId, username: ctx.principal.username };
            const c = await d.adjustments[verb](em, by, ctx.params.id);
            return { status: 200, body: adjustmentBody(c.result), before: c.before, after: c.after };
          },
        ),
    );
  }
}
