import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readStatistics } from '../../src/commands/statistics-reader.js';
import { CHANNEL_NAMES, CHANNELS } from '../../src/domain/channels.js';
import { ORGANIZATION_NAMES, ORGANIZATIONS } from '../../src/domain/organizations.js';
import { REGIONS } from '../../src/domain/regions.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { figure, fillStatsHistory, PRIVATE_MARKERS, rollupSums, svgsOf, tableOf } from './stats-fixtures.js';

const LOCALES = ['zh-hans', 'zh-hant', 'en'] as const;
const CHARTS = ['cumulative', 'daily', 'organizations', 'regions', 'channels', 'flow'];
const today = () => new Date().toISOString().slice(0, 10);

describeEachDialect('statistics page: charts with text alternatives and tables that equal the counts', (dialect) => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  before(async () => {
    t = await createTestApp(dialect);
    await fillStatsHistory(t);
  });
  after(() => t.close());

  test('every chart is an SVG that parses as XML, is labelled by its title and described by its desc, and has a captioned table', async () => {
    for (const locale of LOCALES) {
      const html = (await get(`/${locale}/stats`)).body;
      assert.ok(!/\sstyle=/.test(html), 'no style attribute: the CSP allows no inline styles');
      const svgs = svgsOf(html);
      assert.equal(svgs.length, CHARTS.length, locale);
      svgs.forEach((svg, i) => {
        const id = CHARTS[i]!;
        const a = svg.attributes!;
        assert.equal(a.role, 'img');
        assert.match(String(a.viewBox), /^0 0 360 \d+(\.\d+)?$/);
        assert.equal(a.width, '100%');
        const title = svg.elements!.find((e) => e.name === 'title')!;
        const desc = svg.elements!.find((e) => e.name === 'desc')!;
        assert.equal(a['aria-labelledby'], title.attributes!.id);
        assert.equal(a['aria-describedby'], desc.attributes!.id);
        assert.ok(String(title.elements?.[0]?.text ?? '').length > 0, `${locale} ${id}: title`);
        assert.ok(String(desc.elements?.[0]?.text ?? '').length > 10, `${locale} ${id}: desc`);
        // The chart's heading is its title; its table follows with a caption and scoped headers.
        assert.ok(html.includes(`<h2 id="${id}-heading">${title.elements![0]!.text}</h2>`), `${locale} ${id}: heading`);
        const table = tableOf(html, `${id}-table`);
        assert.ok(table.caption.length > 0, `${locale} ${id}: caption`);
        assert.ok(table.headers.every((th) => th.attributes!.scope === 'col'));
        assert.ok(table.rows.length > 0 && table.rowHeaders.every((th) => th.attributes!.scope === 'row'), `${locale} ${id}: rows`);
      });
      // Headings in order: one h1, then h2 only.
      const headings = [...html.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
      assert.equal(headings[0], 1);
      assert.ok(headings.slice(1).every((h) => h === 2));
    }
  });

  test('the total, the months and the organisations equal the counter API', async () => {
    // The counter is the transparency log's tally: once the log holds every event.
    await t.app.logSequencer.drain();
    const stats = (await get('/api/v1/stats')).json();
    // family (2) + single (1) + phone (1) published; the retracted one left again; nothing else counts.
    assert.equal(stats.total, 4);
    const html = (await get('/en/stats')).body;
    assert.match(html, new RegExp(`<p class="lead" id="stats-total">${stats.total} `));
    const months = tableOf(html, 'cumulative-table').rows;
    assert.equal(figure(months.at(-1)![2]!), stats.total);
    assert.equal(months.reduce((sum, row) => sum + figure(row[1]!), 0), stats.total);
    const organizations = tableOf(html, 'organizations-table').rows;
    assert.deepEqual(
      organizations.map((row) => [row[0], figure(row[1]!)]),
      ORGANIZATIONS.map((o) => [ORGANIZATION_NAMES[o].en, stats.byOrganization[o]]),
    );
  });

  test('the day, region, channel and flow tables equal the sums of the daily counts', async () => {
    const html = (await get('/en/stats')).body;
    const net = async (dimension: string) => {
      const [published, retracted] = [await rollupSums(t.database, 'persons_published', dimension), await rollupSums(t.database, 'persons_retracted', dimension)];
      return (value: string) => (published.get(value) ?? 0) - (retracted.get(value) ?? 0);
    };
    const days = tableOf(html, 'daily-table').rows;
    assert.equal(days.length, 365);
    assert.equal(days[0]![0], today(), 'newest first');
    assert.equal(figure(days[0]![1]!), (await rollupSums(t.database, 'persons_published', 'total', today())).get(''));
    assert.equal(figure(days[0]![2]!), (await rollupSums(t.database, 'persons_retracted', 'total', today())).get(''));
    assert.equal(figure(days[0]![3]!), figure(days[0]![1]!) - figure(days[0]![2]!));

    const byRegion = await net('region');
    const regions = tableOf(html, 'regions-table').rows;
    assert.equal(regions.length, REGIONS.length);
    for (const [rank, name, persons] of regions) {
      const code = REGIONS.find(([, names]) => names.en === name)![0];
      assert.equal(figure(persons!), byRegion(code), name);
      assert.ok(Number(rank) >= 1);
    }
    const values = regions.map((r) => figure(r[2]!));
    assert.deepEqual(values, [...values].sort((a, b) => b - a), 'ranked, largest first');

    const byChannel = await net('channel');
    const channels = tableOf(html, 'channels-table').rows;
    assert.deepEqual(channels.map((r) => [r[0], figure(r[1]!)]), CHANNELS.map((c) => [CHANNEL_NAMES[c].en, byChannel(c)]));
    assert.equal(byChannel('phone'), 1);

    // The flow covers the days that have ended: all of this history is today's, so it shows none
    // of it yet (test/api/pending-figures-wait-for-the-day-to-end.test.ts); tomorrow it is all there.
    const flow = new Map(tableOf(html, 'flow-table').rows.map((r) => [r[0], figure(r[1]!)]));
    assert.deepEqual([...flow.values()], [0, 0, 0, 0, 0, 0, 0]);
    const total = async (metric: string) => (await rollupSums(t.database, metric, 'total')).get('') ?? 0;
    const tomorrow = (await readStatistics(t.database, new Date(Date.now() + 86_400_000))).flow;
    assert.equal(tomorrow.received, await total('persons_received'));
    assert.equal(tomorrow.published, await total('persons_published'));
    assert.equal(tomorrow.retracted, await total('persons_retracted'));
    assert.equal(tomorrow.rejected, await total('persons_rejected'));
    assert.equal(tomorrow.duplicate, await total('persons_duplicate'));
    assert.equal(tomorrow.retracted_pending, await total('persons_retracted_pending'));
    assert.deepEqual(
      [tomorrow.received, tomorrow.published, tomorrow.retracted, tomorrow.rejected, tomorrow.duplicate, tomorrow.retracted_pending, tomorrow.pending],
      [10, 5, 1, 2, 1, 1, 1],
    );
  });

  test('no name or statement text reaches the statistics page', async () => {
    for (const locale of LOCALES) {
      const html = (await get(`/${locale}/stats`)).body;
      for (const marker of PRIVATE_MARKERS) assert.ok(!html.includes(marker), `${locale} shows ${marker}`);
    }
  });

  test('the methodology page says what is counted in each language and the statistics page links to it', async () => {
    const expected = { en: 'once for each published statement', 'zh-hans': '计一次', 'zh-hant': '計一次' };
    const lang = { en: 'en', 'zh-hans': 'zh-Hans', 'zh-hant': 'zh-Hant' };
    for (const locale of LOCALES) {
      assert.ok((await get(`/${locale}/stats`)).body.includes(`href="/${locale}/methodology"`));
      const response = await get(`/${locale}/methodology`);
      assert.equal(response.statusCode, 200);
      const html = response.body;
      assert.ok(html.includes(`<html lang="${lang[locale]}">`));
      assert.ok(html.includes(expected[locale]), locale);
      assert.ok(html.includes('30'), `${locale}: the 30-day window of duplicate hints`);
      assert.ok(html.includes('rcenter recount'), locale);
      assert.ok(html.includes('UTC'), locale);
      assert.ok(html.includes(String(t.config.openDataMinCell)), `${locale}: the threshold`);
      const headings = [...html.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
      assert.deepEqual([headings[0], new Set(headings.slice(1))], [1, new Set([2])]);
      assert.ok(response.headers.etag && String(response.headers['cache-control']).includes('max-age'));
    }
  });

  test('an unknown locale is a 404 like any unknown address', async () => {
    assert.equal((await get('/fr/stats')).statusCode, 404);
    assert.equal((await get('/fr/methodology')).statusCode, 404);
  });
});
