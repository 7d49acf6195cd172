import type { GlobalMetrics } from '../../services/games/public-metrics.service.ts';

/** The public numbers on the wire (`GET /metrics/global` and each `metrics` event of the stream). */
export function globalMetricsBody(m: GlobalMetrics) {
  return {
    online_players: m.onlinePlayers,
    rounds_last_hour: m.roundsLastHour,
    big_wins_last_hour: m.bigWinsLastHour,
    biggest_win_last_hour: m.biggestWinLastHour,
    at: m.at,
  };
}
