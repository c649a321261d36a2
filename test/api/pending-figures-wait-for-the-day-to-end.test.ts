import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readOpenData } from '../../src/commands/open-data-reader.js';
import { readStatistics } from '../../src/commands/statistics-reader.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { addDays } from '../../src/domain/open-data.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { figure, tableOf } from './stats-fixtures.js';

const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86_400_000);
const person = (region: string, organizations: string[]) => ({ displayName: '待审测试', nameKind: 'pseudonym', organizations, region });

describeEachDialect('figures of submissions no editor has seen wait for the day to end; published figures are live', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  before(async () => {
    t = await createTestApp(dialect, { openDataMinCell: 1 });
    editor = await addStaff(t.database, 'pending-editor', 'editor');
    const published = await submitPublic(t.app, { declarants: [person('440000', ['party'])] });
    await approveSubmissions(t.database, [published.id], editor.member);
    // Waiting for review, in a region and organisation nothing else has today.
    await submitPublic(t.app, { declarants: [person('650000', ['young_pioneers']), person('650000', ['young_pioneers'])] });
  });
  after(() => t.close());

  test('open data: today has no row for a pending submission and no received figure; the published one is there', async () => {
    const rows = (await get('/api/v1/open-data/daily.json')).json().rows as Record<string, string | number | null>[];
    const todays = rows.filter((r) => r.day === today());
    assert.ok(!todays.some((r) => r.region === '650000'), 'a row shows where the pending submission came from');
    assert.ok(todays.length > 0);
    for (const row of todays) {
      for (const column of ['persons_received', 'persons_rejected', 'persons_duplicate', 'persons_retracted_pending']) {
        assert.equal(row[column], null, column);
        assert.ok(String(row.suppressed).split(' ').includes(column), `${column} is marked withheld`);
      }
    }
    assert.equal(todays.find((r) => r.region === '440000' && r.organization === 'party')?.persons_published, 1);
    // The control: once the day has ended, the same rollup shows it.
    const later = await readOpenData(t.database, { from: today(), to: today() }, 1, addDays(today(), 1));
    assert.equal(later.rows.find((r) => r.region === '650000' && r.organization === 'young_pioneers')?.counts.received, 2);
  });

  test('statistics page and counter API: received and pending wait for the day to end, the published count does not', async () => {
    const html = (await get('/en/stats')).body;
    const flow = new Map(tableOf(html, 'flow-table').rows.map((r) => [r[0], figure(r[1]!)]));
    assert.equal(flow.get('Received'), 0);
    assert.equal(flow.get('Waiting for review'), 0);
    assert.match(html, /<p class="lead" id="stats-total">1 /);
    // The counter is the transparency log's tally (docs/log.md): as soon as the log has the event.
    await t.app.logSequencer.drain();
    const counter = (await get('/api/v1/stats')).json();
    assert.deepEqual([counter.total, counter.today], [1, 1]);
    assert.ok(!JSON.stringify(counter).includes('received') && !JSON.stringify(counter).includes('pending'));
    // The control: tomorrow's figures have them.
    const tomorrows = await readStatistics(t.database, tomorrow());
    const ended = tomorrows.flow;
    assert.deepEqual([ended.received, ended.published, ended.pending], [3, 1, 2]);
    // Tomorrow today is an ended day: read from the sums of ended days, the published figures are the same.
    assert.deepEqual([tomorrows.total, tomorrows.byRegion.get('440000'), tomorrows.cumulative.at(-1)?.cumulative], [1, 1, 1]);
  });

  test('a publication moves the published figures at once', async () => {
    const more = await submitPublic(t.app, { declarants: [person('440000', ['party'])] });
    await approveSubmissions(t.database, [more.id], editor.member);
    await t.app.logSequencer.drain();
    assert.equal((await get('/api/v1/stats')).json().total, 2);
    assert.match((await get('/en/stats')).body, /<p class="lead" id="stats-total">2 /);
    const data = await readOpenData(t.database, { from: today(), to: today() }, 1);
    assert.equal(data.rows.find((r) => r.region === '440000' && r.organization === 'party')?.counts.published, 2);
  });
});
