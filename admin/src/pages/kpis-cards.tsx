// The KPI page's figures: summary cards, and per game the money and the realized RTP against the theoretical one
// with its confidence band for the rounds played (red when outside).
import type { GameKpis, KpiSummary } from '../api/types.ts';
import { amount, duration, percent, price } from './format.ts';

function Card({ label, value, testid, warn }: { label: string; value: string; testid: string; warn?: boolean }) {
  return (
    <div className={warn ? 'card warn' : 'card'} data-testid={`kpi-${testid}`}>
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

/** The summary cards. */
export function KpiCards({ s }: { s: KpiSummary }) {
  const sum = (f: (g: GameKpis) => number) => s.games.reduce((t, g) => t + f(g), 0);
  return (
    <div className="cards" data-testid="kpi-cards">
      <Card label="Online players" value={amount(s.online_players)} testid="online" />
      <Card label="Rooms" value={amount(s.rooms)} testid="rooms" />
      <Card label="Rounds / s (last minute)" value={(s.rounds_per_second ?? 0).toFixed(2)} testid="rps" />
      <Card label="Wagered (all games)" value={amount(sum((g) => g.wagered))} testid="wagered" />
      <Card label="Paid out" value={amount(sum((g) => g.paid))} testid="paid" />
      <Card label="GGR" value={amount(sum((g) => g.ggr))} testid="ggr" />
      <Card label="Premium revenue today" value={price(s.premium_revenue.today, s.premium_revenue.currency)} testid="premium-today" />
      <Card label="Premium revenue total" value={price(s.premium_revenue.total, s.premium_revenue.currency)} testid="premium-total" />
      <Card label="Sign-ups today" value={amount(s.signups_today)} testid="signups" />
      <Card label="Daily active players" value={amount(s.active_players_today)} testid="dau" />
      <Card label="Pending purchases" value={amount(s.pending_purchases)} testid="pending" />
      <Card
        label="Outbox lag"
        value={`${amount(s.outbox.pending)} pending · ${duration(s.outbox.oldest_pending_ms ?? s.outbox.last_publish_lag_ms)}`}
        testid="outbox"
        warn={(s.outbox.oldest_pending_ms ?? 0) > 60_000}
      />
    </div>
  );
}

/** Per game: rooms, players, rounds, money, and realized vs theoretical RTP with its band. */
export function GamesTable({ games }: { games: GameKpis[] }) {
  return (
    <div className="grid">
      <table aria-label="Games" data-testid="kpi-games">
        <thead>
          <tr>
            <th>Game</th>
            <th>Rooms</th>
            <th>Players</th>
            <th>Rounds</th>
            <th>Wagered</th>
            <th>Paid</th>
            <th>GGR</th>
            <th>Realized RTP</th>
            <th>Theoretical RTP</th>
            <th>Band (±3σ/√n)</th>
          </tr>
        </thead>
        <tbody>
          {games.map((g) => (
            <tr key={g.game} data-game={g.game} data-rtp-status={g.rtp_status}>
              <td>{g.game}</td>
              <td>{amount(g.rooms)}</td>
              <td>{amount(g.players)}</td>
              <td>{amount(g.rounds)}</td>
              <td>{amount(g.wagered)}</td>
              <td>{amount(g.paid)}</td>
              <td>{amount(g.ggr)}</td>
              <td>
                <span className={`rtp ${g.rtp_status}`} title={g.rtp_status === 'outside' ? 'outside the band' : undefined}>
                  {percent(g.realized_rtp)}
                </span>
              </td>
              <td title={g.basis ?? undefined}>{percent(g.theoretical_rtp)}</td>
              <td>{g.band ? `${percent(g.band.low)} – ${percent(g.band.high)}` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
