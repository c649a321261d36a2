// The staff API's edit and feature calls read their JSON bodies as written: a field left out is
// kept (an edit of the text alone no longer erased the title), and a value of the wrong type is
// refused naming the field (`"featured": "false"` was read as true and featured the statement).
// The console's edit form, which always sends both fields, keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { createStaff, postPage, sessionOf } from '../support/console-session.js';
import { addStaff, postAs, rowCount, submitPublic, tokenFor } from './staff-fixtures.js';

const TITLE = '原来的标题';
const TEXT = '原来的文字，含有一个能认出人的细节：某某厂三车间。';

describeEachDialect('the staff API edit keeps what it does not name', (dialect) => {
  let t: TestApp;
  let editor = '';

  before(async () => {
    t = await createTestApp(dialect);
    editor = (await tokenFor(t.database, await addStaff(t.database, 'edit-editor', 'editor'))).token;
  });
  after(() => t.close());

  const row = (id: string) => t.database.db.selectFrom('submission').select(['title', 'text', 'featured']).where('id', '=', id).executeTakeFirstOrThrow();
  const edit = (id: string, body: unknown) => postAs(t.app, `/api/v1/staff/submissions/${id}/edit`, editor, body);

  test('an edit of the text alone keeps the title, of the title alone keeps the text; null or "" clears the field named', async () => {
    const { id } = await submitPublic(t.app, { title: TITLE, text: TEXT });
    const textOnly = await edit(id, { text: '已删去细节的文字。' });
    assert.equal(textOnly.statusCode, 200, textOnly.body);
    assert.deepEqual(await row(id), { title: TITLE, text: '已删去细节的文字。', featured: 0 });
    assert.equal((await edit(id, { title: '新的标题' })).statusCode, 200);
    assert.deepEqual(await row(id), { title: '新的标题', text: '已删去细节的文字。', featured: 0 });
    assert.equal((await edit(id, { title: null })).statusCode, 200);
    assert.deepEqual(await row(id), { title: null, text: '已删去细节的文字。', featured: 0 });
    assert.equal((await edit(id, { title: '再改的标题', text: '' })).statusCode, 200);
    assert.deepEqual(await row(id), { title: '再改的标题', text: null, featured: 0 });
  });

  test('a wrong type, an unknown field, a body that is not an object or one that names nothing is 400 and changes nothing', async () => {
    const { id } = await submitPublic(t.app, { title: TITLE, text: TEXT });
    const edits = await rowCount(t.database, 'submission_edit');
    for (const [body, code, field] of [
      [{ title: 42 }, 'wrong_type', 'title'],
      [{ text: ['a'] }, 'wrong_type', 'text'],
      [{ title: false, text: '有效的文字' }, 'wrong_type', 'title'],
      [{ titel: 'typo' }, 'unknown_field', 'titel'],
      [['title'], 'wrong_type', 'body'],
      ['"just a string"', 'wrong_type', 'body'],
      [{}, 'nothing_to_edit', undefined],
    ] as const) {
      const response = await edit(id, body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.deepEqual([response.json().error.code, response.json().error.field], [code, field], JSON.stringify(body));
    }
    assert.deepEqual(await row(id), { title: TITLE, text: TEXT, featured: 0 });
    assert.equal(await rowCount(t.database, 'submission_edit'), edits, 'no edit recorded');
  });

  test('"featured" must be a boolean: "false", 0 or "no" is 400 wrong_type and leaves it as it was; false unfeatures; left out features', async () => {
    const { id } = await submitPublic(t.app);
    const feature = (body: unknown) => postAs(t.app, `/api/v1/staff/submissions/${id}/feature`, editor, body);
    for (const featured of ['false', 'true', 0, 1, 'no', null]) {
      const response = await feature({ featured });
      assert.equal(response.statusCode, 400, JSON.stringify(featured));
      assert.deepEqual([response.json().error.code, response.json().error.field], ['wrong_type', 'featured']);
    }
    assert.equal((await row(id)).featured, 0, 'never featured by a string');
    assert.equal((await feature({ featured: 'x', extra: 1 })).json().error.code, 'unknown_field');
    assert.deepEqual((await feature({ featured: true })).json(), { id, featured: true });
    assert.equal((await row(id)).featured, 1);
    assert.deepEqual((await feature({ featured: false })).json(), { id, featured: false });
    assert.equal((await row(id)).featured, 0);
    assert.deepEqual((await feature({})).json(), { id, featured: true });
    assert.equal((await row(id)).featured, 1);
  });

  test('the console’s edit form, which sends both fields, still sets both (an empty title clears it)', async () => {
    const { id } = await submitPublic(t.app, { title: TITLE, text: TEXT });
    const session = await sessionOf(t.database, await createStaff(t.database, 'editor'));
    const response = await postPage(t.app, `/staff/submissions/${id}/edit`, session, [['title', ''], ['text', '控制台改过的文字。']]);
    assert.equal(response.statusCode, 303, response.body);
    assert.deepEqual(await row(id), { title: null, text: '控制台改过的文字。', featured: 0 });
  });
});
