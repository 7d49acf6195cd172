import { z } from 'zod';
import type { LimitsService } from '../../../services/limits/limits.service.ts';
import type { ApiRouter } from '../../api.ts';
import { historyBody, LimitsHistoryEntry, limitsBody, LimitsResponse } from '../../dto/limits.dto.ts';

const PlayerParams = z.object({ id: z.uuid() });

/**
 * A player's responsible-play limits and their history, read-only (docs/limits.md): no operator action lowers a
 * player's protection.
 */
export function adminLimitsRoutes(api: ApiRouter, deps: { limits: LimitsService }) {
  api.route(
    {
      method: 'get',
      path: '/admin/players/:id/limits',
      permission: 'players:read',
      summary: "A player's limits (in force, pending raises, usage), cool-off / self-exclusion, and the last 100 changes, newest first",
      params: PlayerParams,
      responses: {
        200: { description: 'limits and history', schema: LimitsResponse.extend({ history: z.array(LimitsHistoryEntry) }) },
        400: 'request/invalid',
      },
    },
    async ({ params }) => {
      const { view, history } = await deps.limits.forOperator(params.id);
      return { status: 200, body: { ...limitsBody(view), history: history.map(historyBody) } };
    },
  );
}
