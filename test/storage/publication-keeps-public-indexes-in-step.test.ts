import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { searchStatements } from '../../src/commands/statement-search.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { addStaff, type TestStaff } from '../staff/staff-fixtures.js';
import { addPending, addPublished } from './search-fixtures.js';

describeEachDialect('publication keeps the category and search indexes in step', (dialect) => {
  let t: TestDatabase;
  let editor: TestStaff;

  before(async () => {
    t = await createTestDatabase(dialect);
    editor = await addStaff(t.database, 'index-editor', 'editor');
  });
  after(() => t.cleanup());

  const publishedNumbers = async (id: string) =>
    (await t.database.db.selectFrom('declarant').select('published_number').where('submission_id', '=', id).orderBy('position').execute()).map((r) =>
      r.published_number === null ? null : Number(r.published_number),
    );
  const find = async (q: string) => (await searchStatements(t.database, q, 1, 50)).numbers;

  test('approval sets every declarant’s published number; retraction clears it and unindexes the statement', async () => {
    const family = await addPending(t.database, { text: '我们全家退出', names: ['甲', '乙', '丙'] });
    assert.deepEqual(await publishedNumbers(family.id), [null, null, null], 'null before publication');
    const [approved] = await approveSubmissions(t.database, [family.id], editor.member);
    const n = approved!.registrationNumber;
    assert.deepEqual(await publishedNumbers(family.id), [n, n, n]);
    assert.deepEqual(await find('全家退出'), [n]);
    await retractStatement(t.database, family.receipt);
    assert.deepEqual(await publishedNumbers(family.id), [null, null, null], 'null after retraction');
    assert.deepEqual(await find('全家退出'), []);
  });

  test('a bulk approval indexes every statement with its own number', async () => {
    const items = [await addPending(t.database, { text: '银杏叶一' }), await addPending(t.database, { text: '银杏叶二' })];
    const approved = await approveSubmissions(t.database, items.map((i) => i.id), editor.member);
    for (const [i, a] of approved.entries()) {
      assert.deepEqual(await publishedNumbers(items[i]!.id), [a.registrationNumber]);
    }
    assert.deepEqual(await find('银杏叶二'), [approved[1]!.registrationNumber]);
    assert.deepEqual(await find('银杏'), approved.map((a) => a.registrationNumber).reverse());
  });

  test('a bulk approval refused whole leaves nothing in the indexes', async () => {
    const good = await addPending(t.database, { text: '珊瑚礁在海里' });
    const rejected = await addPending(t.database, { text: '珊瑚礁在海里' });
    await rejectSubmissions(t.database, [rejected.id], 'spam', editor.member);
    await assert.rejects(approveSubmissions(t.database, [good.id, rejected.id], editor.member), { code: 'not_pending' });
    assert.deepEqual(await publishedNumbers(good.id), [null]);
    assert.deepEqual(await find('珊瑚礁'), []);
  });

  test('retracting a pending statement leaves the indexes alone', async () => {
    const pending = await addPending(t.database, { text: '蒲公英飞走了' });
    await retractStatement(t.database, pending.receipt);
    assert.deepEqual(await publishedNumbers(pending.id), [null]);
    assert.deepEqual(await find('蒲公英'), []);
  });

  test('the published number is the statement’s registration number, and a later statement gets a higher one', async () => {
    const first = await addPublished(t.database, editor, { text: '第一' });
    const second = await addPublished(t.database, editor, { text: '第二' });
    assert.ok(second.registrationNumber > first.registrationNumber);
    assert.deepEqual(await publishedNumbers(second.id), [second.registrationNumber]);
  });
});
