// Promise 3: the receipt is stored only as a hash. After the whole life of two statements (one
// through the API, one through the form: submitted, looked up, retracted), no byte of the SQLite
// files and no row of any PostgreSQL table holds a receipt in any spelling — while the title,
// stored beside it, is found (the positive control: the search sees the data).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';
import { describeEachDialect } from './support/databases.js';
import { dumpPostgresRows, searchFiles, searchRows, type Hit } from './support/server-process.js';

const CONTROL_TITLE = '回执对照标题-7c1e';

/** Every spelling a careless write could leave: as shown, without dashes, in lower case. */
function spellings(receipt: string): string[] {
  const bare = receipt.replace(/-/g, '');
  return [receipt, bare, receipt.toLowerCase(), bare.toLowerCase()];
}

const describeHits = (hits: Hit[]) => hits.map((h) => JSON.stringify(h)).join('\n');

describeEachDialect('the receipt is stored only as a hash', (dialect) => {
  let t: TestApp;
  let receipts: string[];
  before(async () => {
    t = await createTestApp(dialect, { logLevel: 'debug' });
    const api = await postJson(t.app, '/api/v1/submissions', validSubmission({ title: CONTROL_TITLE }));
    assert.equal(api.statusCode, 201);
    const form = await postForm(t.app, '/zh-hans/submit', [['title', CONTROL_TITLE], ['d0.displayName', '甲'], ['d0.nameKind', 'real'], ['d0.organizations', 'party'], ['d0.region', '110000']]);
    const formReceipt = /<output>([^<]+)<\/output>/.exec(form.body)?.[1];
    assert.ok(formReceipt, 'the form showed a receipt');
    const apiReceipt = api.json().receipt as string;
    for (const response of [
      await postJson(t.app, '/api/v1/receipt', { receipt: apiReceipt }),
      await postForm(t.app, '/en/receipt', [['receipt', formReceipt]]),
      await postJson(t.app, '/api/v1/receipt/retract', { receipt: apiReceipt }),
      await postForm(t.app, '/en/receipt/retract', [['receipt', formReceipt]]),
    ]) {
      assert.equal(response.statusCode, 200, response.body);
    }
    receipts = [apiReceipt, formReceipt].flatMap(spellings);
  });
  after(() => t.close());

  test('both statements went through retraction', async () => {
    const statuses = await t.database.db.selectFrom('submission').select('status').execute();
    assert.deepEqual(statuses.map((s) => s.status), ['retracted', 'retracted']);
  });

  if (dialect === 'sqlite') {
    test('no byte of the SQLite files (database, -wal, -shm) holds a receipt', () => {
      const control = searchFiles([t.dataDir], [CONTROL_TITLE]);
      assert.ok(control.hits.length > 0, 'the positive control (the stored title) was not found: the search sees nothing');
      const { hits } = searchFiles([t.dataDir], receipts);
      assert.deepEqual(hits, [], `a receipt on disk:\n${describeHits(hits)}`);
    });
  } else {
    test('no row of any table holds a receipt', async () => {
      const dump = await dumpPostgresRows(t.database.db);
      assert.ok(searchRows(dump, [CONTROL_TITLE]).length > 0, 'the positive control (the stored title) was not found');
      const hits = searchRows(dump, receipts);
      assert.deepEqual(hits, [], `a receipt in the database:\n${describeHits(hits)}`);
    });
  }

  test('no log line holds a receipt', () => {
    const logs = t.logs.join('');
    assert.ok(logs.includes('"route":"/api/v1/receipt/retract"'), 'request lines were logged at debug level');
    for (const receipt of receipts) assert.ok(!logs.includes(receipt), 'a receipt in a log line');
  });
});
