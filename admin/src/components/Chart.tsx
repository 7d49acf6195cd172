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
