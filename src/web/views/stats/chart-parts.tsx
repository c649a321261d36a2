import type { ComponentChildren } from 'preact';
import type { Locale } from '../../../domain/locales.js';
import { formatCount } from '../public/count-summary.js';
import { CHART_WIDTH } from './chart-geometry.js';

/** Colours of the charts: each has at least 3:1 contrast on white (WCAG 1.4.11), text 4.5:1. */
export const COLOURS = {
  text: '#1a1a1a',
  muted: '#555555',
  grid: '#d6d6d6',
  axis: '#1a1a1a',
  bar: '#0b4f8a',
  line: '#0b4f8a',
  daily: '#5a7fa8',
  average: '#8a1c1c',
  retracted: '#8a1c1c',
} as const;

/** Font size of chart labels, in viewBox units (about 11 px on a 360 px phone). */
export const LABEL_SIZE = 12;

/** A 28-day average and similar: one decimal in the reader's digits. */
export function formatDecimal(n: number, locale: Locale): string {
  return (locale === 'en' ? DECIMAL.en : DECIMAL.zh).format(n);
}

/** Made once: a NumberFormat costs far more to make than to use (365 rows format a mean each). */
const DECIMAL = {
  en: new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  zh: new Intl.NumberFormat('zh', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};

export { formatCount };

/** An axis label: short ("12K", "1.2万") so it fits beside a narrow plot. */
export function formatTick(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en' : locale === 'zh-hant' ? 'zh-Hant' : 'zh-Hans', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/**
 * One chart: its heading, the SVG with its text alternative (`<title>` and `<desc>`, referenced by
 * `aria-labelledby` and `aria-describedby`), a note on units, and its table.
 */
export function ChartSection(props: { id: string; title: string; desc: string; note: string; height: number; svg: ComponentChildren; table: ComponentChildren }) {
  const { id, title, desc, note, height, svg, table } = props;
  return (
    <section class="chart" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p class="hint">{note}</p>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        font-size={LABEL_SIZE}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        {svg}
      </svg>
      {table}
    </section>
  );
}

/**
 * The numbers of a chart as a table, in a wrapper that scrolls sideways on a narrow screen (the
 * page itself never does); the wrapper is a labelled, focusable region so keyboards can scroll it.
 */
export function DataTable(props: { id: string; caption: string; headers: string[]; rows: (string | number)[][]; numeric: boolean[]; rowHeader?: number }) {
  const { id, caption, headers, rows, numeric, rowHeader = 0 } = props;
  return (
    <div class="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabindex={0}>
      <table class="figures" id={id}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h, i) => (
              <th scope="col" class={numeric[i] ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {row.map((cell, i) =>
                i === rowHeader ? (
                  <th scope="row">{cell}</th>
                ) : (
                  <td class={numeric[i] ? 'num' : undefined}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A vertical value axis: grid lines and labels at each tick, and the axis title turned upright. */
export function ValueAxis(props: { ticks: number[]; y: (v: number) => number; left: number; right: number; title: string; locale: Locale }) {
  const { ticks, y, left, right, title, locale } = props;
  const middle = (y(ticks[0]!) + y(ticks.at(-1)!)) / 2;
  return (
    <g>
      {ticks.map((v) => (
        <g>
          <line x1={left} x2={right} y1={y(v)} y2={y(v)} stroke={COLOURS.grid} stroke-width={1} />
          <text x={left - 4} y={y(v) + 4} text-anchor="end" fill={COLOURS.muted}>
            {formatTick(v, locale)}
          </text>
        </g>
      ))}
      <text x={12} y={middle} transform={`rotate(-90 12 ${middle})`} text-anchor="middle" fill={COLOURS.text}>
        {title}
      </text>
    </g>
  );
}
