// Named nasty bodies, through the JSON API and the forms, on both databases: each refused with
// its catalogued code, and nothing written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { assertCatalogedJsonError, assertNothingWritten, assertRefusedPage, tableCounts } from '../fuzz/fuzz-support.js';

describeEachDialect('malformed bodies are refused and write nothing', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  async function refused(url: string, contentType: string | undefined, payload: string | Buffer, code: string) {
    const before = await tableCounts(t.database);
    const response = await t.app.inject({ method: 'POST', url, headers: contentType ? { 'content-type': contentType } : {}, payload });
    const context = `${url} ${contentType} ${String(payload).slice(0, 60)}`;
    if (url.startsWith('/api/')) assert.equal(assertCatalogedJsonError(response, context)[0], code, context);
    else assertRefusedPage(response, context);
    assertNothingWritten(before, await tableCounts(t.database), context);
    return response;
  }

  test('huge body: over 256 KiB is 413 payload_too_large, on the API and the form', async () => {
    const huge = JSON.stringify(validSubmission({ text: '长'.repeat(100_000) }));
    await refused('/api/v1/submissions', 'application/json', huge, 'payload_too_large');
    await refused('/api/v1/receipt', 'application/json', JSON.stringify({ receipt: 'x'.repeat(300_000) }), 'payload_too_large');
    const form = await refused('/en/submit', 'application/x-www-form-urlencoded', `text=${'a'.repeat(300_000)}`, 'payload_too_large');
    assert.equal(form.statusCode, 413);
  });

  test('deep JSON nesting: 100,000 levels are refused without a crash', async () => {
    for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000)]) {
      const before = await tableCounts(t.database);
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'application/json' }, payload: deep });
      assert.ok([400, 413].includes(response.statusCode), `${response.statusCode}`);
      assertCatalogedJsonError(response, 'deep');
      assertNothingWritten(before, await tableCounts(t.database), 'deep');
    }
    const nested = validSubmission({ declarants: [{ ...(validSubmission().declarants as object[])[0], displayName: JSON.parse('['.repeat(500) + ']'.repeat(500)) }] });
    const response = await refused('/api/v1/submissions', 'application/json', JSON.stringify(nested), 'wrong_type');
    assert.equal(response.json().error.field, 'declarants[0].displayName');
  });

  test('invalid UTF-8 is refused as invalid_encoding, never replaced with U+FFFD and stored', async () => {
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xb8]]) {
      const json = Buffer.concat([Buffer.from('{"language":"en","title":"'), Buffer.from(bytes), Buffer.from('","declarants":[]}')]);
      await refused('/api/v1/submissions', 'application/json', json, 'invalid_encoding');
      await refused('/api/v1/receipt', 'application/json', json, 'invalid_encoding');
      await refused('/en/submit', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from('d0.displayName='), Buffer.from(bytes)]), 'invalid_encoding');
    }
    // Broken percent-encoding in a form, and percent-encoded bytes that are not UTF-8.
    for (const body of ['d0.displayName=%', 'd0.displayName=%zz', 'd0.displayName=%FF', 'title=%ED%A0%80']) {
      await refused('/zh-hans/submit', 'application/x-www-form-urlencoded', body, 'invalid_encoding');
    }
  });

  test('wrong content type: anything but JSON or a urlencoded form is 415', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/x-www-form-urlencoded-x', 'text/json']) {
      await refused('/api/v1/submissions', type, JSON.stringify(validSubmission()), 'unsupported_media_type');
      const page = await refused('/en/submit', type, 'd0.displayName=x', 'unsupported_media_type');
      assert.equal(page.statusCode, 415);
    }
  });

  test('missing or empty body: refused as invalid_json (API) or the form shown again (form)', async () => {
    await refused('/api/v1/submissions', 'application/json', '', 'invalid_json');
    await refused('/api/v1/submissions', 'application/json', 'null', 'wrong_type');
    await refused('/api/v1/submissions', 'application/json', '[]', 'wrong_type');
    await refused('/api/v1/receipt/retract', 'application/json', '', 'invalid_json');
    await refused('/api/v1/receipt', 'application/json', '{}', 'required');
    const form = await refused('/en/submit', 'application/x-www-form-urlencoded', '', 'required');
    assert.equal(form.statusCode, 400);
    // No content type and no body at all: nothing to parse, and the validator refuses the nothing.
    const before = await tableCounts(t.database);
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/submissions' });
    assert.equal(bare.statusCode, 400);
    assertCatalogedJsonError(bare, 'bare POST');
    assertNothingWritten(before, await tableCounts(t.database), 'bare POST');
  });

  test('duplicated JSON keys: the last one wins (as JSON.parse reads it), so a hidden first value is never what is stored', async () => {
    const raw = '{"language":"xx","language":"en","declarants":[{"displayName":"<b>first</b>","displayName":"second","nameKind":"real","organizations":["party"],"region":"110000"}]}';
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'application/json' }, payload: raw });
    assert.equal(response.statusCode, 201, response.body);
    const row = await t.database.db.selectFrom('declarant').select('display_name').where('submission_id', '=', response.json().id).executeTakeFirstOrThrow();
    assert.equal(row.display_name, 'second');
    // And the last one is validated: a bad last value is refused even after a good first one.
    await refused('/api/v1/submissions', 'application/json', '{"language":"en","language":"xx","declarants":[]}', 'not_in_list');
    // A repeated form field where one is expected is refused, never narrowed to one of them.
    const form = await refused('/en/submit', 'application/x-www-form-urlencoded', 'd0.displayName=a&d0.displayName=b&d0.nameKind=real&d0.organizations=party&d0.region=110000', 'wrong_type');
    assert.match(form.body, /wrong type|類型|类型/);
  });
});
