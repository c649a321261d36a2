import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, postAs, rowCount, submitAssisted, submitPublic, tokenFor } from './staff-fixtures.js';

type Published = { id: string; registrationNumber: number }[];

describeEachDialect('review and publication through the staff API', (dialect) => {
  let t: TestApp;
  let editor = '';
  let volunteer = '';

  before(async () => {
    t = await createTestApp(dialect);
    editor = (await tokenFor(t.database, await addStaff(t.database, 'review-editor', 'editor'))).token;
    volunteer = (await tokenFor(t.database, await addStaff(t.database, 'review-volunteer', 'volunteer'))).token;
  });
  after(() => t.close());

  const submitMany = async (n: number) => {
    const out: { id: string; receipt: string }[] = [];
    for (let i = 0; i < n; i++) out.push(await submitPublic(t.app));
    return out;
  };
  const approve = (id: string) => postAs(t.app, `/api/v1/staff/submissions/${id}/approve`, editor);
  const approveBulk = (ids: string[]) => postAs(t.app, '/api/v1/staff/approve', editor, { ids });
  const highestNumber = async () => {
    const row = await t.database.db.selectFrom('submission').select((eb) => eb.fn.max('registration_number').as('n')).executeTakeFirstOrThrow();
    return Number(row.n ?? 0);
  };
  const statusOf = async (id: string) =>
    t.database.db.selectFrom('submission').select(['status', 'registration_number', 'reject_reason', 'duplicate_of', 'title', 'text']).where('id', '=', id).executeTakeFirstOrThrow();

  test('a bulk approval of 5 assigns 5 consecutive registration numbers after the highest so far', async () => {
    const before = await highestNumber();
    const items = await submitMany(5);
    const response = await approveBulk(items.map((i) => i.id));
    assert.equal(response.statusCode, 200, response.body);
    const published = response.json().published as Published;
    assert.deepEqual(published.map((p) => p.id), items.map((i) => i.id));
    assert.deepEqual(published.map((p) => p.registrationNumber), [1, 2, 3, 4, 5].map((k) => before + k));
    for (const p of published) {
      const row = await statusOf(p.id);
      assert.equal(row.status, 'published');
      assert.equal(Number(row.registration_number), p.registrationNumber);
    }
  });

  test('a single approval answers with its number, and the declarant’s receipt shows it published with that number', async () => {
    const [item] = await submitMany(1);
    const response = await approve(item!.id);
    assert.equal(response.statusCode, 200, response.body);
    const [published] = response.json().published as Published;
    assert.equal(published!.registrationNumber, await highestNumber());
    const receipt = await postJson(t.app, '/api/v1/receipt', { receipt: item!.receipt });
    assert.equal(receipt.statusCode, 200);
    assert.equal(receipt.json().status, 'published');
    assert.deepEqual(receipt.json().registrationNumbers, [String(published!.registrationNumber)]);
  });

  test('approving a statement that is not pending → 409 not_pending, and nothing changes', async () => {
    const [item] = await submitMany(1);
    assert.equal((await approve(item!.id)).statusCode, 200);
    const number = (await statusOf(item!.id)).registration_number;
    const again = await approve(item!.id);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'not_pending');
    assert.equal((await statusOf(item!.id)).registration_number, number);
    const unknown = await approve('00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 404);
  });

  test('a bulk approval with one statement that is not pending approves none and uses up no numbers', async () => {
    const items = await submitMany(4);
    const [rejected] = await submitMany(1);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${rejected!.id}/reject`, editor, { reason: 'spam' })).statusCode, 200);
    const highest = await highestNumber();
    // The bad one in the middle, so that some were "already done" when it was found.
    const ids = [items[0]!.id, items[1]!.id, rejected!.id, items[2]!.id, items[3]!.id];
    const response = await approveBulk(ids);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().error.code, 'not_pending');
    for (const item of items) {
      const row = await statusOf(item.id);
      assert.equal(row.status, 'pending');
      assert.equal(row.registration_number, null);
    }
    const next = await approve(items[0]!.id);
    assert.equal((next.json().published as Published)[0]!.registrationNumber, highest + 1, 'the next approval gets the next number: none was lost');
  });

  test('a bulk approval naming the same statement twice is refused whole', async () => {
    const [item] = await submitMany(1);
    const response = await approveBulk([item!.id, item!.id]);
    assert.equal(response.statusCode, 400);
    assert.equal((await statusOf(item!.id)).status, 'pending');
  });

  test('20 approvals at once never share a number, and leave no gap', async () => {
    const items = await submitMany(20);
    const before = await highestNumber();
    const responses = await Promise.all(items.map((i) => approve(i.id)));
    for (const r of responses) assert.equal(r.statusCode, 200, r.body);
    const numbers = responses.map((r) => (r.json().published as Published)[0]!.registrationNumber).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 20 }, (_, i) => before + 1 + i));
  });

  test('the same statement approved twice at once: one wins, the other gets not_pending, one number used', async () => {
    const [item] = await submitMany(1);
    const before = await highestNumber();
    const responses = await Promise.all([approve(item!.id), approve(item!.id), approve(item!.id)]);
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 409, 409]);
    assert.equal(await highestNumber(), before + 1);
    const [next] = await submitMany(1);
    assert.equal(((await approve(next!.id)).json().published as Published)[0]!.registrationNumber, before + 2);
  });

  test('a retracted statement’s number is never given to another', async () => {
    const [item] = await submitMany(1);
    const number = ((await approve(item!.id)).json().published as Published)[0]!.registrationNumber;
    assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt: item!.receipt })).statusCode, 200);
    const [next] = await submitMany(1);
    assert.equal(((await approve(next!.id)).json().published as Published)[0]!.registrationNumber, number + 1);
  });

  test('reject needs a reason from the fixed list', async () => {
    const [item] = await submitMany(1);
    const url = `/api/v1/staff/submissions/${item!.id}/reject`;
    const missing = await postAs(t.app, url, editor, {});
    assert.equal(missing.statusCode, 400);
    assert.deepEqual([missing.json().error.code, missing.json().error.field], ['required', 'reason']);
    const empty = await postAs(t.app, url, editor, { reason: '' });
    assert.equal(empty.json().error.code, 'required');
    for (const reason of ['because', 'SPAM', ['spam'], 3]) {
      const wrong = await postAs(t.app, url, editor, { reason });
      assert.equal(wrong.statusCode, 400, JSON.stringify(reason));
      assert.deepEqual([wrong.json().error.code, wrong.json().error.field], ['not_in_list', 'reason']);
    }
    assert.equal((await statusOf(item!.id)).status, 'pending');
    const ok = await postAs(t.app, url, editor, { reason: 'not_a_withdrawal' });
    assert.equal(ok.statusCode, 200, ok.body);
    const row = await statusOf(item!.id);
    assert.deepEqual([row.status, row.reject_reason, row.registration_number], ['rejected', 'not_a_withdrawal', null]);
    assert.equal((await postAs(t.app, url, editor, { reason: 'spam' })).statusCode, 409);
  });

  test('bulk reject is all or nothing too', async () => {
    const items = await submitMany(3);
    await approve(items[1]!.id);
    const response = await postAs(t.app, '/api/v1/staff/reject', editor, { ids: items.map((i) => i.id), reason: 'spam' });
    assert.equal(response.statusCode, 409);
    assert.equal((await statusOf(items[0]!.id)).status, 'pending');
    assert.equal((await statusOf(items[2]!.id)).status, 'pending');
  });

  test('a duplicate must name another existing submission', async () => {
    const [original, copy] = await submitMany(2);
    const url = `/api/v1/staff/submissions/${copy!.id}/duplicate`;
    const missing = await postAs(t.app, url, editor, {});
    assert.deepEqual([missing.statusCode, missing.json().error.code, missing.json().error.field], [400, 'required', 'of']);
    const itself = await postAs(t.app, url, editor, { of: copy!.id });
    assert.equal(itself.statusCode, 400);
    assert.equal(itself.json().error.field, 'of');
    const unknown = await postAs(t.app, url, editor, { of: '00000000-0000-4000-8000-000000000000' });
    assert.deepEqual([unknown.statusCode, unknown.json().error.code, unknown.json().error.field], [404, 'not_found', 'of']);
    const wrongType = await postAs(t.app, url, editor, { of: 42 });
    assert.equal(wrongType.statusCode, 400);
    assert.equal((await statusOf(copy!.id)).status, 'pending');
    const ok = await postAs(t.app, url, editor, { of: original!.id });
    assert.equal(ok.statusCode, 200, ok.body);
    const row = await statusOf(copy!.id);
    assert.deepEqual([row.status, row.duplicate_of], ['duplicate', original!.id]);
    assert.equal((await statusOf(original!.id)).status, 'pending', 'the original stays as it was');
  });

  test('an edit changes title and text and keeps what they said before in submission_edit', async () => {
    const { id } = await submitPublic(t.app, { title: '原来的标题', text: '原来的文字，含有一个能认出人的细节：某某厂三车间。' });
    const response = await postAs(t.app, `/api/v1/staff/submissions/${id}/edit`, editor, { title: '新的标题', text: '原来的文字，含有一个能认出人的细节：[已删除]。' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().title, '新的标题');
    const row = await statusOf(id);
    assert.deepEqual([row.title, row.text], ['新的标题', '原来的文字，含有一个能认出人的细节：[已删除]。']);
    const edits = await t.database.db.selectFrom('submission_edit').selectAll().where('submission_id', '=', id).execute();
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.title_before, '原来的标题');
    assert.equal(edits[0]!.text_before, '原来的文字，含有一个能认出人的细节：某某厂三车间。');
    assert.ok(edits[0]!.editor_id);

    const tooLong = await postAs(t.app, `/api/v1/staff/submissions/${id}/edit`, editor, { title: 'x'.repeat(121) });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.field, 'title');
    assert.equal(await rowCount(t.database, 'submission_edit'), 1, 'a refused edit keeps nothing');

    await approve(id);
    const late = await postAs(t.app, `/api/v1/staff/submissions/${id}/edit`, editor, { text: '发表后再改' });
    assert.equal(late.statusCode, 409);
    assert.equal((await statusOf(id)).text, '原来的文字，含有一个能认出人的细节：[已删除]。');
  });

  test('the queue lists pending submissions oldest first, without the contact ciphertext', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/staff/queue', headers: { authorization: `Bearer ${editor}` } });
    assert.equal(response.statusCode, 200);
    const items = response.json().items as { id: string; status: string; receivedAt: string }[];
    assert.ok(items.length > 0);
    assert.ok(items.every((i) => i.status === 'pending'));
    const times = items.map((i) => i.receivedAt);
    assert.deepEqual(times, [...times].sort());
    assert.ok(!response.body.includes('contact_ciphertext') && !response.body.includes('BEGIN AGE'));
  });

  test('entries from volunteers wait for review like any other', async () => {
    const entry = await submitAssisted(t.app, volunteer);
    assert.equal(entry.status, 'pending');
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/staff/queue?channel=phone', headers: { authorization: `Bearer ${editor}` } });
    assert.ok((queue.json().items as { id: string }[]).some((i) => i.id === entry.id));
  });
});

describeEachDialect('counts move with every review action', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  /** Sum over days of every cell of `daily_count`, as `metric|dimension|value` → n. */
  async function cells(): Promise<Map<string, number>> {
    const rows = await t.database.db.selectFrom('daily_count').select(['metric', 'dimension', 'value', 'n']).execute();
    const map = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.metric}|${r.dimension}|${r.value}`;
      map.set(key, (map.get(key) ?? 0) + Number(r.n));
    }
    return map;
  }

  test('received, published, rejected and retracted are counted apart, by organisation, region and channel', async () => {
    const editor = (await tokenFor(t.database, await addStaff(t.database, 'count-editor', 'editor'))).token;
    const volunteer = (await tokenFor(t.database, await addStaff(t.database, 'count-volunteer', 'volunteer'))).token;
    // A family of two, from the web.
    const family = await submitPublic(t.app, {
      declarants: [
        { displayName: '家人甲', nameKind: 'real', organizations: ['party', 'youth_league'], region: '110000' },
        { displayName: '家人乙', nameKind: 'pseudonym', organizations: ['young_pioneers'], region: '110000' },
      ],
    });
    // One person by phone, recorded by a volunteer.
    const byPhone = await submitAssisted(t.app, volunteer, {
      declarants: [{ displayName: '电话里的人', nameKind: 'pseudonym', organizations: ['party'], region: '440000' }],
    });
    // Three people, rejected.
    const spam = await submitPublic(t.app, {
      declarants: ['一', '二', '三'].map((n) => ({ displayName: `人${n}`, nameKind: 'pseudonym', organizations: ['party'], region: '310000' })),
    });

    assert.equal((await postAs(t.app, '/api/v1/staff/approve', editor, { ids: [family.id, byPhone.id] })).statusCode, 200);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${spam.id}/reject`, editor, { reason: 'spam' })).statusCode, 200);
    assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt: family.receipt })).statusCode, 200);

    const c = await cells();
    const n = (metric: string, dimension = 'total', value = '') => c.get(`${metric}|${dimension}|${value}`) ?? 0;
    assert.deepEqual(
      {
        statements_received: n('statements_received'),
        persons_received: n('persons_received'),
        statements_published: n('statements_published'),
        persons_published: n('persons_published'),
        statements_rejected: n('statements_rejected'),
        statements_retracted: n('statements_retracted'),
        persons_retracted: n('persons_retracted'),
      },
      {
        statements_received: 3,
        persons_received: 6,
        statements_published: 2,
        persons_published: 3,
        statements_rejected: 1,
        statements_retracted: 1,
        persons_retracted: 2,
      },
    );
    assert.equal(n('statements_rejected', 'reason', 'spam'), 1);
    assert.equal(n('persons_rejected'), 3, 'the people of rejected statements are counted apart, by region and organisation too');
    assert.equal(n('persons_rejected', 'reason', 'spam'), 3);
    assert.equal(n('persons_published') - n('persons_retracted'), 1, 'the headline count: published persons not retracted');

    // Published persons, by organisation, region and channel, are exactly the declarants approved.
    assert.deepEqual(
      ['party', 'youth_league', 'young_pioneers'].map((o) => n('persons_published', 'organization', o)),
      [2, 1, 1],
    );
    assert.equal(n('persons_published', 'region', '110000'), 2);
    assert.equal(n('persons_published', 'region', '440000'), 1);
    assert.equal(n('persons_published', 'region', '310000'), 0);
    assert.equal(n('persons_published', 'channel', 'web'), 2);
    assert.equal(n('persons_published', 'channel', 'phone'), 1);
    assert.equal(n('statements_published', 'channel', 'web'), 1);
    assert.equal(n('statements_published', 'channel', 'phone'), 1);
    // The retraction takes exactly that family's persons out, visibly.
    assert.equal(n('persons_retracted', 'region', '110000'), 2);
    assert.deepEqual(
      ['party', 'youth_league', 'young_pioneers'].map((o) => n('persons_retracted', 'organization', o)),
      [1, 1, 1],
    );
    assert.equal(n('persons_retracted', 'channel', 'web'), 2);
    assert.equal(n('persons_received', 'region', '310000'), 3);

    // A duplicate is counted as such, never as published.
    const original = await submitPublic(t.app);
    const copy = await submitPublic(t.app);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${copy.id}/duplicate`, editor, { of: original.id })).statusCode, 200);
    const after = await cells();
    assert.equal(after.get('statements_duplicate|total|'), 1);
    assert.equal(after.get('persons_published|total|'), 3);
  });

  test('a refused review action moves no count', async () => {
    const editor = (await tokenFor(t.database, await addStaff(t.database, 'count-editor-2', 'editor'))).token;
    const a = await submitPublic(t.app);
    const before = await cells();
    assert.equal((await postAs(t.app, '/api/v1/staff/approve', editor, { ids: [a.id, '00000000-0000-4000-8000-000000000000'] })).statusCode, 404);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${a.id}/reject`, editor, { reason: 'nope' })).statusCode, 400);
    assert.deepEqual(await cells(), before);
  });
});
