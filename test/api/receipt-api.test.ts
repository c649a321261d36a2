import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';

describeEachDialect('receipt API', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  async function submit(): Promise<{ id: string; receipt: string }> {
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission());
    assert.equal(response.statusCode, 201);
    return response.json();
  }

  test('POST /api/v1/receipt shows the status and nothing private', async () => {
    const { receipt } = await submit();
    const response = await postJson(t.app, '/api/v1/receipt', { receipt: receipt.toLowerCase().replace(/-/g, ' ') });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['declarants', 'messages', 'receivedOn', 'registrationNumbers', 'status']);
    assert.equal(body.status, 'pending');
    assert.deepEqual(body.declarants, [{ displayName: '测试者甲' }]);
    assert.match(body.receivedOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('retraction: pending → retracted, then refused a second time', async () => {
    const { receipt, id } = await submit();
    const first = await postJson(t.app, '/api/v1/receipt/retract', { receipt });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().status, 'retracted');
    const row = await t.database.db.selectFrom('submission').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'retracted');
    const again = await postJson(t.app, '/api/v1/receipt/retract', { receipt });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'retraction_not_allowed');
    const status = await postJson(t.app, '/api/v1/receipt', { receipt });
    assert.equal(status.json().status, 'retracted');
  });

  test('a published statement can be retracted; a rejected one cannot', async () => {
    const published = await submit();
    await t.database.db.updateTable('submission').set({ status: 'published' }).where('id', '=', published.id).execute();
    assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt: published.receipt })).json().status, 'retracted');
    const rejected = await submit();
    await t.database.db.updateTable('submission').set({ status: 'rejected' }).where('id', '=', rejected.id).execute();
    assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt: rejected.receipt })).statusCode, 409);
  });

  test('concurrent retractions of one statement: exactly one succeeds', async () => {
    const { receipt } = await submit();
    const responses = await Promise.all(Array.from({ length: 8 }, () => postJson(t.app, '/api/v1/receipt/retract', { receipt })));
    assert.equal(responses.filter((r) => r.statusCode === 200).length, 1);
    assert.ok(responses.every((r) => r.statusCode === 200 || r.statusCode === 409));
  });

  test('missing, malformed and unknown receipts', async () => {
    const missing = await postJson(t.app, '/api/v1/receipt', {});
    assert.equal(missing.statusCode, 400);
    assert.deepEqual([missing.json().error.code, missing.json().error.field], ['required', 'receipt']);
    const malformed = await postJson(t.app, '/api/v1/receipt', { receipt: "' or 1=1 --" });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'receipt_malformed');
    const unknown = await postJson(t.app, '/api/v1/receipt', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'receipt_not_found');
    const retractUnknown = await postJson(t.app, '/api/v1/receipt/retract', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    assert.equal(retractUnknown.statusCode, 404);
  });
});
