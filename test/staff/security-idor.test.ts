import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { createTestApp, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, getAs, postAs, signInAs, submitAssisted, submitPublic, tokenFor, type TestStaff } from './staff-fixtures.js';

// Insecure direct object reference: a volunteer sees only the entries they recorded themselves,
// whatever id they put in the URL (issue 3: "a volunteer cannot read another volunteer's entries
// by changing an id").

describeEachDialect('a volunteer cannot reach other people’s entries by changing an id', (dialect) => {
  let t: TestApp;
  let alice = '';
  let bob = '';
  let aliceId = '';
  let bobId = '';
  let editor = '';
  let aliceEntry = '';
  let bobEntry = '';
  let publicEntry = '';

  before(async () => {
    t = await createTestApp(dialect);
    const a = await addStaff(t.database, 'idor-alice', 'volunteer');
    const b = await addStaff(t.database, 'idor-bob', 'volunteer');
    const e = await addStaff(t.database, 'idor-editor', 'editor');
    aliceId = a.id;
    bobId = b.id;
    alice = (await tokenFor(t.database, a)).token;
    bob = (await tokenFor(t.database, b)).token;
    editor = (await tokenFor(t.database, e)).token;
    aliceEntry = (await submitAssisted(t.app, alice, { declarants: [{ displayName: '爱丽丝记录的人', nameKind: 'real', organizations: ['party'], region: '110000' }] })).id;
    bobEntry = (await submitAssisted(t.app, bob, { declarants: [{ displayName: '鲍勃记录的人', nameKind: 'real', organizations: ['party'], region: '120000' }] })).id;
    publicEntry = (await submitPublic(t.app)).id;
  });
  after(() => t.close());

  test('GET /api/v1/staff/submissions/:id of another volunteer’s entry → 403 without any of its content', async () => {
    const response = await getAs(t.app, `/api/v1/staff/submissions/${bobEntry}`, alice);
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error.code, 'forbidden');
    assert.ok(!response.body.includes('鲍勃记录的人'));
  });

  test('a self-submitted statement (entered by nobody) is not readable by a volunteer either', async () => {
    const response = await getAs(t.app, `/api/v1/staff/submissions/${publicEntry}`, alice);
    assert.equal(response.statusCode, 403);
    assert.ok(!response.body.includes('测试者甲'));
  });

  test('a volunteer reads their own entry', async () => {
    const response = await getAs(t.app, `/api/v1/staff/submissions/${aliceEntry}`, alice);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().id, aliceEntry);
    assert.equal(response.json().declarants[0].displayName, '爱丽丝记录的人');
  });

  test('the refusal does not tell an existing id from an unknown one by content', async () => {
    const unknown = await getAs(t.app, '/api/v1/staff/submissions/00000000-0000-4000-8000-000000000000', alice);
    assert.ok([403, 404].includes(unknown.statusCode));
    assert.ok(!unknown.body.includes('鲍勃'));
  });

  /**
   * An infiltrated volunteer types in a real name to learn whether that person sent a statement
   * (pending, rejected or retracted ones are not public), or which volunteer recorded one.
   */
  let probeScenario: Promise<{ carol: TestStaff; carolToken: string; probe: string; theirs: string; daves: string }> | undefined;
  const probe = () =>
    (probeScenario ??= (async () => {
      const text = '这是一段足够长的合成声明文字，用来检验相似文字的提示不会把别人的声明透露给志愿者。我声明退出共青团和少先队，与其再无关系。';
      const person = { displayName: '被打听的人', nameKind: 'real', organizations: ['party'], region: '330000' };
      const carol = await addStaff(t.database, 'idor-carol', 'volunteer');
      const carolToken = (await tokenFor(t.database, carol)).token;
      const dave = (await tokenFor(t.database, await addStaff(t.database, 'idor-dave', 'volunteer'))).token;
      const theirs = (await submitPublic(t.app, { declarants: [person], text })).id;
      const daves = (await submitAssisted(t.app, dave, { declarants: [person], text })).id;
      const probe = (await submitAssisted(t.app, carolToken, { declarants: [person], text })).id;
      await indexPending(t.database);
      const asEditor = await getAs(t.app, `/api/v1/staff/submissions/${probe}`, editor);
      assert.ok(asEditor.body.includes(theirs) && asEditor.body.includes(daves), 'editors do see both hints');
      return { carol, carolToken, probe, theirs, daves };
    })());

  test('a volunteer’s own entry (API) does not reveal other statements through its duplicate hints', async () => {
    const s = await probe();
    const response = await getAs(t.app, `/api/v1/staff/submissions/${s.probe}`, s.carolToken);
    assert.equal(response.statusCode, 200);
    assert.ok(!response.body.includes(s.daves), 'another volunteer’s entry is revealed');
    assert.ok(!response.body.includes(s.theirs), 'the self-submitted statement is revealed to a volunteer');
  });

  test('a volunteer’s own entry (console page) does not reveal other statements through its duplicate hints', async () => {
    assert.ok(t.app.registeredRoutes.some((r) => r.method === 'GET' && r.url === '/staff/submissions/:id'), 'GET /staff/submissions/:id is not registered');
    const s = await probe();
    const { token } = await signInAs(t.database, s.carol);
    const page = await t.app.inject({ method: 'GET', url: `/staff/submissions/${s.probe}`, headers: { cookie: `rc_staff=${token}` } });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(s.daves), 'the console page reveals another volunteer’s entry');
    assert.ok(!page.body.includes(s.theirs), 'the console page reveals the self-submitted statement');
  });

  test('an editor reads any entry', async () => {
    for (const id of [aliceEntry, bobEntry, publicEntry]) {
      assert.equal((await getAs(t.app, `/api/v1/staff/submissions/${id}`, editor)).statusCode, 200);
    }
  });

  test('GET /api/v1/staff/entries lists only the volunteer’s own entries', async () => {
    const mine = (await getAs(t.app, '/api/v1/staff/entries', alice)).json().entries as { id: string }[];
    assert.deepEqual(mine.map((e) => e.id), [aliceEntry]);
    const bobs = (await getAs(t.app, '/api/v1/staff/entries', bob)).json().entries as { id: string }[];
    assert.deepEqual(bobs.map((e) => e.id), [bobEntry]);
  });

  test('query parameters do not widen a volunteer’s entries', async () => {
    for (const query of ['?user=idor-bob', `?enteredBy=${bobEntry}`, '?all=1', '?limit=1000']) {
      const response = await getAs(t.app, `/api/v1/staff/entries${query}`, alice);
      if (response.statusCode !== 200) continue;
      assert.deepEqual((response.json().entries as { id: string }[]).map((e) => e.id), [aliceEntry], query);
    }
  });

  test('a volunteer cannot approve, reject, edit or mark a duplicate — not even their own entry', async () => {
    for (const [url, body] of [
      [`/api/v1/staff/submissions/${aliceEntry}/approve`, {}],
      [`/api/v1/staff/submissions/${bobEntry}/approve`, {}],
      [`/api/v1/staff/submissions/${aliceEntry}/reject`, { reason: 'spam' }],
      [`/api/v1/staff/submissions/${bobEntry}/edit`, { text: '改过的' }],
      [`/api/v1/staff/submissions/${bobEntry}/duplicate`, { of: aliceEntry }],
      [`/api/v1/staff/submissions/${bobEntry}/feature`, {}],
      ['/api/v1/staff/approve', { ids: [aliceEntry, bobEntry] }],
      ['/api/v1/staff/reject', { ids: [bobEntry], reason: 'spam' }],
    ] as const) {
      const response = await postAs(t.app, url, alice, body);
      assert.equal(response.statusCode, 403, url);
      assert.equal(response.json().error.code, 'forbidden');
    }
    const rows = await t.database.db.selectFrom('submission').select(['status', 'text', 'featured']).where('id', 'in', [aliceEntry, bobEntry]).execute();
    assert.deepEqual(rows.map((r) => r.status), ['pending', 'pending']);
    assert.ok(rows.every((r) => r.text !== '改过的' && r.featured === 0));
  });

  test('a volunteer cannot read the queue or the audit log', async () => {
    assert.equal((await getAs(t.app, '/api/v1/staff/queue', alice)).statusCode, 403);
    assert.equal((await getAs(t.app, '/api/v1/staff/audit', alice)).statusCode, 403);
  });

  test('an assisted entry is recorded as the token holder’s, whatever the body claims', async () => {
    const response = await postAs(t.app, '/api/v1/staff/assisted', alice, { ...validSubmission(), channel: 'phone', consent: true, enteredBy: bobId });
    // Either the extra field is refused as unknown, or it is ignored: never believed.
    if (response.statusCode === 400) {
      assert.equal(response.json().error.code, 'unknown_field');
      return;
    }
    assert.equal(response.statusCode, 201, response.body);
    const row = await t.database.db.selectFrom('submission').select('entered_by').where('id', '=', response.json().id).executeTakeFirstOrThrow();
    assert.equal(row.entered_by, aliceId);
  });
});
