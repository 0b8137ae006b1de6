import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

interface ChartSeries {
  label: string;
  color: string;
  values: Array<number | null>;
}

interface Props {
  /** Names the chart for tests and screenshots (`data-chart`). */
  id: string;
  title: string;
  unit: string;
  times: number[];
  series: ChartSeries[];
}

/**
 * A live time-series chart drawn by uPlot. The plot is created once and
 * given new data on each render; its width follows the container.
 */
export function Chart({ id, title, unit, times, series }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');
  const data: uPlot.AlignedData = [times, ...series.map((s) => s.values)];

  useEffect(() => {
    const el = box.current!;
    const p = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: 180,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] } },
        axes: [{}, { size: 72, values: (_u, ticks) => ticks.map((v) => formatValue(v, unit)) }],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatValue(v, unit)),
          })),
        ],
      },
      data,
      el,
    );
    plot.current = p;
    const resize = new ResizeObserver(() => p.setSize({ width: Math.max(el.clientWidth, 200), height: 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [shape, unit]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const last = series.map((s) => lastValue(s.values));
  const max = series.map((s) => Math.max(0, ...s.values.filter((v): v is number => v !== null)));
  return (
    <div class="chart-card">
      <h3>{title}</h3>
      <div class="chart" ref={box} data-chart={id} data-last={last.join(',')} data-max={max.join(',')} />
    </div>
  );
}

function lastValue(values: Array<number | null>): string {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return String(values[i]);
  return '';
}

function formatValue(v: number, unit: string): string {
  if (unit === 'bytes') return v >= 1e9 ? `${(v / 1e9).toFixed(1)} GB` : `${(v / 1e6).toFixed(v >= 1e8 ? 0 : 1)} MB`;
  if (unit === '%') return `${v.toFixed(v < 10 ? 1 : 0)} %`;
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
}
