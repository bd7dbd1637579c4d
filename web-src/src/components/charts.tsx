/**
 * Small SVG charts styled with Spectrum colour tokens, so they follow the light and dark theme.
 * Hand-rolled on purpose: @adobe/react-spectrum-charts pulls in vega + vega-lite (about 1 MB of
 * minified JS) for the three chart shapes the panel needs, and issue 10 asks for a lean bundle.
 * Each chart is an image with a text description, followed by a legend.
 */
import { useId } from 'react';

export interface ChartSeries {
  name: string;
  /** A Spectrum colour name: blue, green, orange, red, gray, purple, seafoam... */
  color: string;
  values: number[];
}

const WIDTH = 640;
const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

const token = (color: string) => `var(--spectrum-global-color-${color}-500)`;
const AXIS = 'var(--spectrum-global-color-gray-600)';
const GRID = 'var(--spectrum-global-color-gray-300)';

/** Counts read as whole numbers; a gridline between two whole numbers keeps one decimal. */
const wholeOrOneDecimal = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function niceMax(value: number): number {
  // At least 4 so the five gridlines of a chart of small counts land on whole numbers.
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function Axes(props: { max: number; labels: string[]; height: number; format: (n: number) => string }) {
  const { max, labels, height } = props;
  const innerH = height - PAD.top - PAD.bottom;
  const innerW = WIDTH - PAD.left - PAD.right;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  // At most ~8 x labels so they never overlap.
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <g fontSize="10" fill={AXIS}>
      {ticks.map((t) => {
        const y = PAD.top + innerH * (1 - t);
        return (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} stroke={GRID} strokeWidth={1} />
            <text x={PAD.left - 6} y={y + 3} textAnchor="end">{props.format(max * t)}</text>
          </g>
        );
      })}
      {labels.map((label, i) =>
        i % every === 0 ? (
          <text key={i} x={PAD.left + (innerW * (i + 0.5)) / labels.length} y={height - 8} textAnchor="middle">{label}</text>
        ) : null,
      )}
    </g>
  );
}

function Legend(props: { series: ChartSeries[] }) {
  return (
    <ul style={{ display: 'flex', flexWrap: 'wrap', gap: 12, listStyle: 'none', padding: 0, margin: '4px 0 0', fontSize: 12, color: 'var(--spectrum-global-color-gray-800)' }}>
      {props.series.map((s) => (
        <li key={s.name} style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, background: token(s.color), display: 'inline-block' }} />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function describe(labels: string[], series: ChartSeries[], format: (n: number) => string): string {
  return series.map((s) => `${s.name}: total ${format(s.values.reduce((a, b) => a + b, 0))}, peak ${format(Math.max(0, ...s.values))}`).join('; ') +
    (labels.length ? ` (${labels[0]} to ${labels[labels.length - 1]})` : '');
}

/** Stacked bars: one bar per category, one segment per series. */
export function StackedBarChart(props: { title: string; labels: string[]; series: ChartSeries[]; height?: number; format?: (n: number) => string }) {
  const height = props.height ?? 200;
  const format = props.format ?? wholeOrOneDecimal;
  const titleId = useId();
  const totals = props.labels.map((_, i) => props.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const innerH = height - PAD.top - PAD.bottom;
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, props.labels.length);
  const barW = Math.max(2, slot * 0.7);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} style={{ display: 'block' }}>
        <title id={titleId}>{`${props.title}. ${describe(props.labels, props.series, format)}`}</title>
        <Axes max={max} labels={props.labels} height={height} format={format} />
        {props.labels.map((label, i) => {
          let y = PAD.top + innerH;
          return (
            <g key={label + i}>
              {props.series.map((s) => {
                const value = s.values[i] ?? 0;
                const h = (value / max) * innerH;
                y -= h;
                return h > 0 ? (
                  <rect key={s.name} x={PAD.left + slot * i + (slot - barW) / 2} y={y} width={barW} height={h} fill={token(s.color)}>
                    <title>{`${label} ${s.name}: ${format(value)}`}</title>
                  </rect>
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      <Legend series={props.series} />
    </figure>
  );
}

/** Lines over categories (hours or days), one line per series. */
export function LineChart(props: { title: string; labels: string[]; series: ChartSeries[]; height?: number; format?: (n: number) => string }) {
  const height = props.height ?? 200;
  const format = props.format ?? wholeOrOneDecimal;
  const titleId = useId();
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)));
  const innerH = height - PAD.top - PAD.bottom;
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, props.labels.length);
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  const y = (v: number) => PAD.top + innerH * (1 - v / max);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} style={{ display: 'block' }}>
        <title id={titleId}>{`${props.title}. ${describe(props.labels, props.series, format)}`}</title>
        <Axes max={max} labels={props.labels} height={height} format={format} />
        {props.series.map((s) => (
          <g key={s.name}>
            <polyline fill="none" stroke={token(s.color)} strokeWidth={2} points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
            {s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill={token(s.color)}>
                <title>{`${props.labels[i]} ${s.name}: ${format(v)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend series={props.series} />
    </figure>
  );
}
