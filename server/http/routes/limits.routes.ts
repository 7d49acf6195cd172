import type { LimitsService } from '../../services/limits/limits.service.ts';
import type { ApiRouter } from '../api.ts';
import { OptionalIdempotencyHeader, parseIdempotencyKey } from '../dto/idempotency.dto.ts';
import { BlockRequest, limitsBody, LimitsResponse, RealityCheckRequest, SetLimitsRequest } from '../dto/limits.dto.ts';

/** Responsible play (docs/limits.md): the player's own limits, cool-off / self-exclusion and reality-check interval. */
export function limitsRoutes(api: ApiRouter, d: { limits: LimitsService }) {
  const tags = ['limits'];
  const replayed = (r: { replayed: boolean }) => (r.replayed ? { 'Idempotent-Replayed': 'true' } : undefined);
  api.route(
    {
      method: 'get',
      path: '/limits',
      tags,
      auth: true,
      summary: 'Own limits (in force and pending raises), usage and remaining per UTC period, cool-off / exclusion, reality check',
      responses: { 200: { description: 'limits', schema: LimitsResponse } },
    },
    async ({ principal }) => ({ status: 200, body: limitsBody(await d.limits.view(principal.userId)) }),
  );
  api.route(
    {
      method: 'put',
      path: '/limits',
      tags,
      auth: true,
      body: SetLimitsRequest,
      headers: OptionalIdempotencyHeader,
      summary:
        'Set loss / wager / spend limits: a lower (or first) limit applies at once, a raise or removal (amount null) after 24 h; asking again for the same change changes nothing',
      responses: {
        200: { description: 'the limits after the change', schema: LimitsResponse },
        400: 'request/invalid',
        409: 'idempotency/key_reuse',
      },
    },
    async ({ principal, body, req }) => {
      const out = await d.limits.setLimits(principal.userId, body.limits, parseIdempotencyKey(req));
      return { status: 200, body: limitsBody(out.result), headers: replayed(out) };
    },
  );
  api.route(
    {
      method: 'post',
      path: '/limits/block',
      tags,
      auth: true,
      body: BlockRequest,
      headers: OptionalIdempotencyHeader,
      summary:
        'Start a cool-off (24h, 7d, 30d) or a self-exclusion (6m, 1y), confirmed with "I understand": game rooms and purchases are refused until it ends; it cannot be ended or shortened',
      responses: {
        200: { description: 'the limits with the block', schema: LimitsResponse },
        400: 'request/invalid (e.g. a duration of the other kind, no confirmation)',
        409: 'idempotency/key_reuse',
      },
    },
    async ({ principal, body, req }) => {
      const out = await d.limits.startBlock(principal.userId, body.kind, body.duration, parseIdempotencyKey(req));
      return { status: 200, body: limitsBody(out.result), headers: replayed(out) };
    },
  );
  api.route(
    {
      method: 'put',
      path: '/limits/reality-check',
      tags,
      auth: true,
      body: RealityCheckRequest,
      summary: 'Choose the reality-check interval of game rooms (minutes; null = the default)',
      responses: { 200: { description: 'the limits', schema: LimitsResponse }, 400: 'request/invalid' },
    },
    async ({ principal, body }) => ({ status: 200, body: limitsBody(await d.limits.setRealityCheck(principal.userId, body.minutes)) }),
  );
}
