// A time chart drawn by uPlot, as wide as its container (it follows the container's size) and a fixed height.
// The chart is made once; new data is drawn into it without rebuilding it.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  color: string;
}

interface ChartProps {
  title: string;
  series: readonly ChartSeries[];
  /** x (unix seconds) then one array per series, all the same length; null leaves a gap */
  data: uPlot.AlignedData;
  height?: number;
}

const AXIS = { stroke: '#a99fd6', grid: { stroke: 'rgba(59, 43, 122, 0.5)' }, ticks: { stroke: '#3b2b7a' } };

function options(width: number, height: number, series: readonly ChartSeries[]): uPlot.Options {
  return {
    width,
    height,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [AXIS, { ...AXIS, size: 60 }],
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } }))],
  };
}

/** A uPlot line chart sized to its container. */
export function Chart({ title, series, data, height = 200 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current!;
    const chart = new uPlot(options(Math.max(200, el.clientWidth), height, series), latest.current, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const peak = Math.max(0, ...data.slice(1).flatMap((ys) => Array.from(ys as ArrayLike<number | null>, (y) => y ?? 0)));
  return (
    <figure className="chart" data-testid="chart" data-points={data[0].length} data-peak={peak}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-plot" />
    </figure>
  );
}

/** One stacked part of a bar chart: its values per x, positive (stacked up from 0) or negative (stacked down). */
export interface BarSeries extends ChartSeries {
  values: readonly number[];
}

interface StackedBarsProps {
  title: string;
  /** x per bar (unix seconds) */
  x: readonly number[];
  series: readonly BarSeries[];
  height?: number;
  testid?: string;
}

/**
 * Each series' running total over the ones before it of the same sign, so the bars stack: the parts above 0 from the
 * first series up, the parts below from the first series down. uPlot draws in order, so the tallest run goes first.
 */
function stack(series: readonly BarSeries[], n: number): { order: number[]; columns: number[][] } {
  const up = new Array<number>(n).fill(0);
  const down = new Array<number>(n).fill(0);
  const columns = series.map((s) =>
    Array.from({ length: n }, (_, i) => {
      const v = s.values[i] ?? 0;
      if (v >= 0) return (up[i] += v);
      return (down[i] += v);
    }),
  );
  return { order: series.map((_, i) => i).reverse(), columns };
}

/** A uPlot stacked bar chart sized to its container; the legend shows each part's own value. */
export function StackedBars({ title, x, series, height = 260, testid = 'stacked-chart' }: StackedBarsProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current!;
    const { order, columns } = stack(series, x.length);
    const bars = uPlot.paths.bars!({ size: [0.7, 80] });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] } },
      axes: [AXIS, { ...AXIS, size: 70 }],
      series: [
        {},
        ...order.map((i) => ({
          label: series[i].label,
          stroke: series[i].color,
          fill: series[i].color,
          width: 0,
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
            idx === null ? '–' : String(series[i].values[idx] ?? 0),
        })),
      ],
    };
    const chart = new uPlot(opts, [Array.from(x), ...order.map((i) => columns[i])], el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [x, series, height]);

  return (
    <figure className="chart" data-testid={testid} data-bars={x.length} data-series={series.length}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-plot" />
    </figure>
  );
}
