// Any web page can hold a form that posts to /{locale}/submit: its visitors' browsers would fill
// the review queue without their knowing. Browsers say where a request comes from
// (Sec-Fetch-Site): another site's request is refused with a localized page and nothing is
// written; this site's own pages, and clients that send no fetch metadata, still work.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { assertNothingWritten, tableCounts } from '../fuzz/fuzz-support.js';

const FORM = new URLSearchParams([['d0.displayName', '跨站测试'], ['d0.nameKind', 'pseudonym'], ['d0.organizations', 'party'], ['d0.region', '110000']]).toString();
/** A phrase of the refusal in each locale, written here rather than read from the catalog. */
const REFUSAL = { en: 'sent from another website', 'zh-hans': '从其他网站发送', 'zh-hant': '從其他網站送出' } as const;
const HTML_LANG = { en: 'en', 'zh-hans': 'zh-Hans', 'zh-hant': 'zh-Hant' } as const;

describeEachDialect('cross-site form posts are refused', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  const postForm = (url: string, site: string | undefined, payload = FORM) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(site === undefined ? {} : { 'sec-fetch-site': site }) },
      payload,
    });

  test('a submit form from another site (cross-site or same-site) gets a localized 403 page and nothing is written', async () => {
    for (const locale of ['en', 'zh-hans', 'zh-hant'] as const) {
      for (const site of ['cross-site', 'same-site', 'CROSS-SITE', 'same-origin, cross-site']) {
        const before = await tableCounts(t.database);
        const response = await postForm(`/${locale}/submit`, site);
        assert.equal(response.statusCode, 403, `${locale} ${site}`);
        assert.match(String(response.headers['content-type']), /^text\/html/);
        assert.ok(response.body.includes(`<html lang="${HTML_LANG[locale]}"`), `${locale}: the page is in the form's language`);
        assert.ok(response.body.includes(REFUSAL[locale]), `${locale} ${site}: the refusal is explained`);
        assert.ok(!response.body.includes('跨站测试'), 'the posted name is not echoed');
        assertNothingWritten(before, await tableCounts(t.database), `${locale} ${site}`);
      }
    }
  });

  test('the receipt look-up and retraction forms from another site are refused too', async () => {
    for (const url of ['/en/receipt', '/zh-hans/receipt/retract']) {
      const response = await postForm(url, 'cross-site', 'receipt=AAAAAAAAAAAAAAAAAAAA');
      assert.equal(response.statusCode, 403, url);
      assert.ok(response.body.includes(url.startsWith('/en') ? REFUSAL.en : REFUSAL['zh-hans']), url);
    }
  });

  test('this site’s own form (same-origin), a request the person started (none) and a client without fetch metadata are accepted', async () => {
    for (const site of ['same-origin', 'none', undefined]) {
      const response = await postForm('/zh-hans/submit', site);
      assert.equal(response.statusCode, 201, `${site}: ${response.body.slice(0, 200)}`);
    }
  });

  test('the JSON API refuses a browser request from another site with the code, and serves clients without the header', async () => {
    const before = await tableCounts(t.database);
    const refused = await postJson(t.app, '/api/v1/submissions', validSubmission(), { 'sec-fetch-site': 'cross-site', 'accept-language': 'zh-TW' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'cross_site_refused');
    assert.ok(refused.json().error.message.includes(REFUSAL['zh-hant']));
    assertNothingWritten(before, await tableCounts(t.database), 'API cross-site');
    for (const headers of [{}, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
      const response = await postJson(t.app, '/api/v1/submissions', validSubmission(), headers);
      assert.equal(response.statusCode, 201, response.body);
    }
  });
});
