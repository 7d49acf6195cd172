// Economy: one currency's sources and sinks per UTC day (stacked by category), the net issuance and what all wallets
// held, a table by ledger reason, and the anomaly lists (improbable results, reward income above what the rules allow).
// The range and currency live in the URL; the default is the last 7 days.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ECONOMY_CATEGORIES, type EconomyCategory } from '../../../domain/economy/telemetry.ts';
import { apiGet } from '../api/client.ts';
import type { AnomalyReport, EconomyReport } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { Chart, StackedBars, type BarSeries } from '../components/Chart.tsx';
import { Empty, Failed, Loading } from '../components/StateViews.tsx';
import { amount, signed } from './format.ts';
import { PlayerDrawer } from './players-drawer.tsx';

const CURRENCIES = ['GOLD', 'GEM'] as const;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const EconomySearch = z.object({
  currency: z.enum(CURRENCIES).optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
});
type Search = z.infer<typeof EconomySearch>;

const COLORS: Record<EconomyCategory, string> = {
  signup_bonus: '#3ef0ff',
  rewards: '#53f29a',
  wins: '#ffc83d',
  bets: '#ff3df2',
  refunds: '#9b8cff',
  rake: '#ff8a3d',
  purchases: '#3d9bff',
  adjustments: '#f2f2f2',
  conversions: '#c1ff3d',
  transfers: '#ff5f7e',
  other: '#8c8c8c',
};
const LABELS: Record<EconomyCategory, string> = {
  signup_bonus: 'sign-up bonus',
  rewards: 'rewards',
  wins: 'wins',
  bets: 'bets',
  refunds: 'refunds',
  rake: 'rake',
  purchases: 'purchases',
  adjustments: 'adjustments',
  conversions: 'conversions',
  transfers: 'transfers',
  other: 'other',
};

const query = (s: Search) => new URLSearchParams(Object.entries(s).filter((e): e is [string, string] => e[1] !== undefined)).toString();
const unix = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Sources (up) and sinks (down) per day, one part per category that moved. */
function FlowChart({ r }: { r: EconomyReport }) {
  const { x, series } = useMemo(() => {
    const parts: BarSeries[] = [];
    for (const c of ECONOMY_CATEGORIES) {
      const up = r.days.map((d) => d.sources[c]);
      const down = r.days.map((d) => -d.sinks[c]);
      if (up.some((v) => v !== 0)) parts.push({ label: `${LABELS[c]} in`, color: COLORS[c], values: up });
      if (down.some((v) => v !== 0)) parts.push({ label: `${LABELS[c]} out`, color: COLORS[c], values: down });
    }
    return { x: r.days.map((d) => unix(d.day)), series: parts };
  }, [r]);
  return <StackedBars title={`${r.currency}: sources (up) and sinks (down) per day`} x={x} series={series} testid="economy-flows" />;
}

const HELD_SERIES = [
  { label: 'net issuance', color: '#ffc83d' },
  { label: 'total held', color: '#3ef0ff' },
];

function HeldChart({ r }: { r: EconomyReport }) {
  const data = useMemo(
    () => [r.days.map((d) => unix(d.day)), r.days.map((d) => d.net), r.days.map((d) => d.held_at_end)] as [number[], number[], number[]],
    [r],
  );
  return <Chart title="Net issuance per day and total held at its end" series={HELD_SERIES} data={data} />;
}

function ReasonsTable({ r }: { r: EconomyReport }) {
  if (r.reasons.length === 0) return <Empty text={`No ${r.currency} moved in this range.`} />;
  return (
    <div className="grid">
      <table aria-label="By reason" data-testid="economy-reasons">
        <thead>
          <tr>
            <th>Reason</th>
            <th>Category</th>
            <th>Sources</th>
            <th>Sinks</th>
            <th>Net</th>
            <th>Entries</th>
          </tr>
        </thead>
        <tbody>
          {r.reasons.map((x) => (
            <tr key={x.reason} data-reason={x.reason}>
              <td>{x.reason}</td>
              <td>{LABELS[x.category]}</td>
              <td>{amount(x.sources)}</td>
              <td>{amount(x.sinks)}</td>
              <td>{signed(x.net)}</td>
              <td>{amount(x.entries)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-reason="total">
            <th colSpan={2}>Total</th>
            <th>{amount(r.totals.sources)}</th>
            <th>{amount(r.totals.sinks)}</th>
            <th>{signed(r.totals.net)}</th>
            <th />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Figures({ r }: { r: EconomyReport }) {
  return (
    <div className="cards" data-testid="economy-cards">
      <div className="card" data-testid="economy-sources">
        <span>Sources</span>
        <strong>{amount(r.totals.sources)}</strong>
      </div>
      <div className="card" data-testid="economy-sinks">
        <span>Sinks</span>
        <strong>{amount(r.totals.sinks)}</strong>
      </div>
      <div className="card" data-testid="economy-net">
        <span>Net issuance</span>
        <strong>{signed(r.totals.net)}</strong>
      </div>
      <div className="card" data-testid="economy-held">
        <span>Held now ({r.currency})</span>
        <strong>{amount(r.held_now)}</strong>
      </div>
    </div>
  );
}

type Open = { id: string; username: string };

function PlayerLink({ id, username, open }: { id: string; username: string; open: (p: Open) => void }) {
  return (
    <button type="button" className="link" onClick={() => open({ id, username })}>
      {username}
    </button>
  );
}

/** The anomaly lists with their evidence; a player's name opens the player's drawer. */
function Anomalies({ search }: { search: Search }) {
  const [open, setOpen] = useState<Open>();
  const range = query({ from: search.from, to: search.to });
  const res = useQuery({
    queryKey: ['admin', 'economy', 'anomalies', range],
    queryFn: ({ signal }) => apiGet<AnomalyReport>(`/api/admin/economy/anomalies${range ? `?${range}` : ''}`, signal),
  });
  if (res.isPending) return <Loading />;
  if (res.isError) return <Failed error={res.error} retry={() => void res.refetch()} />;
  const a = res.data;
  return (
    <div data-testid="economy-anomalies">
      <h3>
        Improbable results (|z| &gt; {a.z_threshold} over ≥ {a.min_rounds} rounds)
      </h3>
      {a.results.length === 0 ? (
        <Empty text="No player's result is improbable for the published RTP." />
      ) : (
        <div className="grid">
          <table aria-label="Improbable results" data-testid="anomaly-results">
            <thead>
              <tr>
                <th>Player</th>
                <th>Game</th>
                <th>Rounds</th>
                <th>Wagered</th>
                <th>Net</th>
                <th>Expected net</th>
                <th>σ of net</th>
                <th>z</th>
              </tr>
            </thead>
            <tbody>
              {a.results.map((x) => (
                <tr key={`${x.user_id}:${x.game}:${x.algorithm}:${x.currency}`} data-user={x.user_id}>
                  <td>
                    <PlayerLink id={x.user_id} username={x.username} open={setOpen} />
                  </td>
                  <td title={`RTP ${x.published_rtp}, σ ${x.sigma} per unit bet`}>
                    {x.game} {x.algorithm} · {x.currency}
                  </td>
                  <td>{amount(x.rounds)}</td>
                  <td>{amount(x.wagered)}</td>
                  <td>{signed(x.net)}</td>
                  <td>{signed(x.expected_net)}</td>
                  <td>{amount(x.sd)}</td>
                  <td>{x.z.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Reward income above what missions, events and the streak allow</h3>
      {a.rewards.length === 0 ? (
        <Empty text="No wallet gained from rewards faster than the rules allow." />
      ) : (
        <div className="grid">
          <table aria-label="Reward income" data-testid="anomaly-rewards">
            <thead>
              <tr>
                <th>Player</th>
                <th>Currency</th>
                <th>Reward income</th>
                <th>Most allowed</th>
                <th>Grants</th>
                <th>By source</th>
              </tr>
            </thead>
            <tbody>
              {a.rewards.map((x) => (
                <tr key={`${x.user_id}:${x.currency}`} data-user={x.user_id}>
                  <td>
                    <PlayerLink id={x.user_id} username={x.username} open={setOpen} />
                  </td>
                  <td>{x.currency}</td>
                  <td>{amount(x.income)}</td>
                  <td>{amount(x.max_allowed)}</td>
                  <td>{amount(x.grants)}</td>
                  <td>
                    {Object.entries(x.by_source)
                      .map(([k, v]) => `${k} ${amount(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <PlayerDrawer id={open.id} username={open.username} onClose={() => setOpen(undefined)} />}
    </div>
  );
}

function EconomyPage() {
  const search = economyRoute.useSearch();
  const navigate = useNavigate({ from: economyRoute.fullPath });
  const currency = search.currency ?? 'GOLD';
  const q = query({ currency, from: search.from, to: search.to });
  const report = useQuery({
    queryKey: ['admin', 'economy', q],
    queryFn: ({ signal }) => apiGet<EconomyReport>(`/api/admin/economy?${q}`, signal),
  });
  const go = (next: Partial<Search>) => void navigate({ search: (prev) => ({ ...prev, ...next }) });
  return (
    <section className="page economy">
      <div className="page-head">
        <h1>Economy</h1>
        <div className="tabs" role="tablist" aria-label="Currency">
          {CURRENCIES.map((c) => (
            <button
              key={c}
              type="button"
              role="tab"
              aria-selected={currency === c}
              className={currency === c ? 'primary' : 'ghost'}
              data-testid={`currency-${c}`}
              onClick={() => go({ currency: c })}
            >
              {c}
            </button>
          ))}
        </div>
        <label>
          From{' '}
          <input type="date" value={search.from ?? report.data?.from ?? ''} onChange={(e) => go({ from: e.target.value || undefined })} />
        </label>
        <label>
          To <input type="date" value={search.to ?? report.data?.to ?? ''} onChange={(e) => go({ to: e.target.value || undefined })} />
        </label>
        {(search.from || search.to) && (
          <button type="button" className="ghost" onClick={() => go({ from: undefined, to: undefined })}>
            Last 7 days
          </button>
        )}
      </div>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <Failed error={report.error} retry={() => void report.refetch()} />
      ) : (
        <>
          <Figures r={report.data} />
          <div className="charts">
            <FlowChart r={report.data} />
            <HeldChart r={report.data} />
          </div>
          <h2>By reason</h2>
          <ReasonsTable r={report.data} />
        </>
      )}
      <h2>Anomalies</h2>
      <Anomalies search={search} />
    </section>
  );
}

/** `/admin/economy`. */
export const economyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/economy',
  validateSearch: EconomySearch,
  staticData: { page: { label: 'Economy', permission: 'kpi:read', order: 52 } },
  component: EconomyPage,
});
