import type { Locale } from '../../../domain/locales.js';
import { STATS_TEXT } from '../../i18n/stats-text.js';
import { CHART_WIDTH, horizontalBars, niceTicks, scaleLinear } from './chart-geometry.js';
import { ChartSection, COLOURS, DataTable, formatCount, formatTick, LABEL_SIZE } from './chart-parts.js';

/** One bar: its label in the reader's language, its value, and optionally its own colour. */
export interface BarItem {
  label: string;
  value: number;
  colour?: string;
}

export interface BarChartProps {
  id: string;
  locale: Locale;
  title: string;
  note: string;
  /** The table's caption and the header of its label column. */
  caption: string;
  labelHeader: string;
  items: BarItem[];
  /**
   * Labels to the left of the bars in a column this wide (short labels, many bars), or, when 0,
   * above each bar (long labels, few bars).
   */
  labelWidth: number;
  /** Number the rows of the table (a ranking). */
  ranked?: boolean;
}

const TOP = 8;
/** Room on the right for the value printed after the longest bar. */
const VALUE_ROOM = 64;
const AXIS_ROOM = 40;

/**
 * A horizontal bar chart of persons with a value axis along the bottom, each bar's figure at its
 * end, and the same figures as a table.
 */
export function BarChart({ id, locale, title, note, caption, labelHeader, items, labelWidth, ranked = false }: BarChartProps) {
  const t = STATS_TEXT[locale];
  const above = labelWidth === 0;
  const rowHeight = above ? 34 : 20;
  const barHeight = above ? 14 : 13;
  const left = above ? 8 : labelWidth + 8;
  const width = CHART_WIDTH - left - VALUE_ROOM;
  const { max, ticks } = niceTicks(Math.max(0, ...items.map((i) => i.value)));
  const bars = horizontalBars(items.map((i) => i.value), TOP, rowHeight, width, max);
  const plotBottom = TOP + items.length * rowHeight;
  const height = plotBottom + AXIS_ROOM;
  const x = scaleLinear(0, max, left, left + width);
  const desc = items.map((i) => `${i.label}: ${formatCount(i.value, locale)}`).join(locale === 'en' ? '; ' : '；');
  return (
    <ChartSection
      id={id}
      title={title}
      desc={`${title}. ${desc}`}
      note={note}
      height={height}
      svg={
        <g>
          {ticks.map((v) => (
            <g>
              <line x1={x(v)} x2={x(v)} y1={TOP} y2={plotBottom} stroke={COLOURS.grid} stroke-width={1} />
              <text x={x(v)} y={plotBottom + 14} text-anchor="middle" fill={COLOURS.muted}>
                {formatTick(v, locale)}
              </text>
            </g>
          ))}
          <text x={left + width / 2} y={height - 8} text-anchor="middle" fill={COLOURS.text}>
            {t.axisPersons}
          </text>
          {items.map((item, i) => {
            const bar = bars[i]!;
            const barY = above ? bar.y + 16 : bar.y + (rowHeight - barHeight) / 2;
            return (
              <g>
                <text x={above ? left : left - 6} y={above ? bar.y + 12 : barY + barHeight - 2} text-anchor={above ? 'start' : 'end'} fill={COLOURS.text} font-size={above ? LABEL_SIZE : 11}>
                  {item.label}
                </text>
                <rect x={left} y={barY} width={bar.width} height={barHeight} fill={item.colour ?? COLOURS.bar} />
                <text x={left + bar.width + 4} y={barY + barHeight - 2} fill={COLOURS.text} font-size={11}>
                  {formatCount(item.value, locale)}
                </text>
              </g>
            );
          })}
          <line x1={left} x2={left} y1={TOP} y2={plotBottom} stroke={COLOURS.axis} stroke-width={1} />
        </g>
      }
      table={
        <DataTable
          id={`${id}-table`}
          caption={caption}
          headers={ranked ? [t.colRank, labelHeader, t.colPersons] : [labelHeader, t.colPersons]}
          numeric={ranked ? [true, false, true] : [false, true]}
          rowHeader={ranked ? 1 : 0}
          rows={items.map((item, i) => (ranked ? [i + 1, item.label, formatCount(item.value, locale)] : [item.label, formatCount(item.value, locale)]))}
        />
      }
    />
  );
}
