import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';

// Promise 3: the receipt is shown once, stored only as a hash, never in a URL, log or redirect.
describe('the receipt never appears in a URL, a redirect or a log line', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { logLevel: 'debug' });
  });
  after(() => t.close());

  test('through the whole life of a statement', async () => {
    const api = (await postJson(t.app, '/api/v1/submissions', validSubmission())).json().receipt as string;
    const form = await postForm(t.app, '/zh-hans/submit', [['d0.displayName', '甲'], ['d0.nameKind', 'real'], ['d0.organizations', 'party'], ['d0.region', '110000']]);
    const formReceipt = /<output>([^<]+)<\/output>/.exec(form.body)![1]!;
    const responses = [
      form,
      await postJson(t.app, '/api/v1/receipt', { receipt: api }),
      await postForm(t.app, '/en/receipt', [['receipt', formReceipt]]),
      await postForm(t.app, '/en/receipt/retract', [['receipt', formReceipt]]),
      await postJson(t.app, '/api/v1/receipt/retract', { receipt: api }),
    ];
    const receipts = [api, formReceipt].flatMap((r) => [r, r.replace(/-/g, '')]);
    for (const response of responses) {
      assert.equal(response.headers.location, undefined);
      for (const [, link] of response.body.matchAll(/(?:href|action|src)="([^"]*)"/g)) {
        for (const receipt of receipts) assert.ok(!link!.includes(receipt), `receipt in a link: ${link}`);
      }
    }
    const logs = t.logs.join('');
    assert.ok(logs.includes('"route":"/api/v1/receipt"'), 'request lines were logged at debug level');
    for (const receipt of receipts) assert.ok(!logs.includes(receipt), 'receipt in a log line');
  });

  test('a receipt in a query string is not read', async () => {
    const { receipt } = (await postJson(t.app, '/api/v1/submissions', validSubmission())).json();
    const response = await t.app.inject({ method: 'GET', url: `/en/receipt?receipt=${receipt}` });
    assert.ok(!response.body.includes(receipt));
  });
});
