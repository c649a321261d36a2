import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countSubmissions } from '../../src/storage/submission.repository.js';
import { describeEachDialect } from '../support/databases.js';
import type { ErrorCode } from '../../src/domain/error-catalog.js';
import { errorMessage } from '../../src/domain/service-error.js';
import { errorId } from '../../src/web/views/field-errors.js';
import { createTestApp, postForm, postJson, type TestApp } from '../support/app.js';

const person: [string, string][] = [
  ['d0.displayName', '表单测试者'],
  ['d0.nameKind', 'pseudonym'],
  ['d0.organizations', 'party'],
  ['d0.organizations', 'young_pioneers'],
  ['d0.region', '320000'],
];

describeEachDialect('the statement form without JavaScript', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('GET /{locale}/submit renders in each locale without any cookie', async () => {
    for (const [locale, word] of [['zh-hans', '声明'], ['zh-hant', '聲明'], ['en', 'Statement']] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/${locale}/submit` });
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /text\/html/);
      assert.ok(response.body.includes(word));
      assert.equal(response.headers['set-cookie'], undefined);
      assert.ok(!response.body.includes('name="contact"'), 'no contact field without a recipient');
    }
  });

  test('a valid form shows the receipt once, never cached, and stores the statement', async () => {
    const before = await countSubmissions(t.database.db);
    const response = await postForm(t.app, '/zh-hans/submit', [['language', 'zh-hans'], ...person, ['text', '合成的声明文字'], ['website', ''], ['altcha', '']]);
    assert.equal(response.statusCode, 201, response.body.slice(0, 500));
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(response.body, /<output>[2-9A-Z]{4}(-[2-9A-Z]{4}){4}<\/output>/);
    assert.equal(response.headers.location, undefined, 'no redirect: the receipt would have to travel in it');
    assert.equal(await countSubmissions(t.database.db), before + 1);
    const row = await t.database.db.selectFrom('declarant').selectAll().orderBy('submission_id').execute();
    assert.ok(row.some((r) => r.display_name === '表单测试者' && r.party === 1 && r.young_pioneers === 1 && r.youth_league === 0));
  });

  test('errors come back beside their fields with the input kept, and nothing is written', async () => {
    const before = await countSubmissions(t.database.db);
    const response = await postForm(t.app, '/en/submit', [
      ['d0.displayName', ''],
      ['d0.nameKind', 'real'],
      ['d0.region', '330000'],
      ['title', 'Kept <title>'],
      ['text', 'Kept text & more'],
    ]);
    assert.equal(response.statusCode, 400);
    const html = response.body;
    assert.match(html, /id="error-declarants-0-displayName"[^>]*>Person 1 — Name to publish: this is required\./);
    assert.match(html, /id="error-declarants-0-organizations"/);
    assert.match(html, /<input id="d0-displayName"[^>]*aria-invalid="true"/);
    assert.match(html, /<option value="330000" selected/);
    assert.match(html, /value="real" checked/);
    assert.ok(html.includes('value="Kept &lt;title>"'), 'title kept and escaped');
    assert.ok(html.includes('Kept text &amp; more</textarea>'));
    assert.equal(await countSubmissions(t.database.db), before);
  });

  test('errors are in the page\'s language, beside each field and in the summary, the same words as the API\'s', async () => {
    // The same bad statement through the API, in each language: the codes and fields to expect.
    const bad = { language: 'zh-hans', declarants: [{ displayName: '', nameKind: 'real', organizations: [], region: '330000' }] };
    const seen = new Set<string>();
    let count = 0;
    for (const [locale, acceptLanguage] of [['zh-hans', 'zh-CN'], ['zh-hant', 'zh-TW'], ['en', 'en']] as const) {
      const api = await postJson(t.app, '/api/v1/submissions', bad, { 'accept-language': acceptLanguage });
      assert.equal(api.statusCode, 400);
      const errors = api.json().errors as { code: string; field: string; message: string }[];
      assert.ok(errors.length >= 2, JSON.stringify(errors));
      const form = await postForm(t.app, `/${locale}/submit`, [['d0.displayName', ''], ['d0.nameKind', 'real'], ['d0.region', '330000']]);
      assert.equal(form.statusCode, 400);
      const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(form.body)?.[1] ?? '';
      for (const e of errors) {
        assert.equal(e.message, errorMessage({ code: e.code as ErrorCode, field: e.field }, locale), `${locale}: the API's message`);
        const message = e.message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        if (locale !== 'en') assert.match(e.message, /\p{Script=Han}/u, `${locale}: ${e.message}`);
        const beside = new RegExp(`id="${errorId(e.field)}"[^>]*>([^<]*)<`).exec(form.body)?.[1];
        assert.ok(beside?.includes(message), `${locale}: beside ${e.field}: ${beside}`);
        assert.ok(summary.includes(`<li>${message}</li>`), `${locale}: summary lacks ${message}`);
        seen.add(e.message);
        count++;
      }
    }
    assert.equal(seen.size, count, 'no message is the same in two languages');
  });

  test('"add another person" adds a fieldset and sends nothing; blank extra people are ignored', async () => {
    const before = await countSubmissions(t.database.db);
    const added = await postForm(t.app, '/zh-hant/submit', [...person, ['action', 'add-person']]);
    assert.equal(added.statusCode, 200);
    assert.ok(added.body.includes('name="d1.displayName"'));
    assert.ok(added.body.includes('value="表单测试者"'));
    assert.equal(await countSubmissions(t.database.db), before);

    const sent = await postForm(t.app, '/zh-hant/submit', [...person, ['d1.displayName', ''], ['d1.nameKind', 'pseudonym'], ['d1.region', '']]);
    assert.equal(sent.statusCode, 201, sent.body.slice(0, 300));
    const family = await postForm(t.app, '/zh-hant/submit', [
      ...person,
      ['d1.displayName', '家人'],
      ['d1.nameKind', 'real'],
      ['d1.organizations', 'youth_league'],
      ['d1.region', 'overseas'],
    ]);
    assert.equal(family.statusCode, 201);
    assert.equal(await countSubmissions(t.database.db), before + 2);
  });

  test('the honeypot refuses with a clear message and writes nothing', async () => {
    const before = await countSubmissions(t.database.db);
    const response = await postForm(t.app, '/en/submit', [...person, ['website', 'http://spam.example']]);
    assert.equal(response.statusCode, 400);
    assert.ok(response.body.includes('this hidden field must stay empty'));
    assert.equal(await countSubmissions(t.database.db), before);
  });

  test('a field sent twice where one is expected is refused, not guessed', async () => {
    const response = await postForm(t.app, '/en/submit', [...person, ['title', 'a'], ['title', 'b']]);
    assert.equal(response.statusCode, 400);
    assert.ok(response.body.includes('Title: the value has the wrong type.'));
  });

  test('bad percent-encoding is refused with a localized page', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/zh-hans/submit',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'd0.displayName=%C3%28&title=%E0%A4%A',
    });
    assert.equal(response.statusCode, 400);
    assert.ok(response.body.includes('请求内容不是有效的 UTF-8 文本'));
  });

  test('receipt page: look up, then retract, with the receipt only ever in POST bodies', async () => {
    const created = await postForm(t.app, '/en/submit', person);
    const receipt = /<output>([^<]+)<\/output>/.exec(created.body)![1]!;
    const page = await t.app.inject({ method: 'GET', url: '/en/receipt' });
    assert.match(page.body, /<form method="post" action="\/en\/receipt"/);
    const status = await postForm(t.app, '/en/receipt', [['receipt', receipt]]);
    assert.equal(status.statusCode, 200);
    assert.match(status.body, /data-status="pending">Waiting for review/);
    assert.match(status.body, /<form method="post" action="\/en\/receipt\/retract"/);
    assert.equal(status.headers['cache-control'], 'no-store');
    const retracted = await postForm(t.app, '/en/receipt/retract', [['receipt', receipt]]);
    assert.equal(retracted.statusCode, 200);
    assert.match(retracted.body, /Your statement has been retracted/);
    assert.match(retracted.body, /data-status="retracted"/);
    assert.ok(!retracted.body.includes('action="/en/receipt/retract"'), 'no second retract button');
    const wrong = await postForm(t.app, '/en/receipt', [['receipt', 'nope']]);
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.body.includes('Receipt: this is not a receipt.'));
    assert.ok(wrong.body.includes('value="nope"'), 'input kept');
  });

  test('unknown locales and pages are a localized 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/fr/submit', headers: { 'accept-language': 'zh-TW' } });
    assert.equal(response.statusCode, 404);
    assert.ok(response.body.includes('此地址沒有內容'));
  });

  test('/ redirects to the reader\'s locale', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/zh-hant/');
    const home = await t.app.inject({ method: 'GET', url: '/zh-hant/' });
    assert.equal(home.statusCode, 200);
    assert.ok(home.body.includes('href="/zh-hant/submit"'));
  });
});
