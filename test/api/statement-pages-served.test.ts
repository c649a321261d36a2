// Statement pages stored ahead (src/web/statement-pages.tsx) and served from the database: the
// same bytes and validators as the page rendered per request, never once the statement is
// retracted or changed (a later publication event), never from another build, and stored by
// themselves once read.
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { LOCALES } from '../../src/domain/locales.js';
import { findStatementPage, pageKey, statementsNeedingPages } from '../../src/storage/publication/statement-page.repository.js';
import { pageBuild } from '../../src/web/page-build.js';
import { storeMissingStatementPages, storeStatementPages } from '../../src/web/statement-pages.js';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { addTranslation } from '../support/translations.js';

describeEachDialect('statement pages served from the store', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const publish = async (title: string) => {
    const submitted = await submitPublic(t.app, {
      title,
      text: '第一段：合成的测试声明。\n\n第二段。',
      declarants: [
        { displayName: '存页甲', nameKind: 'real', organizations: ['party'], region: '110000', occupation: 'education' },
        { displayName: '存页乙', nameKind: 'pseudonym', organizations: ['youth_league'], region: 'overseas' },
      ],
    });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    return { ...submitted, number: published!.registrationNumber };
  };
  /** Rows stored for a statement, all locales. */
  const storedRows = (n: number) =>
    t.database.db.selectFrom('statement_page').select(['locale', 'build']).where('page_key', '>=', pageKey(n, 'zh-hans')).where('page_key', '<=', pageKey(n, 'en')).execute();
  /** Replaces a stored page's body: what is served from then on shows where it came from. */
  const markStored = async (n: number, locale: (typeof LOCALES)[number], marker: string) => {
    await t.database.db.updateTable('statement_page').set({ body: gzipSync(`<!DOCTYPE html><p>${marker}</p>`) }).where('page_key', '=', pageKey(n, locale)).execute();
    t.app.forgetCachedPages(); // the in-memory page cache is asked first; empty it
  };

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'pages-editor', 'editor');
  });
  after(() => t.close());

  test('a stored page is the page rendered per request: same body, same ETag, gzipped or not, 304 on a match', async () => {
    const s = await publish('存页声明');
    const live = new Map<string, { body: string; etag: string }>();
    for (const locale of LOCALES) {
      const response = await get(`/${locale}/s/${s.number}`);
      assert.equal(response.statusCode, 200);
      live.set(locale, { body: response.body, etag: String(response.headers.etag) });
    }
    t.app.forgetCachedPages();
    const stored = await storeMissingStatementPages(t.database);
    assert.ok(stored.statements >= 1 && stored.pages === stored.statements * 3, JSON.stringify(stored));
    assert.deepEqual((await storedRows(s.number)).map((r) => r.build), [pageBuild(), pageBuild(), pageBuild()]);
    for (const locale of LOCALES) {
      const plain = await get(`/${locale}/s/${s.number}`);
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.body, live.get(locale)!.body, `${locale}: the stored page differs from the rendered one`);
      assert.equal(plain.headers.etag, live.get(locale)!.etag);
      assert.match(String(plain.headers['content-type']), /^text\/html/);
      assert.equal(plain.headers['cache-control'], 'public, max-age=60');
      assert.match(String(plain.headers['content-security-policy']), /default-src 'self'/);
      const zipped = await get(`/${locale}/s/${s.number}`, { 'accept-encoding': 'gzip' });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), live.get(locale)!.body);
      assert.equal(zipped.headers.etag, `${live.get(locale)!.etag.slice(0, -1)}-gz"`);
      // Asked for twice, it is now in the page cache, kept with the stored gzipped body.
      const cachedZip = await get(`/${locale}/s/${s.number}`, { 'accept-encoding': 'gzip' });
      assert.equal(cachedZip.headers.etag, zipped.headers.etag);
      assert.equal(gunzipSync(cachedZip.rawPayload).toString('utf8'), live.get(locale)!.body);
      // From the store itself, not the page cache: 304 for either representation, and HEAD.
      t.app.forgetCachedPages();
      const again = await get(`/${locale}/s/${s.number}`, { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      t.app.forgetCachedPages();
      const plainAgain = await get(`/${locale}/s/${s.number}`, { 'if-none-match': live.get(locale)!.etag });
      assert.equal(plainAgain.statusCode, 304);
      t.app.forgetCachedPages();
      const head = await t.app.inject({ method: 'HEAD', url: `/${locale}/s/${s.number}`, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers.etag, zipped.headers.etag);
      assert.equal(head.body, '');
    }
    // And it really comes from the store.
    await markStored(s.number, 'en', 'from-the-store');
    assert.match((await get(`/en/s/${s.number}`)).body, /from-the-store/);
    // A second run has nothing left to do.
    assert.equal((await storeMissingStatementPages(t.database)).pages, 0);
  });

  /** Whether any stored page of statement `n` can still be served. */
  const servable = async (n: number) => (await Promise.all(LOCALES.map((l) => findStatementPage(t.database, n, l, pageBuild())))).filter(Boolean).length;

  test('a retraction takes the stored pages with it at once: 404 in every locale, no page servable', async () => {
    const s = await publish('将撤回的存页');
    await storeMissingStatementPages(t.database);
    assert.equal((await storedRows(s.number)).length, 3);
    await markStored(s.number, 'zh-hans', 'stale-store');
    const response = await postJson(t.app, '/api/v1/receipt/retract', { receipt: s.receipt });
    assert.equal(response.statusCode, 200, response.body);
    for (const locale of LOCALES) assert.equal((await get(`/${locale}/s/${s.number}`)).statusCode, 404, locale);
    assert.equal(await servable(s.number), 0);
  });

  test('a stored page of a statement no longer published is never served, whatever row is left', async () => {
    const s = await publish('撤回后残留');
    await storeMissingStatementPages(t.database);
    const rows = await t.database.db.selectFrom('statement_page').selectAll().where('page_key', '=', pageKey(s.number, 'en')).execute();
    await postJson(t.app, '/api/v1/receipt/retract', { receipt: s.receipt });
    // As if the retraction had appended no event: the row is put back by hand, under the seq of
    // the statement's latest event (the retraction's).
    const [latest] = await t.database.db.selectFrom('publication_event').select('seq').where('registration_number', '=', s.number).orderBy('seq', 'desc').limit(1).execute();
    await t.database.db.deleteFrom('statement_page').where('page_key', '=', pageKey(s.number, 'en')).execute();
    await t.database.db.insertInto('statement_page').values(rows.map((r) => ({ ...r, seq: Number(latest!.seq) }))).execute();
    t.app.forgetCachedPages();
    assert.equal((await get(`/en/s/${s.number}`)).statusCode, 404);
  });

  test('featuring makes the stored pages stale; the next reader sees the statement as an article', async () => {
    const s = await publish('将成为文章');
    await storeMissingStatementPages(t.database);
    assert.equal(await servable(s.number), 3);
    assert.ok(!(await get(`/zh-hans/s/${s.number}`)).body.includes('class="statement article"'));
    await featureStatement(t.database, s.id, true, editor.member);
    assert.equal(await servable(s.number), 0);
    assert.ok((await statementsNeedingPages(t.database.db, pageBuild(), s.number - 1, 1)).includes(s.number), 'rendered again by rcenter pages');
    assert.ok((await get(`/zh-hans/s/${s.number}`)).body.includes('class="statement article"'));
  });

  test('a page of another build is not served', async () => {
    const s = await publish('旧版本的页面');
    await storeMissingStatementPages(t.database);
    await markStored(s.number, 'zh-hant', 'old-build');
    await t.database.db.updateTable('statement_page').set({ build: 'an-older-build' }).where('page_key', '=', pageKey(s.number, 'zh-hant')).execute();
    const page = await get(`/zh-hant/s/${s.number}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('old-build') && page.body.includes('舊版本的頁面'));
    // and `storeMissingStatementPages` renders it again.
    await storeMissingStatementPages(t.database);
    assert.deepEqual((await storedRows(s.number)).map((r) => r.build), [pageBuild(), pageBuild(), pageBuild()]);
  });

  test('a page read and not stored is stored in the background, in the reader\'s locale', async () => {
    const s = await publish('读过就存');
    assert.deepEqual(await storedRows(s.number), []);
    assert.equal((await get(`/en/s/${s.number}`)).statusCode, 200);
    // Stored a moment later (the filler waits 250 ms to gather a batch): awaited, not slept for.
    await t.app.statementPagesIdle();
    assert.deepEqual((await storedRows(s.number)).map((r) => r.locale), ['en']);
    await markStored(s.number, 'en', 'stored-after-reading');
    assert.match((await get(`/en/s/${s.number}`)).body, /stored-after-reading/);
  });
});

// Storing pages and changing the statement may interleave (no lock is taken): a change that
// commits after the store read the statement's latest event leaves the pages it stores unservable.
describeEachDialect('statement pages: a change that comes while pages are being stored', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('a translation saved during a store leaves what the store saved unservable, and it is stored again', async () => {
    const editor = await addStaff(t.database, 'race-editor', 'editor');
    const submitted = await submitPublic(t.app, { title: '并发', declarants: [{ displayName: '并发者', nameKind: 'pseudonym', organizations: ['party'], region: '110000' }] });
    const [published] = await approveSubmissions(t.database, [submitted.id], editor.member);
    const n = published!.registrationNumber;
    const translation = { submission_id: submitted.id, locale: 'en', title: 'Concurrent', text: 'Translated.', translator_id: editor.member.id, updated_at: '2026-11-27T00:00:00Z' };
    // SQLite: the store's transaction is the only writer, so the translation is saved before it
    // begins there; PostgreSQL: in the middle of it, rendered and not saved yet.
    const during = dialect === 'postgres' ? () => addTranslation(t.database, translation) : undefined;
    if (!during) await addTranslation(t.database, translation);
    const stored = await storeStatementPages(t.database, [{ registrationNumber: n, locale: 'en' }], pageBuild(), during);
    assert.equal(stored, 1);
    if (during) assert.equal(await findStatementPage(t.database, n, 'en', pageBuild()), undefined, 'a page stored before the translation is served');
    await storeMissingStatementPages(t.database);
    const page = await findStatementPage(t.database, n, 'en', pageBuild());
    assert.ok(page && gunzipSync(page.body).toString('utf8').includes('Translated.'));
  });
});
