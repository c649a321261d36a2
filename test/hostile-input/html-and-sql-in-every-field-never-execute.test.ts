// HTML and script in every field are stored as text and escaped on every page (the staff queue,
// the submission page, the public statement page after approval, the feed, the search page);
// SQL metacharacters in every field and query parameter are data, never SQL. Both databases.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/commands/api-tokens.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, getPage, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { countChanges, tableCounts } from '../fuzz/fuzz-support.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(2)>';
const SVG = "'><svg onload=alert(3)>";
const SQL = "'; drop table submission; --";
const SQL_OR = "\" or \"1\"=\"1' or '1'='1";

/** Markup that would run if any of it reached a page unescaped. */
const LIVE_MARKUP = [/<script>alert/i, /<img src=x/i, /<svg onload/i, /<a href="javascript/i];

function assertEscaped(html: string, where: string): void {
  for (const live of LIVE_MARKUP) assert.doesNotMatch(html, live, `${where}: live markup ${live}`);
  assert.match(html, /&lt;script(&gt;|>)alert\(1\)&lt;\/script/, `${where}: the text is shown, escaped`);
}

describeEachDialect('HTML and SQL in every field never execute', (dialect) => {
  let t: TestApp;
  let token: string;
  let session: ConsoleSession;
  before(async () => {
    t = await createTestApp(dialect);
    const admin = await createStaff(t.database, 'admin');
    token = (await createApiToken(t.database, { userName: admin.name, actor: 'test' })).token;
    session = await sessionOf(t.database, admin);
  });
  after(() => t.close());

  test('HTML in every field: stored as text, escaped on the queue, the submission page, the statement page after approval, the feed and search', async () => {
    const nasty = validSubmission({
      language: 'en',
      title: `${SCRIPT} ${IMG}`,
      text: `${SCRIPT}\n${IMG}\n${SVG}\n<a href="javascript:alert(4)">x</a>`,
      declarants: [
        { displayName: SCRIPT, nameKind: 'real', organizations: ['party'], region: '110000' },
        { displayName: IMG, nameKind: 'pseudonym', organizations: ['youth_league'], region: 'overseas' },
      ],
    });
    const created = await postJson(t.app, '/api/v1/submissions', nasty);
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json();
    const stored = await t.database.db.selectFrom('submission').select(['title', 'text']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(stored.title, nasty.title, 'stored exactly as written');

    assertEscaped((await getPage(t.app, '/staff/queue', session)).body, 'staff queue');
    assertEscaped((await getPage(t.app, `/staff/submissions/${id}`, session)).body, 'staff submission page');

    const approved = await postJson(t.app, `/api/v1/staff/submissions/${id}/approve`, {}, { authorization: `Bearer ${token}` });
    assert.equal(approved.statusCode, 200, approved.body);
    const n = approved.json().published[0].registrationNumber;
    for (const locale of ['en', 'zh-hans', 'zh-hant']) {
      const page = await t.app.inject({ method: 'GET', url: `/${locale}/s/${n}` });
      assert.equal(page.statusCode, 200);
      assertEscaped(page.body, `/${locale}/s/${n}`);
      assert.doesNotMatch(page.body, /href="javascript:/i, 'a link in the text stays text');
    }
    for (const url of ['/en/statements', '/en/', `/en/search?q=${encodeURIComponent('script alert')}`]) {
      const page = await t.app.inject({ method: 'GET', url });
      for (const live of LIVE_MARKUP) assert.doesNotMatch(page.body, live, url);
    }
    const feed = await t.app.inject({ method: 'GET', url: '/en/feed.atom' });
    for (const live of LIVE_MARKUP) assert.doesNotMatch(feed.body, live, 'feed');
    // The API gives the text as written: JSON is data, and its content type says so.
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${n}` });
    assert.equal(api.json().title, nasty.title);
    assert.match(String(api.headers['content-type']), /^application\/json/);
    // A search query is echoed escaped.
    const search = await t.app.inject({ method: 'GET', url: `/en/search?q=${encodeURIComponent(SCRIPT)}` });
    for (const live of LIVE_MARKUP) assert.doesNotMatch(search.body, live, 'search echo');
  });

  test('SQL metacharacters in every field are stored as plain text, and the tables are intact', async () => {
    // Statement pages read by the test before are stored in the background: wait for that.
    await t.app.statementPagesIdle();
    const before = await tableCounts(t.database);
    const body = validSubmission({ title: SQL, text: `${SQL}\n${SQL_OR}\n\\'; select pg_sleep(10); --`, declarants: [{ displayName: SQL, nameKind: 'real', organizations: ['party'], region: '110000' }, { displayName: SQL_OR.slice(0, 40), nameKind: 'real', organizations: ['party'], region: '110000' }] });
    const created = await postJson(t.app, '/api/v1/submissions', body);
    assert.equal(created.statusCode, 201, created.body);
    const rows = await t.database.db.selectFrom('declarant').select('display_name').where('submission_id', '=', created.json().id).orderBy('position').execute();
    assert.deepEqual(rows.map((r) => r.display_name), [SQL, SQL_OR.slice(0, 40)]);
    await t.app.statementPagesIdle();
    const after = await tableCounts(t.database);
    // Count cells move in place or are added (a new day, region or organisation): not compared.
    const { daily_count: _cells, ...changes } = countChanges(before, after);
    assert.deepEqual(changes, { submission: 1, declarant: 2 }, 'one submission and its two declarants, nothing else');
  });

  test('SQL metacharacters in every query parameter: refused or read as data, nothing changes', async () => {
    await t.app.statementPagesIdle();
    const before = await tableCounts(t.database);
    const values = [SQL, SQL_OR, '1 or 1=1', "1'; --", '1) union select * from staff_user --', '%', '_', '\\'];
    for (const value of values) {
      const v = encodeURIComponent(value);
      for (const url of [`/en/statements?page=${v}`, `/en/statements/${v}`, `/en/s/${v}`, `/en/search?q=${v}`, `/api/v1/statements?date=${v}`, `/api/v1/statements/${v}`, `/api/v1/open-data/daily.json?from=${v}`, `/en/categories/regions/${v}`]) {
        const response = await t.app.inject({ method: 'GET', url });
        assert.ok([200, 400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
      }
      for (const url of [`/api/v1/staff/queue?channel=${v}&language=${v}&page=${v}`, `/api/v1/staff/audit?before=${v}`, `/api/v1/staff/submissions/${v}`]) {
        const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        assert.ok([200, 400, 404].includes(response.statusCode), `${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    // Background work (statement pages stored after reading) is awaited, and views never write
    // (duplicate hints come from the indexer): every table is compared.
    await t.app.statementPagesIdle();
    const after = await tableCounts(t.database);
    const expected = before;
    assert.deepEqual(after, expected);
  });
});
