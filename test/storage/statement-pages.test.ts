// Stored statement pages (statement_page): every way a published statement's public content
// changes — through the real commands — drops all of its stored pages in the same transaction,
// and no other statement's; intake leaves them alone; and a page is never found for another
// build or for a statement that is not published right now (promise 6: a retracted statement is
// never shown again, even if a page of it were left behind).
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { readQueue } from '../../src/commands/review-queue.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { editStatement, featureStatement } from '../../src/commands/statement-editor.js';
import { retractStatement } from '../../src/commands/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { generateKeyPair } from '../../src/crypto/contact-sealer.js';
import { LOCALES, type Locale } from '../../src/domain/locales.js';
import { findStatementPage, pageKey, saveStatementPages, statementsNeedingPages } from '../../src/storage/statement-page.repository.js';
import * as statementPagesMigration from '../../src/storage/migrations/2026-11-30-statement-pages.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, describeEachDialect } from '../support/databases.js';
import { addStaff, submitAssisted, submitPublic, tokenFor, type TestStaff } from '../staff/staff-fixtures.js';
import { addPublished } from './search-fixtures.js';
import { pageFor, pageStore, type Published } from './statement-page-fixtures.js';

const DAY = 86_400_000;

describeEachDialect('stored statement pages go with every change to their statement', (dialect) => {
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
    // Indexed for duplicate hints, as the background indexer does within a second of intake. (One
    // approved before the indexer reached it loses its stored pages once, when it is indexed: an
    // update of its row; they are rendered and stored again at the next read.)
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
    await saveStatementPages(t.database.db, [pageFor(statement.number, 'zh-hant', 'build-2')]);
    assert.equal(await findStatementPage(t.database, statement.number, 'zh-hant', 'build-1'), undefined, 'replaced, not added');
    const replaced = await findStatementPage(t.database, statement.number, 'zh-hant', 'build-2');
    assert.equal(gunzipSync(replaced!.body).toString(), `<p>${statement.number} zh-hant build-2</p>`);
    assert.equal(await store.rowCount(statement.number), 3);
  });

  test('retraction drops every page of the statement at once, and a page written back for it is never found', async () => {
    const { target, bystander } = await twoWithPages();
    await retractStatement(t.database, target.receipt);
    await store.assertGone(target);
    await store.assertKept(bystander);
    // A stray row (a bug, a hand-made insert, a save that raced the retraction) is still not served.
    await t.database.db.insertInto('statement_page').values(LOCALES.map((l) => store.row(target.number, l))).execute();
    assert.equal(await store.rowCount(target.number), 3, 'the rows are there');
    for (const locale of LOCALES) assert.equal(await findStatementPage(t.database, target.number, locale, store.build), undefined);
    assert.ok(await findStatementPage(t.database, bystander.number, 'en', store.build));
  });

  test('featuring and unfeaturing drop the pages', async () => {
    const { target, bystander } = await twoWithPages();
    await featureStatement(t.database, target.id, true, editor.member);
    await store.assertGone(target);
    await store.assertKept(bystander);
    await store.saveAll(target.number);
    await featureStatement(t.database, target.id, false, editor.member);
    await store.assertGone(target);
    await store.assertKept(bystander);
  });

  test('editing is refused for a published statement, and editing a pending one leaves stored pages alone', async () => {
    const { target, bystander } = await twoWithPages();
    await assert.rejects(editStatement(t.database, target.id, { text: '改过的文本。' }, editor.member), { code: 'not_pending' });
    const pending = await submitPublic(t.app);
    await editStatement(t.database, pending.id, { title: '标题', text: '编辑过的待审文本。' }, editor.member);
    await store.assertKept(target);
    await store.assertKept(bystander);
  });

  test('publication drops pages stored ahead under the number it assigns, and no others', async () => {
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

  test('adding, changing or removing a translation drops the pages; one of a pending statement deletes nothing', async () => {
    // No command writes translations yet: these are the writes one will make.
    const { target, bystander } = await twoWithPages();
    const translation = { submission_id: target.id, locale: 'en', title: null, text: 'A translation.', translator_id: editor.id, updated_at: new Date().toISOString() };
    await t.database.db.insertInto('statement_translation').values(translation).execute();
    await store.assertGone(target);
    await store.saveAll(target.number);
    await t.database.db.updateTable('statement_translation').set({ text: 'A better translation.' }).where('submission_id', '=', target.id).execute();
    await store.assertGone(target);
    await store.saveAll(target.number);
    await t.database.db.deleteFrom('statement_translation').where('submission_id', '=', target.id).execute();
    await store.assertGone(target);
    await store.assertKept(bystander);
    const pending = await submitPublic(t.app);
    await t.database.db.insertInto('statement_translation').values({ ...translation, submission_id: pending.id }).execute();
    await store.assertKept(bystander);
  });

  test('the retention purge drops the pages of a published statement whose contact it erases, and of no other', async () => {
    const { target, bystander } = await twoWithPages({ contact: 'signal +00 000' });
    const rejected = await submitPublic(t.app);
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    const report = await purgeExpired(t.database, { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 36_500, editsDays: 36_500 }, { actor: 'test', now: new Date(Date.now() + 200 * DAY) });
    assert.ok(report.submissions >= 1 && report.contacts >= 1, JSON.stringify(report));
    await store.assertGone(target);
    await store.assertKept(bystander);
  });

  test('adding, changing or deleting a declarant of a published statement, or deleting its submission, drops the pages', async () => {
    // No command does these to a published statement; an operator or a future one might.
    const db = t.database.db;
    const { target, bystander } = await twoWithPages();
    const first = await db.selectFrom('declarant').selectAll().where('submission_id', '=', target.id).executeTakeFirstOrThrow();
    await db.insertInto('declarant').values({ ...first, position: 9 }).execute();
    await store.assertGone(target, 'a declarant added');
    await store.saveAll(target.number);
    await db.deleteFrom('declarant').where('submission_id', '=', target.id).where('position', '=', 9).execute();
    await store.assertGone(target, 'a declarant deleted');
    await store.saveAll(target.number);
    await db.updateTable('declarant').set({ published_number: null }).where('submission_id', '=', target.id).execute();
    await store.assertGone(target, 'a declarant changed');
    // Its declarants no longer carry the number: only the submission's own trigger can act now.
    await store.saveAll(target.number);
    await db.transaction().execute(async (trx) => {
      for (const table of ['statement_translation', 'submission_edit', 'submission_text_band', 'declarant'] as const) {
        await trx.deleteFrom(table).where('submission_id', '=', target.id).execute();
      }
      await store.assertKept(target, 'declarants without a number deleted', trx);
      await trx.deleteFrom('submission').where('id', '=', target.id).execute();
    });
    await store.assertGone(target, 'the submission deleted');
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

  test('intake pays a WHEN check and nothing more: every trigger on submission and declarant has one, and inserting a submission fires none', async () => {
    const triggers = await store.triggers();
    assert.ok(triggers.length >= 5, JSON.stringify(triggers));
    for (const trigger of triggers.filter((tr) => tr.table !== 'statement_translation')) {
      assert.ok(trigger.hasWhen, `${trigger.name} runs for pending rows too`);
      assert.ok(!(trigger.table === 'submission' && trigger.events.includes('insert')), `${trigger.name} runs at intake`);
    }
  });

  test('statementsNeedingPages lists published statements missing a page of this build, in order, after a number, up to a limit', async () => {
    const after = await store.counter();
    const [complete, stale, partial, none, retracted] = [await publish(), await publish(), await publish(), await publish(), await publish()];
    await store.saveAll(complete!.number, 'build-n');
    await store.saveAll(stale!.number, 'build-old');
    await saveStatementPages(t.database.db, [pageFor(partial!.number, 'zh-hans', 'build-n'), pageFor(partial!.number, 'en', 'build-n')]);
    await retractStatement(t.database, retracted!.receipt);
    const needing = [stale!.number, partial!.number, none!.number];
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', after, 100), needing);
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', after, 2), needing.slice(0, 2));
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-n', stale!.number, 100), needing.slice(1));
    assert.deepEqual(await statementsNeedingPages(t.database.db, 'build-old', after, 100), [complete!.number, partial!.number, none!.number]);
  });

  test('the migration down removes the table, its triggers and functions, and statements are published and retracted as before', async () => {
    const scratch = await createTestDatabase(dialect);
    try {
      const scratchEditor = await addStaff(scratch.database, 'down-editor', 'editor');
      const before = await store.leftovers(scratch.database);
      assert.ok(before.length >= (dialect === 'sqlite' ? 9 : 11), before.join(', '));
      await statementPagesMigration.down(scratch.database.db);
      assert.deepEqual(await store.leftovers(scratch.database), []);
      const published = await addPublished(scratch.database, scratchEditor, { text: '迁移回退之后' });
      await retractStatement(scratch.database, published.receipt);
      await statementPagesMigration.up(scratch.database.db);
      assert.deepEqual(await store.leftovers(scratch.database), before);
    } finally {
      await scratch.cleanup();
    }
  });
});
