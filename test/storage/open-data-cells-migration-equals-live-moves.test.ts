import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as openDataCells from '../../src/storage/migrations/2026-12-04-open-data-cells.js';
import { fillStatsHistory } from '../api/stats-fixtures.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

describeEachDialect('the migration that fills daily_cell gives the cells the live count moves gave', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
    // Received, published, rejected, duplicate, retracted after and before publication, and pending.
    await fillStatsHistory(t);
  });
  after(() => t.close());

  const cells = () => t.database.db.selectFrom('daily_cell').select(['day', 'metric', 'value', 'n']).orderBy('day').orderBy('metric').orderBy('value').execute();

  test('dropped and filled again from the statements, daily_cell holds exactly what intake, review and retraction moved', async () => {
    const live = (await cells()).map((c) => ({ ...c, n: Number(c.n) }));
    assert.ok(live.length > 10);
    assert.deepEqual(new Set(live.map((c) => c.metric)).size, 6, 'every event');
    await openDataCells.down(t.database.db);
    await openDataCells.up(t.database.db);
    assert.deepEqual((await cells()).map((c) => ({ ...c, n: Number(c.n) })), live);
  });
});
