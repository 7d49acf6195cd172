// KPIs: summary cards, realized vs theoretical RTP per game, and charts over 1h / 24h / 7d (the range in the URL),
// all kept live by the KPI stream.
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { rootRoute } from '../app/root.tsx';
import { Failed, Loading } from '../components/StateViews.tsx';
import { time } from './format.ts';
import { GamesTable, KpiCards } from './kpis-cards.tsx';
import { KpiCharts, RANGES } from './kpis-charts.tsx';
import { useLiveKpis } from './kpis-stream.ts';

const KpisSearch = z.object({ range: z.enum(RANGES).optional().catch(undefined) });

function KpisPage() {
  const { range = '1h' } = kpisRoute.useSearch();
  const navigate = useNavigate({ from: kpisRoute.fullPath });
  const { summary, live } = useLiveKpis();
  return (
    <section className="page kpis">
      <div className="page-head">
        <h1>KPIs</h1>
        <span className={live ? 'badge ok' : 'badge'} data-testid="kpi-live">
          {live ? 'live' : 'connecting…'}
        </span>
        {summary.data && <small>as of {time(summary.data.at)} UTC</small>}
      </div>
      {summary.isPending ? (
        <Loading />
      ) : summary.isError ? (
        <Failed error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <>
          <KpiCards s={summary.data} />
          <h2>Games</h2>
          <GamesTable games={summary.data.games} />
        </>
      )}
      <div className="page-head">
        <h2>Over time</h2>
        <div className="tabs" role="tablist" aria-label="Range">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              role="tab"
              aria-selected={range === r}
              className={range === r ? 'primary' : 'ghost'}
              data-testid={`range-${r}`}
              onClick={() => void navigate({ search: { range: r } })}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      <KpiCharts range={range} />
    </section>
  );
}

/** `/admin/kpis`. */
export const kpisRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/kpis',
  validateSearch: KpisSearch,
  staticData: { page: { label: 'KPIs', permission: 'kpi:read', order: 50 } },
  component: KpisPage,
});
