import type { Statistics } from '../../../commands/statistics-reader.js';
import { CHANNEL_NAMES, CHANNELS } from '../../../domain/channels.js';
import type { Locale } from '../../../domain/locales.js';
import { ORGANIZATION_NAMES, ORGANIZATIONS } from '../../../domain/organizations.js';
import { REGIONS } from '../../../domain/regions.js';
import { STATS_TEXT } from '../../i18n/stats-text.js';
import { Layout } from '../layout.js';
import { fill } from '../public/statement-parts.js';
import { BarChart, type BarItem } from './bar-chart.js';
import { COLOURS, formatCount } from './chart-parts.js';
import { CumulativeChart, DailyChart } from './line-charts.js';

/** Bars largest first; equal ones keep the list's order (a stable ranking). */
function ranked(items: BarItem[]): BarItem[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => b.item.value - a.item.value || a.i - b.i).map(({ item }) => item);
}

/** Received → published / rejected / duplicate / retracted / still pending, as bars of persons. */
function flowItems(stats: Statistics, locale: Locale): BarItem[] {
  const t = STATS_TEXT[locale];
  const { flow } = stats;
  return [
    { label: t.flowReceived, value: flow.received, colour: COLOURS.text },
    { label: t.flowPublished, value: flow.published },
    { label: t.flowRetracted, value: flow.retracted, colour: COLOURS.retracted },
    { label: t.flowRejected, value: flow.rejected, colour: COLOURS.muted },
    { label: t.flowDuplicate, value: flow.duplicate, colour: COLOURS.muted },
    { label: t.flowRetractedPending, value: flow.retracted_pending, colour: COLOURS.muted },
    { label: t.flowPending, value: flow.pending, colour: COLOURS.muted },
  ];
}

/** The statistics page: the count, six charts with their tables, links to the method and open data. */
export function StatsPage({ locale, stats }: { locale: Locale; stats: Statistics }) {
  const t = STATS_TEXT[locale];
  const organizations = ORGANIZATIONS.map((o) => ({ label: ORGANIZATION_NAMES[o][locale], value: stats.byOrganization.get(o) ?? 0 }));
  const regions = ranked(REGIONS.map(([code, names]) => ({ label: names[locale], value: stats.byRegion.get(code) ?? 0 })));
  const channels = CHANNELS.map((c) => ({ label: CHANNEL_NAMES[c][locale], value: stats.byChannel.get(c) ?? 0 }));
  return (
    <Layout locale={locale} title={t.statsTitle} path="/stats">
      <h1>{t.statsTitle}</h1>
      <p class="lead" id="stats-total">
        {fill(t.statsTotal, { total: formatCount(stats.total, locale) })}
      </p>
      <p>
        {t.statsIntro} <a href={`/${locale}/methodology`}>{t.methodologyLink}</a>
      </p>
      <CumulativeChart locale={locale} series={stats.cumulative} months={stats.months} />
      <DailyChart locale={locale} days={stats.recent} />
      <BarChart
        id="organizations"
        locale={locale}
        title={t.organizationsTitle}
        note={t.organizationsNote}
        caption={t.organizationsCaption}
        labelHeader={t.colOrganization}
        items={organizations}
        labelWidth={0}
      />
      <BarChart id="regions" locale={locale} title={t.regionsTitle} note={t.netNote} caption={t.regionsCaption} labelHeader={t.colRegion} items={regions} labelWidth={96} ranked />
      <BarChart id="channels" locale={locale} title={t.channelsTitle} note={t.channelsNote} caption={t.channelsCaption} labelHeader={t.colChannel} items={channels} labelWidth={0} />
      <BarChart id="flow" locale={locale} title={t.flowTitle} note={fill(t.flowNote, { until: stats.flowUntil })} caption={t.flowCaption} labelHeader={t.colEvent} items={flowItems(stats, locale)} labelWidth={0} />
      <section aria-labelledby="open-data-heading">
        <h2 id="open-data-heading">{t.openDataTitle}</h2>
        <p>{t.openDataText}</p>
        <ul>
          <li>
            <a href="/api/v1/open-data/daily.csv">daily.csv</a>
          </li>
          <li>
            <a href="/api/v1/open-data/daily.json">daily.json</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
