import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countSubmissions } from '../../src/storage/submission.repository.js';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';

describeEachDialect('POST /api/v1/submissions', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('201 with id, receipt and pending; the statement is stored with its declarants', async () => {
    const before = await countSubmissions(t.database.db);
    const family = validSubmission({
      declarants: [
        { displayName: '父亲', nameKind: 'pseudonym', organizations: ['party'], region: '510000', occupation: 'retired' },
        { displayName: '女儿', nameKind: 'real', organizations: ['youth_league', 'young_pioneers'], region: 'overseas' },
      ],
    });
    const response = await postJson(t.app, '/api/v1/submissions', family);
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['id', 'receipt', 'status']);
    assert.equal(body.status, 'pending');
    assert.match(body.receipt, /^[2-9A-Z]{4}(-[2-9A-Z]{4}){4}$/);
    assert.equal(await countSubmissions(t.database.db), before + 1);
    const rows = await t.database.db.selectFrom('declarant').selectAll().where('submission_id', '=', body.id).orderBy('position').execute();
    assert.deepEqual(
      rows.map((r) => [r.display_name, r.name_kind, r.party, r.youth_league, r.young_pioneers, r.region, r.occupation]),
      [
        ['父亲', 'pseudonym', 1, 0, 0, '510000', 'retired'],
        ['女儿', 'real', 0, 1, 1, 'overseas', null],
      ],
    );
    const stored = await t.database.db.selectFrom('submission').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.equal(stored.status, 'pending');
    assert.equal(stored.flagged, 1, 'no proof-of-work: flagged for closer review');
    assert.equal(stored.proof_of_work, 0);
    assert.ok(!JSON.stringify(stored).includes(body.receipt.replace(/-/g, '')), 'the receipt itself is not stored');
    assert.match(stored.received_at, /T\d\d:\d\d:00\.000Z$/, 'time kept to the minute only');
  });

  test('400 with a localized message naming the field, and nothing written', async () => {
    const before = await countSubmissions(t.database.db);
    const response = await postJson(
      t.app,
      '/api/v1/submissions',
      validSubmission({ declarants: [{ displayName: '', nameKind: 'pseudonym', organizations: ['party'], region: '440000' }] }),
      { 'accept-language': 'zh-TW' },
    );
    assert.equal(response.statusCode, 400);
    const { error, errors } = response.json();
    assert.equal(error.code, 'required');
    assert.equal(error.field, 'declarants[0].displayName');
    assert.match(error.message, /第 1 位聲明人 — 公佈的名字/);
    assert.equal(errors.length, 1);
    assert.equal(await countSubmissions(t.database.db), before);
  });

  test('HTML and SQL in every field are stored as plain text, never interpreted', async () => {
    const nasty = `<script>alert(1)</script>'); drop table submission; --`;
    const response = await postJson(
      t.app,
      '/api/v1/submissions',
      validSubmission({ title: nasty.slice(0, 100), text: nasty, declarants: [{ displayName: nasty.slice(0, 40), nameKind: 'real', organizations: ['party'], region: '110000' }] }),
    );
    assert.equal(response.statusCode, 201, response.body);
    const row = await t.database.db.selectFrom('submission').select('text').where('id', '=', response.json().id).executeTakeFirstOrThrow();
    assert.equal(row.text, nasty);
  });

  test('415 for other media types, 400 for malformed JSON, 413 for a huge body', async () => {
    const plain = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    assert.equal(plain.statusCode, 415);
    assert.equal(plain.json().error.code, 'unsupported_media_type');
    const broken = await postJson(t.app, '/api/v1/submissions', '{"language": "en",');
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'invalid_json');
    const empty = await postJson(t.app, '/api/v1/submissions', '');
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.code, 'invalid_json');
    const huge = await postJson(t.app, '/api/v1/submissions', validSubmission({ text: 'x'.repeat(400_000) }));
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, 'payload_too_large');
  });

  test('invalid UTF-8 is refused, not repaired', async () => {
    const bytes = Buffer.concat([Buffer.from('{"language":"en","title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","declarants":[]}')]);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'application/json' }, payload: bytes });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'invalid_encoding');
  });

  test('deeply nested JSON is refused without crashing', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await postJson(t.app, '/api/v1/submissions', deep);
    assert.ok([400, 413].includes(response.statusCode), String(response.statusCode));
  });

  test('contact details are refused when no recipient is configured', async () => {
    const before = await countSubmissions(t.database.db);
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ contact: 'phone 000' }));
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'contact_not_accepted');
    assert.equal(await countSubmissions(t.database.db), before);
  });

  test('concurrent submissions are all stored, each with its own receipt', async () => {
    const before = await countSubmissions(t.database.db);
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => postJson(t.app, '/api/v1/submissions', validSubmission({ title: `t${i}` }))));
    assert.ok(responses.every((r) => r.statusCode === 201));
    assert.equal(new Set(responses.map((r) => r.json().receipt)).size, 60);
    assert.equal(await countSubmissions(t.database.db), before + 60);
  });

  test('unknown API paths are 404 in the catalog shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'not_found');
  });
});
