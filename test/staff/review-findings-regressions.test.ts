// Regression tests for the threats found in the review of the staff side: parallel password
// guessing past the throttle, login CSRF by Origin, concurrent indexing on PostgreSQL, staff API
// queue parameters that crashed, volunteers probing ids, retraction against a concurrent approval.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { readQueue } from '../../src/commands/review-queue.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { createTestApp, postForm, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, bearer, submitAssisted, submitPublic, tokenFor, type TestStaff } from './staff-fixtures.js';

describeEachDialect('review findings', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteer: TestStaff;
  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'finder-editor', 'editor');
    volunteer = await addStaff(t.database, 'finder-volunteer', 'volunteer');
  });
  after(() => t.close());

  test('a burst of parallel password guesses cannot pass the sign-in throttle', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postForm(t.app, '/staff/sign-in', [['name', volunteer.name], ['password', `wrong guess number ${i}`], ['code', '']])),
    );
    const tried = guesses.filter((r) => r.statusCode === 401).length;
    assert.ok(tried <= 10, `${tried} guesses reached the password check`);
    assert.equal(guesses.filter((r) => r.statusCode === 429).length, 40 - tried);
  });

  test('a sign-in form posted from another origin is refused (login CSRF)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://attacker.example', host: 'localhost' },
      payload: 'name=x&password=y&code=1',
    });
    assert.equal(response.statusCode, 403);
  });

  test('indexers running at once (two server processes on PostgreSQL) and editors reading meanwhile do not collide', async () => {
    for (let i = 0; i < 25; i++) await submitPublic(t.app, { text: `一段足够长的合成声明文字，用来测试同时索引和打开审核队列的情况。编号${i}。`.repeat(3) });
    const unindexed = async () => (await t.database.db.selectFrom('submission').select('id').where('text_indexed', '=', 0).execute()).length;
    const waiting = await unindexed();
    const [indexed, pages] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => indexPending(t.database, { batch: 3 }))),
      Promise.all(Array.from({ length: 8 }, () => readQueue(t.database, {}, 1))),
    ]);
    assert.ok(pages.every((p) => p.length > 0));
    assert.equal(await unindexed(), 0, 'every submission indexed once all indexers are done');
    assert.equal(indexed.reduce((a, b) => a + b, 0), waiting, `each indexed by exactly one of them: ${indexed.join(' + ')}`);
  });

  test('odd staff API queue parameters are read safely, not answered with 500', async () => {
    const { token } = await tokenFor(t.database, editor);
    for (const query of ['page=Infinity', 'page=1e308', 'channel=web&channel=phone', 'pow=maybe&flagged=', 'language=xx']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/staff/queue?${query}`, headers: bearer(token) });
      assert.equal(response.statusCode, 200, `${query}: ${response.body.slice(0, 200)}`);
    }
  });

  test('a volunteer cannot tell an unknown id from someone else\'s entry', async () => {
    const { token } = await tokenFor(t.database, volunteer);
    const other = await submitPublic(t.app);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/staff/submissions/00000000-0000-4000-8000-000000000000', headers: bearer(token) });
    const someoneElses = await t.app.inject({ method: 'GET', url: `/api/v1/staff/submissions/${other.id}`, headers: bearer(token) });
    assert.equal(unknown.statusCode, 403);
    assert.equal(someoneElses.statusCode, 403);
    assert.equal(unknown.json().error.code, someoneElses.json().error.code);
    const own = await submitAssisted(t.app, (await tokenFor(t.database, volunteer)).token);
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/staff/submissions/${own.id}`, headers: bearer(token) });
    assert.equal(mine.statusCode, 200);
  });

  test('a retraction racing an approval never leaves a published statement the declarant was told they could not retract', async () => {
    for (let i = 0; i < 5; i++) {
      const { id, receipt } = await submitPublic(t.app);
      const [, retraction] = await Promise.allSettled([approveSubmissions(t.database, [id], editor.member), retractStatement(t.database, receipt)]);
      const row = await t.database.db.selectFrom('submission').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      // Pending or published, the statement could be retracted: the declarant is never told no.
      assert.equal(retraction.status, 'fulfilled', retraction.status === 'rejected' ? String(retraction.reason) : '');
      assert.equal(row.status, 'retracted');
    }
  });
});
