import type { EconomyService } from '../../../services/admin/economy.service.ts';
import type { ApiRouter } from '../../api.ts';
import { AnomalyQuery, anomalyReportBody, checkRange, EconomyQuery, economyReportBody } from '../../dto/admin/economy.dto.ts';

/** Economy telemetry and its anomaly lists (`kpi:read`). */
export function adminEconomyRoutes(api: ApiRouter, economy: EconomyService) {
  api.route(
    {
      method: 'get',
      path: '/admin/economy',
      permission: 'kpi:read',
      query: EconomyQuery,
      summary:
        'Sources and sinks of one currency per UTC day by category and by ledger reason, the net issuance, and what all wallets held at the end of each day (default: the last 7 days)',
      responses: { 200: 'the days, oldest first, and the reasons', 400: 'request/invalid' },
    },
    async ({ query }) => {
      const { from, to } = checkRange(economy.range(query.from, query.to));
      return { status: 200, body: economyReportBody(await economy.report(query.currency, from, to)) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/economy/anomalies',
      permission: 'kpi:read',
      query: AnomalyQuery,
      summary:
        'Players whose net result over at least `min_rounds` rounds of a game is more than `z` standard deviations from its published RTP, and wallets paid more by missions, events and the streak than all of them allow in the range, each with its evidence (strongest first, at most 200 of each)',
      responses: { 200: 'the two lists', 400: 'request/invalid' },
    },
    async ({ query }) => {
      const { from, to } = checkRange(economy.range(query.from, query.to));
      return { status: 200, body: anomalyReportBody(await economy.anomalies({ from, to, minRounds: query.min_rounds, z: query.z })) };
    },
  );
}
