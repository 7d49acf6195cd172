import type { EntityManager } from '@mikro-orm/postgresql';
import type { Change, PlayerAccessService } from '../../../services/admin/player-access.service.ts';
import type { WalletAdjustmentsService } from '../../../services/admin/wallet-adjustments.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, RouteContext } from '../../api.ts';
import { PlayerIdParams } from '../../dto/admin/players.dto.ts';
import { AdjustmentResponse, adjustmentBody, adjustmentRequest, BanRequest, EmptyRequest } from '../../dto/admin/wallet-adjustments.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';
import { getRequestId } from '../../middleware/request-id.ts';

export interface PlayerActionsDeps {
  access: PlayerAccessService;
  adjustments: WalletAdjustmentsService;
  adminWrite: AdminWrite;
}

const WRITE_ERRORS = {
  400: 'request/invalid (names the field or the Idempotency-Key header)',
  404: 'resource/not_found',
  409: 'idempotency/key_reuse, idempotency/in_progress',
  503: 'admin/writes_disabled',
};

/** POST /admin/players/{id}/ban, /unban, /sessions/revoke, /lockout/reset and /wallet/adjustments (idempotent admin writes). */
export function adminPlayerActionsRoutes(api: ApiRouter, d: PlayerActionsDeps) {
  /** One access action: the database change as an admin write, then (committed) the player signed out where needed. */
  const action = (
    path: string,
    o: { permission: 'players:ban' | 'players:sessions'; name: string; summary: string; signsOut: boolean; body?: typeof BanRequest },
    change: (em: EntityManager, id: string, body: { reason?: string }) => Promise<Change>,
  ) =>
    api.route(
      {
        method: 'post',
        path: `/admin/players/:id/${path}`,
        permission: o.permission,
        summary: o.summary,
        params: PlayerIdParams,
        body: o.body ?? EmptyRequest,
        headers: IdempotencyHeader,
        responses: { 200: 'done: the player id and what changed', ...WRITE_ERRORS },
      },
      async (ctx) => {
        const id = ctx.params.id;
        const result = await d.adminWrite(
          ctx as RouteContext<unknown, unknown, unknown>,
          { action: o.name, target: player(id) },
          async (em) => {
            const c = await change(em, id, ctx.body as { reason?: string });
            return { status: 200, body: c.result, before: c.before, after: c.after };
          },
        );
        if (o.signsOut) await d.access.signOut(id, o.name);
        return result;
      },
    );

  action(
    'ban',
    {
      permission: 'players:ban',
      name: 'player.ban',
      summary: 'Ban a player: sessions end, every room closes their connections, login and matchmaking refuse them',
      signsOut: true,
      body: BanRequest,
    },
    (em, id, body) => d.access.ban(em, id, body.reason!),
  );
  action(
    'unban',
    { permission: 'players:ban', name: 'player.unban', summary: 'Lift a ban: the player may log in again', signsOut: false },
    (em, id) => d.access.unban(em, id),
  );
  action(
    'sessions/revoke',
    {
      permission: 'players:sessions',
      name: 'player.sessions.revoke',
      summary: "End every session of a player (tokens refused at once, rooms close the player's connections)",
      signsOut: true,
    },
    (em, id) => d.access.revokeSessions(em, id),
  );
  action(
    'lockout/reset',
    { permission: 'players:sessions', name: 'player.lockout.reset', summary: "Clear a player's failed-login lockout", signsOut: false },
    (em, id) => d.access.resetLockout(em, id),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/players/:id/wallet/adjustments',
      permission: 'wallet:adjust',
      summary: `Credit or debit a player's wallet with a reason code: one admin_adjustment ledger entry; above the approval threshold (ADMIN_ADJUSTMENT_APPROVAL_THRESHOLD) it waits for a second operator (202)`,
      params: PlayerIdParams,
      body: adjustmentRequest(d.adjustments.maxAmount),
      headers: IdempotencyHeader,
      responses: {
        201: { description: 'applied', schema: AdjustmentResponse },
        202: { description: 'waiting for approval (GET /api/admin/approvals)', schema: AdjustmentResponse },
        ...WRITE_ERRORS,
        409: 'wallet/would_go_negative (nothing written), idempotency/key_reuse, idempotency/in_progress',
      },
    },
    (ctx) =>
      d.adminWrite(
        ctx as RouteContext<unknown, unknown, unknown>,
        { action: 'wallet.adjust', target: player(ctx.params.id) },
        async (em) => {
          const by = { userId: ctx.principal.userId, username: ctx.principal.username };
          const c = await d.adjustments.request(em, by, ctx.params.id, { ...ctx.body, requestId: getRequestId(ctx.req) });
          const body = adjustmentBody(c.result);
          return { status: body.status === 'pending' ? 202 : 201, body, before: c.before, after: c.after };
        },
      ),
  );
}

function player(id: string) {
  return { type: 'player', id };
}
