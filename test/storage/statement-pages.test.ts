// Stored statement pages (statement_page): every way a published statement's public content
// changes — through the real commands — appends a publication event, after which none of its
// stored pages is served any more, in the same transaction, and every other statement's still
// is; intake leaves them alone; and a page is never found for another build or for a statement
// that is not published right now (promise 6: a retracted statement is never shown again, even if
// a page of it were left behind).
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { readQueue } from '../../src/commands/review-queue.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { editStatement } from '../../src/commands/statement-editor.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { generateKeyPair } from '../../src/crypto/contact-sealer.js';
import { LOCALES, type Locale } from '../../src/domain/locales.js';
import { findStatementPage, pageKey, saveStatementPages, statementsNeedingPages } from '../../src/storage/publication/statement-page.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, describeEachDialect } from '../support/databases.js';
import { addStaff, submitAssisted, submitPublic, tokenFor, type TestStaff } from '../staff/staff-fixtures.js';
import { addPublished } from './search-fixtures.js';
import { changeTranslation } from '../support/translations.js';
import { latestSeq, pageFor, pageStore, type Published } from './statement-page-fixtures.js';

const DAY = 86_400_000;

describeEachDialect('stored statement pages are served only under their statement’s latest publication event', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteerToken: string;
  let store: ReturnType<typeof pageStore>;

  before(async () => {
    t = await createTestApp(dialect, { ageRecipients: [(await generateKeyPair()).recipient] });
    editor = await addStaff(t.database, 'pages-editor', 'editor');
    volunteerToken = (await tokenFor(t.database, await addStaff(t.database, 'pages-volunteer', 'volunteer'))).token;
    store = pageStore(t.database);
  });
  after(() => t.close());

  /** Submits through the public API and publishes as an editor. */
  async function publish(overrides: Record<string, unknown> = {}): Promise<Published> {
    const submitted = await submitPublic(t.app, overrides);
    const [approved] = await approveSubmissions(t.database, [submitted.id], editor.member);
    return { ...submitted, number: approved!.registrationNumber };
  }

  /** Two published statements with all their pages stored: the one a test changes, and a bystander. */
  async function twoWithPages(overrides: Record<string, unknown> = {}) {
    const target = await publish(overrides);
    const bystander = await publish();
    // Indexed for duplicate hints, as the background indexer does within a second of intake: that
    // changes nothing the public sees, and its pages stay.
    await indexPending(t.database);
    await store.saveAll(target.number);
    await store.saveAll(bystander.number);
    await store.assertKept(target, 'before the change');
    return { target, bystander };
  }

  test('the page key is the registration number × 4 plus the locale number, and no two pages share one', () => {
    assert.deepEqual(LOCALES.map((l) => pageKey(7, l)), [28, 29, 30]);
    const keys = [1, 2, 3].flatMap((n) => LOCALES.map((l) => pageKey(n, l)));
    assert.equal(new Set(keys).size, keys.length);
    assert.throws(() => pageKey(1.5, 'en'), RangeError);
    assert.throws(() => pageKey(1, 'fr' as Locale), RangeError);
  });

  test('a page is found as stored (a Buffer, its ETag) and only for its own build; saving again replaces it', async () => {
    const statement = await publish();
    await store.saveAll(statement.number, 'build-1');
    const found = await findStatementPage(t.database, statement.number, 'zh-hant', 'build-1');
    assert.ok(found && Buffer.isBuffer(found.body), 'the body must come back as a Buffer');
    assert.equal(found.etag, pageFor(statement.number, 'zh-hant', 'build-1').etag);
    assert.equal(gunzipSync(found.body).toString(), `<p>${statement.number} zh-hant build-1</p>`);
    assert.equal(await findStatementPage(t.database, statement.number, 'zh-hant', 'build-2'), undefined, 'another build is ignored');
    await saveStatementPages(t.database.db, [pageFor(statement.number, 'zh-hant', 'build-2', await latestSeq(t.database, statement.number))]);
    assert.equal(await findStatementPage(t.database, statement.number, 'zh-hant', 'build-1'), undefined, 'replaced, not added');
    const replaced = await findStatementPage(t.database, statement.number, 'zh-hant', 'build-2');
    assert.equal(gunzipSync(replaced!.body).toString(), `<p>${statement.number} zh-hant build-2</p>`);
    assert.equal(await store.rowCount(statement.number), 3);
  });

  test('retraction makes every page of the statement unservable at once, and a page written back for it is never found', async () => {
    const { target, bystander } = await twoWithPages();
    await retractStatement(t.database, target.receipt);
    await store.assertGone(target);
    await store.assertKept(bystander);
    // A stray row under the latest event (a bug, a hand-made insert) is still not served.
    await t.database.db.deleteFrom('statement_page').where('registration_number', '=', target.number).execute();
    const seq = await latestSeq(t.database, target.number);
    await t.database.db.insertInto('statement_page').values(LOCALES.map((l) => store.row(target.number, l, seq))).execute();
    assert.equal(await store.rowCount(target.number), 3, 'the rows are there');
    for (const locale of LOCALES) assert.equal(await findStatementPage(t.database, target.number, locale, store.build), undefined);
    assert.ok(await findStatementPage(t.database, bystander.number, 'en', store.build));
  });

  test('featuring and unfeaturing make the pages stale; asking for what already is changes nothing', async () => {
    const { target, bystander } = await twoWithPages();
    await featureStatement(t.database, target.id, true, editor.member);
    await store.assertGone(target);
    await store.assertKept(bystander);
    await store.saveAll(target.number);
    await featureStatement(t.database, target.id, false, editor.member);
    await store.assertGone(target);
    await store.assertKept(bystander);
    await store.saveAll(target.number);
    await featureStatement(t.database, target.id, false, editor.member);
    await store.assertKept(target, 'unfeaturing what is not featured');
  });

  test('editing is refused for a published statement, and editing a pending one leaves stored pages alone', async () => {
    const { target, bystander } = await twoWithPages();
    await assert.rejects(editStatement(t.database, target.id, { text: '改过的文本。' }, editor.member), { code: 'not_pending' });
    const pending = await submitPublic(t.app);
    await editStatement(t.database, pending.id, { title: '标题', text: '编辑过的待审文本。' }, editor.member);
    await store.assertKept(target);
    await store.assertKept(bystander);
  });

  test('pages stored ahead under the number a publication assigns are never served, and no others lost', async () => {
    const { target, bystander } = await twoWithPages();
    const pending = await submitPublic(t.app);
    const next = (await store.counter()) + 1;
    await store.saveAll(next);
    const [approved] = await approveSubmissions(t.database, [pending.id], editor.member);
    assert.equal(approved!.registrationNumber, next);
    await store.assertGone({ number: next });
    await store.assertKept(target);
    await store.assertKept(bystander);
  });

  test('adding, changing or removing a translation (with its event) makes the pages stale; one of a pending statement changes nothing', async () => {
    // No command writes translations yet: these are the writes one will make.
    const { target, bystander } = await twoWithPages();
    const translation = { submission_id: target.id, locale: 'en', title: null, text: 'A translation.', translator_id: editor.id, updated_at: new Date().toISOString() };
    const change = (id: string, write: Parameters<typeof changeTranslation>[3]) => changeTranslation(t.database, id, 'en', write);
    await change(target.id, (trx) => trx.insertInto('statement_translation').values(translation).execute());
    await store.assertGone(target);
    await store.saveAll(target.number);
    await change(target.id, (trx) => trx.updateTable('statement_translation').set({ text: 'A better translation.' }).where('submission_id', '=', target.id).execute());
    await store.assertGone(target);
    await store.saveAll(target.number);
    await change(target.id, (trx) => trx.deleteFrom('statement_translation').where('submission_id', '=', target.id).execute());
    await store.assertGone(target);
    await store.assertKept(bystander);
    const pending = await submitPublic(t.app);
    const head = await latestSeq(t.database, bystander.number);
    await change(pending.id, (trx) => trx.insertInto('statement_translation').values({ ...translation, submission_id: pending.id }).execute());
    await store.assertKept(bystander);
    assert.equal(await latestSeq(t.database, bystander.number), head);
  });

  test('the retention purge, erasing a published statement’s contact (not on its page), leaves its pages served', async () => {
    const { target, bystander } = await twoWithPages({ contact: 'signal +00 000' });
    const rejected = await submitPublic(t.app);
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    const report = await purgeExpired(t.database, { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 36_500, editsDays: 36_500 }, { actor: 'test', now: new Date(Date.now() + 200 * DAY) });
    assert.ok(report.submissions >= 1 && report.contacts >= 1, JSON.stringify(report));
    await store.assertKept(target);
    await store.assertKept(bystander);
  });

  test('intake, review, rejection, duplicates, retraction of pending statements and demo statements leave stored pages alone', async () => {
    const { target, bystander } = await twoWithPages();
    const submitted = [await submitPublic(t.app), await submitPublic(t.app, { contact: 'mail x' }), await submitAssisted(t.app, volunteerToken)];
    await readQueue(t.database, {}, 1);
    await indexPending(t.database);
    await rejectSubmissions(t.database, [submitted[0]!.id], 'spam', editor.member);
    await markDuplicate(t.database, submitted[1]!.id, target.id, editor.member);
    await retractStatement(t.database, submitted[2]!.receipt);
    await fillDemo(t.database, { people: 5, seed: 3, append: true });
    await store.assertKept(target);
    await store.assertKept(bystander);
  });

  test('no trigger is left on statements, declarants or translations: the log alone says what changed', async () => {
    const triggers = await store.triggers();
    assert.deepEqual(triggers.filter((tr) => ['submission', 'declarant', 'statement_translation', 'statement_page'].includes(tr.table)), []);
    assert.deepEqual([...new Set(triggers.map((tr) => tr.table))], triggers.length ? ['publication_event'] : [], JSON.stringify(triggers));
  });

  test('statementsNeedingPages lists published statements missing a page of this build, in order, after a number, up to a limit', async () => {
    const after = await store.counter();
    const [complete, stale, partial, none, retracted, featured] = [await publish(), await publish(), await publish(), await publish(), await publish(), await publish()];
    await store.saveAll(complete!.number, 'build-n');
    await store.saveAll(stale!.number, 'build-old');
    const seq = await latestSeq(t.database, partial!.number);
    await saveStatementPages(t.database.db, [pageFor(partial!.number, 'zh-hans', 'build-n', seq), pageFor(partial!.number, 'en', 'build-n', seq)]);
    await retractStatement(t.database, retracted!.receipt);
    await store.saveAll(featured!.number, 'build-n');
    await featureStatement(t.database, featured!.id, true, editor.member);
    const needing = [stale!.number, partial!.number, none!.number, featured!.number];
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', after, 100), needing);
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', after, 2), needing.slice(0, 2));
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', stale!.number, 100), needing.slice(1));
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-old', after, 100), [complete!.number, partial!.number, none!.number, featured!.number]);
  });
});
