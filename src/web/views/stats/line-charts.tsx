import type { DayFigures, MonthFigures } from '../../../domain/daily-series.js';
import type { Locale } from '../../../domain/locales.js';
import { STATS_TEXT } from '../../i18n/stats-text.js';
import { fill } from '../public/statement-parts.js';
import { areaPath, CHART_WIDTH, evenIndices, linePath, niceTicks, scaleLinear, seriesPoints, downsample, type PlotArea } from './chart-geometry.js';
import { ChartSection, COLOURS, DataTable, formatCount, formatDecimal, ValueAxis } from './chart-parts.js';

const HEIGHT = 240;
/** Room for tick labels and the turned axis title on the left, day labels and title below. */
const PLOT: PlotArea = { left: 58, top: 12, width: CHART_WIDTH - 58 - 14, height: HEIGHT - 12 - 52 };
/** Most points drawn for a line: more than the plot has units across would add nothing. */
const MAX_POINTS = 300;

/** Day labels under the plot: a few evenly spaced days. */
function DayAxis({ days, title }: { days: string[]; title: string }) {
  const x = scaleLinear(0, Math.max(1, days.length - 1), PLOT.left, PLOT.left + PLOT.width);
  const bottom = PLOT.top + PLOT.height;
  const shown = evenIndices(days.length, 3);
  return (
    <g>
      <line x1={PLOT.left} x2={PLOT.left + PLOT.width} y1={bottom} y2={bottom} stroke={COLOURS.axis} stroke-width={1} />
      {shown.map((i, n) => (
        <text x={x(i)} y={bottom + 16} text-anchor={shown.length === 1 ? 'middle' : n === 0 ? 'start' : n === shown.length - 1 ? 'end' : 'middle'} fill={COLOURS.muted}>
          {days[i]}
        </text>
      ))}
      <text x={PLOT.left + PLOT.width / 2} y={HEIGHT - 8} text-anchor="middle" fill={COLOURS.text}>
        {title}
      </text>
    </g>
  );
}

/** The key of the per-day chart, boxed in the plot's top left corner. */
function Legend({ daily, average }: { daily: string; average: string }) {
  const y = PLOT.top + 4;
  return (
    <g>
      <rect x={PLOT.left + 2} y={y - 4} width={170} height={34} fill="#ffffff" stroke={COLOURS.grid} />
      <rect x={PLOT.left + 6} y={y} width={10} height={10} fill={COLOURS.daily} />
      <text x={PLOT.left + 20} y={y + 9} fill={COLOURS.text}>
        {daily}
      </text>
      <line x1={PLOT.left + 6} x2={PLOT.left + 16} y1={y + 20} y2={y + 20} stroke={COLOURS.average} stroke-width={2.5} />
      <text x={PLOT.left + 20} y={y + 24} fill={COLOURS.text}>
        {average}
      </text>
    </g>
  );
}

/** The running net total of persons counted, from the first publication to today, with a table by month. */
export function CumulativeChart({ locale, series, months }: { locale: Locale; series: { day: string; cumulative: number }[]; months: MonthFigures[] }) {
  const t = STATS_TEXT[locale];
  const points = downsample(series, MAX_POINTS);
  const { max, ticks } = niceTicks(Math.max(0, ...points.map((p) => p.cumulative)));
  const y = scaleLinear(0, max, PLOT.top + PLOT.height, PLOT.top);
  const last = series.at(-1);
  const desc = last
    ? fill(t.cumulativeDesc, { from: series[0]!.day, to: last.day, total: formatCount(last.cumulative, locale) })
    : t.noFigures;
  return (
    <ChartSection
      id="cumulative"
      title={t.cumulativeTitle}
      desc={desc}
      note={t.cumulativeNote}
      height={HEIGHT}
      svg={
        <g>
          <ValueAxis ticks={ticks} y={y} left={PLOT.left} right={PLOT.left + PLOT.width} title={t.axisPersons} locale={locale} />
          <DayAxis days={points.map((p) => p.day)} title={t.axisDay} />
          {points.length > 0 && <path d={linePath(seriesPoints(points.map((p) => p.cumulative), PLOT, max))} fill="none" stroke={COLOURS.line} stroke-width={2} />}
        </g>
      }
      table={
        <details>
          <summary>{t.monthlyTableToggle}</summary>
          <DataTable
            id="cumulative-table"
            caption={t.cumulativeCaption}
            headers={[t.colMonth, t.colNetChange, t.colCumulative]}
            numeric={[false, true, true]}
            rows={months.map((m) => [m.month, formatCount(m.net, locale), formatCount(m.cumulative, locale)])}
          />
        </details>
      }
    />
  );
}

/** Persons published each day over the last 365 days, with the 28-day average; the day table folds away. */
export function DailyChart({ locale, days }: { locale: Locale; days: DayFigures[] }) {
  const t = STATS_TEXT[locale];
  const { max, ticks } = niceTicks(Math.max(0, ...days.map((d) => d.published)));
  const y = scaleLinear(0, max, PLOT.top + PLOT.height, PLOT.top);
  const daily = seriesPoints(days.map((d) => d.published), PLOT, max);
  const average = seriesPoints(days.map((d) => d.average), PLOT, max);
  const busiest = days.reduce((a, b) => (b.published > a.published ? b : a), days[0]!);
  const desc = fill(t.dailyDesc, {
    from: days[0]!.day,
    to: days.at(-1)!.day,
    max: formatCount(busiest.published, locale),
    maxDay: busiest.day,
    average: formatDecimal(days.at(-1)!.average, locale),
  });
  return (
    <ChartSection
      id="daily"
      title={t.dailyTitle}
      desc={desc}
      note={t.dailyNote}
      height={HEIGHT}
      svg={
        <g>
          <ValueAxis ticks={ticks} y={y} left={PLOT.left} right={PLOT.left + PLOT.width} title={t.axisPersons} locale={locale} />
          <DayAxis days={days.map((d) => d.day)} title={t.axisDay} />
          <path d={areaPath(daily, PLOT.top + PLOT.height)} fill={COLOURS.daily} stroke="none" />
          <path d={linePath(average)} fill="none" stroke={COLOURS.average} stroke-width={2.5} />
          <Legend daily={t.legendDaily} average={t.legendAverage} />
        </g>
      }
      table={
        <details>
          <summary>{t.dailyTableToggle}</summary>
          <DataTable
            id="daily-table"
            caption={t.dailyCaption}
            headers={[t.colDay, t.colPublished, t.colRetracted, t.colNet, t.colAverage]}
            numeric={[false, true, true, true, true]}
            rows={[...days].reverse().map((d) => [d.day, formatCount(d.published, locale), formatCount(d.retracted, locale), formatCount(d.net, locale), formatDecimal(d.average, locale)])}
          />
        </details>
      }
    />
  );
}
