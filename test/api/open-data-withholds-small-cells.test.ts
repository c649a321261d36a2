import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { readOpenData } from '../../src/commands/open-data-reader.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { addDays, crossTabulate, OPEN_DATA_MEASURES, type OpenDataMeasure } from '../../src/domain/open-data.js';
import { eventCells } from '../../src/storage/statistics.repository.js';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { OPEN_DATA_COLUMNS } from '../../src/web/presenters/open-data-presenter.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic } from '../staff/staff-fixtures.js';
import { figure, fillStatsHistory, PRIVATE_MARKERS, rollupSums, tableOf } from './stats-fixtures.js';

const MIN_CELL = 3;
const today = () => new Date().toISOString().slice(0, 10);
type Row = Record<(typeof OPEN_DATA_COLUMNS)[number], string | number | null>;
const count = (row: Row, m: OpenDataMeasure) => row[`persons_${m}`] as number | null;

describeEachDialect('open data: day × region × organisation × channel, small cells withheld', (dialect) => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  before(async () => {
    t = await createTestApp(dialect, { openDataMinCell: MIN_CELL });
    await fillStatsHistory(t);
    // Larger cells beside the small ones, so some counts are published and some complements needed.
    const editor = await addStaff(t.database, 'open-data-editor', 'editor');
    const ids: string[] = [];
    const person = (region: string, organizations: string[]) => ({ displayName: '统计测试甲', nameKind: 'pseudonym', organizations, region });
    for (let i = 0; i < 3; i++) ids.push((await submitPublic(t.app, { declarants: [person('440000', ['youth_league']), person('440000', ['youth_league'])] })).id);
    for (let i = 0; i < 2; i++) ids.push((await submitPublic(t.app, { declarants: [person('110000', ['party']), person('110000', ['party'])] })).id);
    ids.push((await submitPublic(t.app, { declarants: [person('210000', ['party'])] })).id);
    // A region with nothing small beside it: its cell stays published.
    for (let i = 0; i < 2; i++) ids.push((await submitPublic(t.app, { declarants: [person('320000', ['party']), person('320000', ['party'])] })).id);
    await approveSubmissions(t.database, ids, editor.member);
  });
  after(() => t.close());

  const rowsOf = async () => (await get('/api/v1/open-data/daily.json')).json().rows as Row[];

  test('the CSV parses with a CSV parser and holds exactly the JSON rows, a withheld count as an empty field', async () => {
    const json = (await get('/api/v1/open-data/daily.json')).json();
    const csv = await get('/api/v1/open-data/daily.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    const records: Record<string, string>[] = parse(csv.body, { columns: true });
    assert.deepEqual(Object.keys(records[0]!), [...OPEN_DATA_COLUMNS]);
    assert.deepEqual(json.columns, [...OPEN_DATA_COLUMNS]);
    assert.equal(json.minCell, MIN_CELL);
    assert.ok(json.rows.length > 5);
    const asJson = records.map((r) =>
      Object.fromEntries(OPEN_DATA_COLUMNS.map((c) => [c, c.startsWith('persons_') ? (r[c] === '' ? null : Number(r[c])) : r[c]])),
    );
    assert.deepEqual(asJson, json.rows);
    for (const row of json.rows as Row[]) assert.deepEqual(Object.keys(row), [...OPEN_DATA_COLUMNS]);
  });

  test('no published cell is below the threshold, and every withheld cell is marked', async () => {
    const rows = await rowsOf();
    let withheld = 0;
    for (const row of rows) {
      for (const m of OPEN_DATA_MEASURES) {
        const value = count(row, m);
        const marked = String(row.suppressed).split(' ').includes(`persons_${m}`);
        assert.equal(value === null, marked);
        if (value === null) withheld++;
        else assert.ok(value === 0 || value >= MIN_CELL, `${m}=${value}`);
      }
    }
    assert.ok(withheld > 0, 'the small history has small cells');
    assert.ok(rows.some((r) => (count(r, 'published') ?? 0) >= MIN_CELL), 'large cells are published');
  });

  test('a withheld cell cannot be recovered by subtracting the published cells from the published totals of the day', async () => {
    const rows = (await rowsOf()).filter((r) => r.day === today());
    // The counter is the transparency log's tally: once the log holds every event.
    await t.app.logSequencer.drain();
    const stats = (await get('/api/v1/stats')).json();
    const page = tableOf((await get('/en/stats')).body, 'daily-table').rows[0]!;
    // Totals anyone can read: persons published and retracted today (statistics page), and by organisation (counter API).
    const attempts: { what: string; total: number; cells: Row[]; measures: OpenDataMeasure[]; signs: number[] }[] = [
      { what: 'published today', total: figure(page[1]!), cells: rows, measures: ['published'], signs: [1] },
      { what: 'retracted today', total: figure(page[2]!), cells: rows, measures: ['retracted'], signs: [1] },
      ...ORGANIZATIONS.map((o) => ({
        what: `net ${o}`,
        total: stats.byOrganization[o] as number,
        cells: rows.filter((r) => r.organization === o),
        measures: ['published', 'retracted'] as OpenDataMeasure[],
        signs: [1, -1],
      })),
    ];
    for (const attempt of attempts) {
      const unknown = attempt.measures.flatMap((m) => attempt.cells.filter((r) => count(r, m) === null).map((r) => `${m}:${r.region}:${r.channel}`));
      const known = attempt.measures.reduce((sum, m, i) => sum + attempt.signs[i]! * attempt.cells.reduce((s, r) => s + (count(r, m) ?? 0), 0), 0);
      // One unknown left would be `total − known`: suppression never leaves exactly one.
      assert.notEqual(unknown.length, 1, `${attempt.what}: ${attempt.total} − ${known} gives ${unknown[0]} away`);
    }
    // And per organisation on its own, per event (the day's figure by organisation that daily_count holds).
    for (const m of OPEN_DATA_MEASURES) {
      for (const o of ORGANIZATIONS) {
        const hidden = rows.filter((r) => r.organization === o && count(r, m) === null);
        const cells = rows.filter((r) => r.organization === o);
        assert.ok(hidden.length !== 1 || cells.length === 1, `${m} ${o}: one withheld cell in a group of ${cells.length}`);
      }
    }
  });

  test('unsuppressed, the rows add up to the daily counts by organisation for every event: the same base tables as the recount', async () => {
    // Read as it will be once the day has ended (before, its received figures are withheld).
    const data = await readOpenData(t.database, { from: today(), to: today() }, 1, addDays(today(), 1));
    for (const m of OPEN_DATA_MEASURES) {
      const rollup = await rollupSums(t.database, `persons_${m}`, 'organization', today());
      for (const o of ORGANIZATIONS) {
        const sum = data.rows.filter((r) => r.organization === o).reduce((s, r) => s + (r.counts[m] ?? 0), 0);
        assert.equal(sum, rollup.get(o) ?? 0, `${m} ${o}`);
      }
    }
    assert.ok(data.rows.every((r) => r.suppressed.length === 0));
  });

  test('the rollup the open data is read from equals the cross tabulation of the statements themselves', async () => {
    const data = await readOpenData(t.database, { from: today(), to: today() }, 1, addDays(today(), 1));
    const reference = crossTabulate(await eventCells(t.database.db, today(), today()));
    assert.ok(reference.length > 5);
    assert.deepEqual(data.rows.map((r) => ({ day: r.day, region: r.region, organization: r.organization, channel: r.channel, counts: r.counts })), reference);
  });

  test('no name, text, id or receipt appears in the open data', async () => {
    const ids = (await t.database.db.selectFrom('submission').select(['id', 'receipt_hash']).execute()).flatMap((r) => [r.id, r.receipt_hash]);
    for (const url of ['/api/v1/open-data/daily.json', '/api/v1/open-data/daily.csv']) {
      const body = (await get(url)).body;
      for (const secret of [...PRIVATE_MARKERS, ...ids, '这是一份为测试而写的合成声明']) assert.ok(!body.includes(secret), `${url} shows ${secret}`);
    }
  });

  test('a bad day or range is a 400 invalid_parameter naming the field, in the reader\'s language', async () => {
    const cases: [string, string][] = [
      ['?from=2026-02-30', 'from'],
      ['?to=tomorrow', 'to'],
      ['?from=2026-03-02&to=2026-03-01', 'from'],
      ['?from=2024-01-01&to=2025-06-01', 'to'],
    ];
    for (const file of ['daily.json', 'daily.csv']) {
      for (const [query, field] of cases) {
        const response = await get(`/api/v1/open-data/${file}${query}`, { 'accept-language': 'zh-CN' });
        assert.equal(response.statusCode, 400, query);
        const { error } = response.json();
        assert.deepEqual([error.code, error.field], ['invalid_parameter', field], query);
        assert.match(error.message, field === 'from' ? /起始日期/ : /结束日期/);
      }
    }
    const ranged = (await get(`/api/v1/open-data/daily.json?from=2020-01-01&to=2020-12-31`)).json();
    assert.deepEqual([ranged.from, ranged.to, ranged.rows], ['2020-01-01', '2020-12-31', []]);
  });
});

test('OPEN_DATA_MIN_CELL defaults to 10 and a bad value is listed with the other bad settings', () => {
  assert.equal(loadConfig({}).openDataMinCell, 10);
  assert.equal(loadConfig({ OPEN_DATA_MIN_CELL: '5' }).openDataMinCell, 5);
  for (const bad of ['0', 'ten', '-3', '1001']) {
    assert.throws(
      () => loadConfig({ OPEN_DATA_MIN_CELL: bad, PORT: 'x' }),
      (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.includes('OPEN_DATA_MIN_CELL')) && error.problems.some((p) => p.includes('PORT')),
      bad,
    );
  }
});
