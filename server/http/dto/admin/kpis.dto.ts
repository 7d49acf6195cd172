import { z } from 'zod';
import { GAMES } from '../../../../domain/games/game.ts';
import { SERIES_METRICS } from '../../../db/repositories/admin-kpis.repository.ts';
import { SERIES_RANGES, type KpiSummary } from '../../../services/admin/kpis.service.ts';

export const SeriesQuery = z.object({
  metric: z.enum(SERIES_METRICS),
  range: z.enum(Object.keys(SERIES_RANGES) as [keyof typeof SERIES_RANGES]).default('1h'),
  game: z.enum(GAMES).optional().describe('rounds, wagered, paid, ggr and active_players of one game'),
});

export const StreamQuery = z.object({
  events: z.coerce.number().int().min(1).max(1000).optional().describe('close the stream after this many events (scripts, probes)'),
});

const ratio = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

/** The KPI summary on the wire (money as integers in minor units; ratios rounded to 6 decimals). */
export function kpiSummaryBody(s: KpiSummary) {
  return {
    at: s.at.toISOString(),
    online_players: s.onlinePlayers,
    rooms: s.rooms,
    rounds_last_minute: s.roundsLastMinute,
    rounds_per_second: ratio(s.roundsPerSecond),
    games: s.games.map((g) => ({
      game: g.game,
      rooms: g.rooms,
      players: g.players,
      rounds: g.rounds,
      wagered: g.wagered,
      paid: g.paid,
      ggr: g.ggr,
      realized_rtp: ratio(g.realizedRtp),
      theoretical_rtp: ratio(g.theoretical?.rtp ?? null),
      sigma: ratio(g.theoretical?.sigma ?? null),
      basis: g.theoretical?.basis ?? null,
      band: g.band ? { low: ratio(g.band.low), high: ratio(g.band.high) } : null,
      rtp_status: g.rtpStatus,
    })),
    premium_revenue: { today: s.premiumToday, total: s.premiumTotal, currency: 'USD' },
    signups_today: s.signupsToday,
    active_players_today: s.activeToday,
    pending_purchases: s.pendingPurchases,
    outbox: {
      pending: s.outboxPending,
      oldest_pending_ms: s.outboxOldestPendingMs,
      last_publish_lag_ms: s.outboxLastPublishLagMs,
    },
  };
}

export function kpiSeriesBody(s: {
  metric: string;
  range: string;
  game: string | null;
  bucketSeconds: number;
  points: Array<{ t: Date; value: number }>;
}) {
  return {
    metric: s.metric,
    range: s.range,
    game: s.game,
    bucket_seconds: s.bucketSeconds,
    points: s.points.map((p) => ({ t: p.t.toISOString(), value: p.value })),
  };
}
