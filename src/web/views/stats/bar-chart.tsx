import type { Locale } from '../../../domain/locales.js';
import { STATS_TEXT } from '../../i18n/stats-text.js';
import { CHART_WIDTH, horizontalBars, niceTicks, scaleLinear, type BarBox } from './chart-geometry.js';
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

/** Where the bars of a chart go: rows from `TOP`, bars from `left`, `width` long at most. */
interface BarLayout {
  above: boolean;
  rowHeight: number;
  barHeight: number;
  left: number;
  width: number;
  plotBottom: number;
  height: number;
}

function layoutOf(count: number, labelWidth: number): BarLayout {
  const above = labelWidth === 0;
  const rowHeight = above ? 34 : 20;
  const left = above ? 8 : labelWidth + 8;
  const plotBottom = TOP + count * rowHeight;
  return { above, rowHeight, barHeight: above ? 14 : 13, left, width: CHART_WIDTH - left - VALUE_ROOM, plotBottom, height: plotBottom + AXIS_ROOM };
}

/** The value axis along the bottom: grid lines, round figures and the unit. */
function PersonsAxis({ layout, ticks, x, title, locale }: { layout: BarLayout; ticks: number[]; x: (v: number) => number; title: string; locale: Locale }) {
  return (
    <g>
      {ticks.map((v) => (
        <g>
          <line x1={x(v)} x2={x(v)} y1={TOP} y2={layout.plotBottom} stroke={COLOURS.grid} stroke-width={1} />
          <text x={x(v)} y={layout.plotBottom + 14} text-anchor="middle" fill={COLOURS.muted}>
            {formatTick(v, locale)}
          </text>
        </g>
      ))}
      <text x={layout.left + layout.width / 2} y={layout.height - 8} text-anchor="middle" fill={COLOURS.text}>
        {title}
      </text>
      <line x1={layout.left} x2={layout.left} y1={TOP} y2={layout.plotBottom} stroke={COLOURS.axis} stroke-width={1} />
    </g>
  );
}

/** One labelled bar with its figure printed at its end. */
function Bar({ item, box, layout, locale }: { item: BarItem; box: BarBox; layout: BarLayout; locale: Locale }) {
  const { above, left, barHeight, rowHeight } = layout;
  const barY = above ? box.y + 16 : box.y + (rowHeight - barHeight) / 2;
  return (
    <g>
      <text x={above ? left : left - 6} y={above ? box.y + 12 : barY + barHeight - 2} text-anchor={above ? 'start' : 'end'} fill={COLOURS.text} font-size={above ? LABEL_SIZE : 11}>
        {item.label}
      </text>
      <rect x={left} y={barY} width={box.width} height={barHeight} fill={item.colour ?? COLOURS.bar} />
      <text x={left + box.width + 4} y={barY + barHeight - 2} fill={COLOURS.text} font-size={11}>
        {formatCount(item.value, locale)}
      </text>
    </g>
  );
}

/**
 * A horizontal bar chart of persons with a value axis along the bottom, each bar's figure at its
 * end, and the same figures as a table.
 */
export function BarChart({ id, locale, title, note, caption, labelHeader, items, labelWidth, ranked = false }: BarChartProps) {
  const t = STATS_TEXT[locale];
  const layout = layoutOf(items.length, labelWidth);
  const { max, ticks } = niceTicks(Math.max(0, ...items.map((i) => i.value)));
  const boxes = horizontalBars(items.map((i) => i.value), TOP, layout.rowHeight, layout.width, max);
  const x = scaleLinear(0, max, layout.left, layout.left + layout.width);
  const desc = items.map((i) => `${i.label}: ${formatCount(i.value, locale)}`).join(locale === 'en' ? '; ' : '；');
  const figures = (item: BarItem) => formatCount(item.value, locale);
  return (
    <ChartSection
      id={id}
      title={title}
      desc={`${title}. ${desc}`}
      note={note}
      height={layout.height}
      svg={
        <g>
          <PersonsAxis layout={layout} ticks={ticks} x={x} title={t.axisPersons} locale={locale} />
          {items.map((item, i) => (
            <Bar item={item} box={boxes[i]!} layout={layout} locale={locale} />
          ))}
        </g>
      }
      table={
        <DataTable
          id={`${id}-table`}
          caption={caption}
          headers={ranked ? [t.colRank, labelHeader, t.colPersons] : [labelHeader, t.colPersons]}
          numeric={ranked ? [true, false, true] : [false, true]}
          rowHeader={ranked ? 1 : 0}
          rows={items.map((item, i) => (ranked ? [i + 1, item.label, figures(item)] : [item.label, figures(item)]))}
        />
      }
    />
  );
}
