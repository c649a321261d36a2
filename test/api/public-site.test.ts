import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { xml2js, type Element } from 'xml-js';
import { addTranslation } from '../support/translations.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';

const LOCALES = ['zh-hans', 'zh-hant', 'en'] as const;
const HOSTILE_TITLE = '<script>alert(1)</script> ]]> & "quotes"';

/** Every published field a statement may show (promise 4), and nothing else. */
const STATEMENT_FIELDS = ['commitmentSalt', 'declarants', 'featured', 'language', 'publishedOn', 'registrationNumber', 'text', 'title', 'updatedOn'];
const DECLARANT_FIELDS = ['displayName', 'nameKind', 'occupation', 'organizations', 'region'];

describeEachDialect('public site: pages, feeds and API over published statements', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let family: { id: string; receipt: string; number: number };
  let single: { id: string; receipt: string; number: number };
  let hostile: { id: string; number: number };
  let pending: { id: string };
  let retracted: { id: string; receipt: string; number: number };

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const publish = async (overrides: Record<string, unknown>) => {
    const submitted = await submitPublic(t.app, overrides);
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    return { ...submitted, number: published!.registrationNumber };
  };

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'site-editor', 'editor');
    family = await publish({
      title: '全家声明',
      text: '我们一家三口声明退出，发表声明。\n\n第二段：愿家人平安。',
      declarants: [
        { displayName: '王小明', nameKind: 'real', organizations: ['party'], region: '110000', occupation: 'education' },
        { displayName: '山间清风', nameKind: 'pseudonym', organizations: ['youth_league', 'young_pioneers'], region: '440000' },
      ],
    });
    single = await publish({ language: 'en', title: null, text: 'I withdraw from the Youth League of my own free will.', declarants: [{ displayName: 'Quiet River', nameKind: 'pseudonym', organizations: ['youth_league'], region: 'overseas' }] });
    hostile = await publish({ title: HOSTILE_TITLE, text: '<img src=x onerror=alert(1)> \'; DROP TABLE submission; --' });
    retracted = await publish({ title: '将被撤回', declarants: [{ displayName: '撤回者', nameKind: 'pseudonym', organizations: ['party'], region: '310000' }] });
    pending = await submitPublic(t.app, { title: '尚未审核', declarants: [{ displayName: '待审者', nameKind: 'pseudonym', organizations: ['party'], region: '120000' }] });
  });
  after(() => t.close());

  test('a retraction through the receipt takes the statement off every page at once, cached ones included, and lowers the count by its persons', async () => {
    // Featured too, so that it is on the articles pages and their feed.
    await featureStatement(t.database, retracted.id, true, editor.member);
    const showing = [
      '/zh-hans/', '/zh-hans/statements', `/zh-hans/statements/${today()}`, '/en/feed.atom', '/zh-hant/articles', '/en/articles',
      '/zh-hans/articles/feed.atom', '/zh-hans/categories/regions/310000', `/zh-hans/search?q=${encodeURIComponent('撤回者')}`,
      '/api/v1/statements', `/api/v1/statements/${retracted.number}`, `/en/s/${retracted.number}`,
    ];
    // Asked for twice, every page is in the page cache (it keeps a page from its second request on).
    for (let round = 0; round < 2; round++) {
      for (const url of showing) {
        const response = await get(url);
        assert.equal(response.statusCode, 200, url);
        assert.ok(response.body.includes('撤回者'), `${url} shows the statement before the retraction`);
        if (url.includes('/search')) assert.ok(response.body.includes(`/s/${retracted.number}"`), `${url} links to the statement before the retraction`);
      }
    }
    // The counter is the tally of the transparency log's latest checkpoint (docs/log.md).
    await t.app.logSequencer.drain();
    const before = (await get('/api/v1/stats')).json().total;
    assert.equal((await get('/api/v1/stats')).json().total, before, 'the count is cached too');
    // Retract as the declarant would, with the receipt given at submission.
    const response = await postJson(t.app, '/api/v1/receipt/retract', { receipt: retracted.receipt });
    assert.equal(response.statusCode, 200, response.body);
    // At once: no page, feed or API answer may keep it, cached or not.
    assert.equal((await get(`/en/s/${retracted.number}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/statements/${retracted.number}`)).statusCode, 404);
    // The counter once the log has the retraction (within a second in `serve`).
    await t.app.logSequencer.drain();
    assert.equal((await get('/api/v1/stats')).json().total, before - 1);
    for (const url of showing.slice(0, -2)) {
      const body = (await get(url)).body;
      // The search page repeats the query; there the link to the statement tells.
      const shown = url.includes('/search') ? body.includes(`/s/${retracted.number}"`) : body.includes('撤回者');
      assert.ok(!shown, `${url} still shows the retracted statement`);
    }
  });

  test('the count is of persons, not statements or requests, and JSON and XML agree', async () => {
    await t.app.logSequencer.drain();
    const stats = (await get('/api/v1/stats')).json();
    assert.deepEqual(Object.keys(stats).sort(), ['byChannel', 'byOrganization', 'byRegion', 'day', 'lastUpdate', 'log', 'thisMonth', 'thisWeek', 'today', 'total', 'yesterday']);
    // family (2) + single (1) + hostile (1) + retracted (1, until it is retracted) published; pending never counts.
    const published = await t.database.db.selectFrom('declarant').innerJoin('submission', 'submission.id', 'declarant.submission_id')
      .select((eb) => eb.fn.countAll<string | number>().as('n')).where('submission.status', '=', 'published').executeTakeFirstOrThrow();
    assert.equal(stats.total, Number(published.n));
    assert.equal(stats.today, stats.total);
    assert.equal(stats.thisMonth, stats.total);
    assert.equal(stats.byOrganization.young_pioneers, 1);
    const xml = (await get('/api/v1/stats.xml'));
    assert.match(String(xml.headers['content-type']), /^application\/xml/);
    const root = (xml2js(xml.body) as Element).elements!.find((e) => e.type === 'element')!;
    const value = (name: string) => root.elements!.find((e) => e.name === name)?.elements?.[0]?.text;
    assert.equal(Number(value('TOTAL')), stats.total);
    assert.equal(Number(value('TODAY')), stats.today);
    assert.equal(Number(value('YESTERDAY')), stats.yesterday);
    assert.equal(Number(value('THISWEEK')), stats.thisWeek);
    assert.equal(Number(value('THISMONTH')), stats.thisMonth);
    assert.equal(value('LASTUPDATE'), stats.lastUpdate);
  });

  test('the statements API exposes exactly the published fields', async () => {
    const one = (await get(`/api/v1/statements/${family.number}`)).json();
    assert.deepEqual(Object.keys(one).sort(), STATEMENT_FIELDS);
    for (const d of one.declarants) assert.deepEqual(Object.keys(d).sort(), DECLARANT_FIELDS);
    assert.deepEqual(one.declarants.map((d: { displayName: string }) => d.displayName), ['王小明', '山间清风']);
    const list = (await get(`/api/v1/statements?date=${today()}`)).json();
    assert.deepEqual(Object.keys(list).sort(), ['date', 'hasMore', 'page', 'statements']);
    for (const s of list.statements) assert.deepEqual(Object.keys(s).sort(), STATEMENT_FIELDS);
    assert.ok(list.statements.some((s: { registrationNumber: number }) => s.registrationNumber === single.number));
  });

  test('private columns never reach a page, a feed or the API', async () => {
    const markers = { contact: 'PRIVATE-CONTACT-7f3a', reviewer: 'PRIVATE-REVIEWER-7f3a', nameKey: 'private-namekey-7f3a', enteredBy: 'PRIVATE-VOLUNTEER-7f3a' };
    await t.database.db.updateTable('submission')
      .set({ contact_ciphertext: markers.contact, reviewed_by: markers.reviewer, entered_by: markers.enteredBy })
      .where('id', '=', family.id).execute();
    await t.database.db.updateTable('declarant').set({ name_key: markers.nameKey }).where('submission_id', '=', family.id).execute();
    const urls = [
      ...LOCALES.flatMap((l) => [`/${l}/`, `/${l}/statements`, `/${l}/statements/${today()}`, `/${l}/s/${family.number}`, `/${l}/articles`,
        `/${l}/categories/regions/110000`, `/${l}/categories/organizations/party`, `/${l}/categories/occupations/education`,
        `/${l}/search?q=${encodeURIComponent('王小明')}`, `/${l}/feed.atom`, `/${l}/articles/feed.atom`]),
      '/api/v1/statements', `/api/v1/statements/${family.number}`, `/api/v1/statements?date=${today()}`,
    ];
    // Changed by hand, without a publication event: the cached pages are emptied by hand too.
    t.app.forgetCachedPages();
    for (const url of urls) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      for (const secret of [...Object.values(markers), family.id, family.receipt, pending.id]) {
        assert.ok(!response.body.includes(secret), `${url} shows ${secret}`);
      }
    }
    // The family's own page does show what it may: names, organisations, region, occupation, text.
    const page = (await get(`/en/s/${family.number}`)).body;
    for (const shown of ['王小明', '山间清风', 'Beijing', 'Education', 'Chinese Communist Party', 'pseudonym']) assert.ok(page.includes(shown), shown);
  });

  test('nothing pending is published anywhere', async () => {
    for (const url of ['/zh-hans/', '/zh-hans/statements', `/zh-hans/statements/${today()}`, '/zh-hans/feed.atom', '/api/v1/statements', '/zh-hans/categories/regions/120000']) {
      assert.ok(!(await get(url)).body.includes('待审者'), url);
    }
    const numbers = await t.database.db.selectFrom('submission').select('registration_number').where('id', '=', pending.id).executeTakeFirstOrThrow();
    assert.equal(numbers.registration_number, null);
  });

  test('user text shows in the reader’s script, and a translator’s version is shown marked as one', async () => {
    assert.ok((await get(`/zh-hant/s/${family.number}`)).body.includes('發表聲明'));
    assert.ok((await get(`/zh-hans/s/${family.number}`)).body.includes('发表声明'));
    // With its `translated` event, as the translation command will: the cached pages follow it.
    await addTranslation(t.database, {
      submission_id: family.id, locale: 'en', title: 'A family statement', text: 'We, a family of three, withdraw.', translator_id: editor.id, updated_at: new Date().toISOString(),
    });
    const english = (await get(`/en/s/${family.number}`)).body;
    assert.ok(english.includes('We, a family of three, withdraw.'));
    assert.ok(english.includes('translation by the center'));
    assert.ok(!(await get(`/zh-hans/s/${family.number}`)).body.includes('translation by the center'));
  });

  test('hostile text is escaped on pages and in feeds, and the feeds parse as Atom', async () => {
    const page = (await get(`/en/s/${hostile.number}`)).body;
    assert.ok(!page.includes('<script>alert(1)'));
    assert.ok(!page.includes('<img src=x'));
    assert.ok(page.includes('&lt;script'));
    for (const locale of LOCALES) {
      for (const path of ['feed.atom', 'articles/feed.atom']) {
        const response = await get(`/${locale}/${path}`);
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^application\/atom\+xml/);
        const feed = (xml2js(response.body) as Element).elements!.find((e) => e.type === 'element')!;
        assert.equal(feed.name, 'feed');
        assert.equal(feed.attributes?.xmlns, 'http://www.w3.org/2005/Atom');
        for (const entry of feed.elements!.filter((e) => e.name === 'entry')) {
          const content = entry.elements!.find((e) => e.name === 'content')!;
          const html = content.elements!.map((e) => e.cdata ?? e.text ?? '').join('');
          assert.ok(!/<script|<img/i.test(html), 'feed content carries live markup');
          const title = entry.elements!.find((e) => e.name === 'title')!.elements!.map((e) => e.cdata ?? e.text ?? '').join('');
          assert.ok(!title.includes('<script'), 'feed title carries live markup');
        }
      }
    }
    const latest = (xml2js((await get('/en/feed.atom')).body) as Element).elements![0]!;
    const links = latest.elements!.filter((e) => e.name === 'entry').map((e) => e.elements!.find((x) => x.name === 'link')!.attributes!.href);
    assert.ok(links.some((l) => String(l).endsWith(`/en/s/${family.number}`)));
  });

  test('a feed never takes its links from a forged Host header into anyone else’s cache', async () => {
    const forged = await get('/en/feed.atom', { host: 'evil.example' });
    assert.ok(forged.body.includes('http://evil.example/en/'));
    const honest = await get('/en/feed.atom', { host: 'center.example' });
    assert.ok(!honest.body.includes('evil.example'));
    const broken = await get('/en/feed.atom', { host: 'x"><script>' });
    assert.ok(!broken.body.includes('<script>'));
  });

  test('pages carry ETag and Cache-Control, answer 304 to a matching If-None-Match, and change after a publication', async () => {
    const first = await get('/zh-hans/');
    assert.equal(first.statusCode, 200);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.match(String(first.headers['cache-control']), /^public, max-age=\d+$/);
    assert.ok(first.headers['content-security-policy']);
    const again = await get('/zh-hans/', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const stats = await get('/api/v1/stats');
    assert.match(String(stats.headers['cache-control']), /^public, max-age=\d+$/);
    assert.ok(stats.headers.etag);
    const fresh = await publish({ title: '新的声明', declarants: [{ displayName: '新来者', nameKind: 'pseudonym', organizations: ['party'], region: '500000' }] });
    const after = await get('/zh-hans/', { 'if-none-match': etag });
    assert.equal(after.statusCode, 200, 'the cached home page was not dropped by the publication');
    assert.ok(after.body.includes('新来者'));
    assert.ok((await get(`/zh-hans/s/${fresh.number}`)).body.includes('新来者'));
  });

  test('cached pages are sent gzipped to readers that accept it, with their own validator', async () => {
    const { gunzipSync } = await import('node:zlib');
    const plain = await get('/en/statements');
    // The first request of a page is sent as it is; from the second on, gzipped.
    await t.app.inject({ method: 'GET', url: '/en/statements', headers: { 'accept-encoding': 'gzip' } });
    const zipped = await t.app.inject({ method: 'GET', url: '/en/statements', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(zipped.headers.vary), /accept-encoding/i);
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.body);
    assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 2);
    assert.notEqual(zipped.headers.etag, plain.headers.etag);
    const again = await t.app.inject({ method: 'GET', url: '/en/statements', headers: { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) } });
    assert.equal(again.statusCode, 304);
    // The receipt page (a secret on it) is never cached, so never compressed alongside attacker-chosen text.
    const receipt = await t.app.inject({ method: 'GET', url: '/en/receipt', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(receipt.headers['content-encoding'], undefined);
  });

  test('day lists show the day’s statements with their count and the days around', async () => {
    const day = await get(`/en/statements/${today()}`);
    assert.equal(day.statusCode, 200);
    assert.ok(day.body.includes('Quiet River'));
    assert.match(day.body, /\d+ statements, \d+ people/);
    const empty = await get('/en/statements/2001-01-01');
    assert.equal(empty.statusCode, 200);
    assert.ok(empty.body.includes(`/en/statements/${today()}`), 'the next day with statements is linked');
  });

  test('categories list the statements of a region, an occupation and an organisation set; unknown ones are 404', async () => {
    assert.ok((await get('/en/categories/regions/110000')).body.includes('王小明'));
    assert.ok((await get('/en/categories/occupations/education')).body.includes('王小明'));
    assert.ok((await get('/en/categories/organizations/youth_league+young_pioneers')).body.includes('山间清风'));
    // A statement is listed under each of its declarants' sets: the family shows under "party" too.
    assert.ok((await get('/en/categories/organizations/party')).body.includes('王小明'));
    assert.ok(!(await get('/en/categories/organizations/youth_league+young_pioneers')).body.includes('Quiet River'));
    assert.ok((await get('/en/categories/organizations/youth_league')).body.includes('Quiet River'));
    assert.ok((await get('/en/categories')).body.includes('/en/categories/regions/440000'));
    for (const url of ['/en/categories/regions/999999', '/en/categories/nope/1', '/en/categories/organizations/party+party']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
  });

  test('search finds a published statement by a word of its text or a name, with the terms marked', async () => {
    const found = await get(`/zh-hant/search?q=${encodeURIComponent('聲明')}`);
    assert.equal(found.statusCode, 200);
    assert.ok(found.body.includes('<mark>'));
    assert.ok((await get(`/en/search?q=${encodeURIComponent('quiet')}`)).body.includes('Quiet River'));
    const none = await get('/en/search');
    assert.equal(none.statusCode, 200);
    assert.ok(!none.body.includes('Results for'));
  });

  test('bad parameters get 400 invalid_parameter in the reader’s language; unknown numbers and locales 404', async () => {
    const cases: [string, string][] = [
      ['/en/statements?page=0', 'page'], ['/en/statements?page=201', 'page'], ['/en/statements?page=1e3', 'page'],
      ['/en/statements/2026-02-30', 'date'], ['/en/statements/2026-1-1', 'date'], ['/en/s/12abc', 'number'],
      [`/en/search?q=${'x'.repeat(101)}`, 'q'],
    ];
    for (const [url, field] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.body, field === 'date' ? /Date/ : field === 'page' ? /Page/ : /./);
    }
    const api = await get('/api/v1/statements?date=yesterday');
    assert.equal(api.statusCode, 400);
    assert.deepEqual(api.json().error, { code: 'invalid_parameter', message: 'Date: this value is not valid here.', field: 'date' });
    const zh = await get('/zh-hans/statements?page=-1');
    assert.ok(zh.body.includes('页码'));
    assert.equal((await get('/en/s/999999')).statusCode, 404);
    // Numbers no statement can have are unknown too (test/hostile-input/numbers-that-name-no-statement-are-404.test.ts).
    assert.equal((await get('/en/s/0')).statusCode, 404);
    assert.equal((await get('/xx/statements')).statusCode, 404);
    assert.equal((await get('/api/v1/statements/999999')).statusCode, 404);
  });

  test('every public page sends the security headers and no cookie', async () => {
    for (const url of ['/en/', '/en/statements', `/en/s/${single.number}`, '/en/articles', '/en/categories', '/en/search?q=river', '/en/feed.atom', '/api/v1/stats', '/api/v1/stats.xml']) {
      const response = await get(url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.match(String(response.headers['content-security-policy']), /default-src 'self'/, url);
      assert.equal(response.headers['set-cookie'], undefined, url);
    }
  });
});

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
