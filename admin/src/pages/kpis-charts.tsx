// The KPI charts over the chosen range (1h, 24h, 7d): each chart reads its metrics from GET /api/admin/kpis/series,
// lined up on the same time buckets. The live stream refreshes them (kpis-stream.ts).
import { useQueries } from '@tanstack/react-query';
import type uPlot from 'uplot';
import { apiGet } from '../api/client.ts';
import type { KpiSeries } from '../api/types.ts';
import { Chart, type ChartSeries } from '../components/Chart.tsx';
import { Failed } from '../components/StateViews.tsx';

/** The ranges the series API buckets. */
export const RANGES = ['1h', '24h', '7d'] as const;
export type Range = (typeof RANGES)[number];

interface ChartSpec {
  title: string;
  metrics: readonly string[];
  series: readonly ChartSeries[];
  /** turns a stored value into the shown one (cents into dollars) */
  scale?: number;
}

const CHARTS: readonly ChartSpec[] = [
  { title: 'Rounds played', metrics: ['rounds'], series: [{ label: 'rounds', color: '#3ef0ff' }] },
  {
    title: 'Wagered, paid and GGR',
    metrics: ['wagered', 'paid', 'ggr'],
    series: [
      { label: 'wagered', color: '#ffc83d' },
      { label: 'paid', color: '#ff3df2' },
      { label: 'GGR', color: '#53f29a' },
    ],
  },
  {
    title: 'Active players and sign-ups',
    metrics: ['active_players', 'signups'],
    series: [
      { label: 'active players', color: '#3ef0ff' },
      { label: 'sign-ups', color: '#ff3df2' },
    ],
  },
  { title: 'Premium revenue (USD)', metrics: ['premium_revenue'], series: [{ label: 'USD', color: '#53f29a' }], scale: 0.01 },
];

/** The series lined up on one time axis (unix seconds); a bucket a metric lacks is a gap. */
function align(all: KpiSeries[], scale = 1): uPlot.AlignedData {
  const times = [...new Set(all.flatMap((s) => s.points.map((p) => Date.parse(p.t) / 1000)))].sort((a, b) => a - b);
  const columns = all.map((s) => {
    const at = new Map(s.points.map((p) => [Date.parse(p.t) / 1000, p.value * scale]));
    return times.map((t) => at.get(t) ?? null);
  });
  return [times, ...columns];
}

function SpecChart({ spec, range }: { spec: ChartSpec; range: Range }) {
  const results = useQueries({
    queries: spec.metrics.map((metric) => ({
      queryKey: ['admin', 'kpis', 'series', metric, range],
      queryFn: ({ signal }: { signal: AbortSignal }) => apiGet<KpiSeries>(`/api/admin/kpis/series?metric=${metric}&range=${range}`, signal),
    })),
  });
  const failed = results.find((r) => r.isError);
  if (failed) return <Failed error={failed.error} retry={() => void failed.refetch()} />;
  const data: uPlot.AlignedData = results.every((r) => r.data)
    ? align(
        results.map((r) => r.data!),
        spec.scale,
      )
    : [[], ...spec.series.map(() => [])];
  return <Chart title={spec.title} series={spec.series} data={data} />;
}

/** Every KPI chart over `range`. */
export function KpiCharts({ range }: { range: Range }) {
  return (
    <div className="charts" data-testid="kpi-charts">
      {CHARTS.map((spec) => (
        <SpecChart key={spec.title} spec={spec} range={range} />
      ))}
    </div>
  );
}
