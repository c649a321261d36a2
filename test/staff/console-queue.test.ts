// The review queue and a submission's page in the staff console: hints, approval with its
// registration number, bulk actions, edits, duplicates and featuring, on both dialects.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { errorMessage } from '../../src/domain/service-error.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, getPage, postPage, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';

describeEachDialect('staff console: review queue and submission pages', (dialect) => {
  let t: TestApp;
  let editor: ConsoleSession;
  before(async () => {
    t = await createTestApp(dialect);
    editor = await sessionOf(t.database, await createStaff(t.database, 'editor'));
  });
  after(() => t.close());
  // Each test starts from an empty queue: earlier ones leave nothing pending behind.
  beforeEach(async () => {
    await t.database.db.updateTable('submission').set({ status: 'rejected' }).where('status', '=', 'pending').execute();
  });

  async function submit(overrides: Record<string, unknown> = {}): Promise<{ id: string; receipt: string }> {
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission(overrides));
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }
  const person = (displayName: string, region = '440000') => ({ declarants: [{ displayName, nameKind: 'pseudonym', organizations: ['party'], region }] });
  const statusOf = async (id: string) =>
    t.database.db.selectFrom('submission').select(['status', 'registration_number', 'reject_reason', 'duplicate_of', 'featured', 'title', 'text']).where('id', '=', id).executeTakeFirstOrThrow();

  test('the queue shows pending submissions oldest first, with people, text, flags and a same-name hint linking to the other', async () => {
    const first = await submit({ ...person('同名测试者'), text: '第一份合成声明。' });
    const second = await submit({ ...person('同名测试者'), text: '另一份完全不同的合成文字，用来测试。' });
    const other = await submit(person('别的名字', '110000'));
    // Times are stored coarsely (promise 1): set them apart to see the order.
    for (const [i, id] of [second.id, first.id, other.id].entries()) {
      await t.database.db.updateTable('submission').set({ received_at: `2026-01-0${i + 1}T00:00:00.000Z` }).where('id', '=', id).execute();
    }
    await indexPending(t.database);
    const page = await getPage(t.app, '/staff/queue', editor);
    assert.equal(page.statusCode, 200);
    const order = [second.id, first.id, other.id].map((id) => page.body.indexOf(`id="item-${id}"`));
    assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, 'oldest first');
    assert.ok(page.body.includes('第一份合成声明。'));
    assert.ok(page.body.includes('同名测试者'));
    assert.ok(page.body.includes('no proof-of-work'), 'flag shown');
    const itemOf = (id: string) => page.body.slice(page.body.indexOf(`id="item-${id}"`)).split('</li><li class="queue-item"')[0]!;
    assert.match(itemOf(second.id), new RegExp(`data-hint="same-name">[^<]*<a href="/staff/submissions/${first.id}">`));
    assert.match(itemOf(first.id), new RegExp(`data-hint="same-name">[^<]*<a href="/staff/submissions/${second.id}">`));
    assert.ok(!itemOf(other.id).includes('data-hint="same-name"'), 'no hint for another name');
    // Every item can be approved, rejected and ticked without JavaScript; the script only adds keys.
    assert.ok(itemOf(first.id).includes(`action="/staff/submissions/${first.id}/approve"`));
    assert.ok(itemOf(first.id).includes(`name="_csrf" value="${editor.csrf}"`));
    assert.ok(itemOf(first.id).includes(`<input type="checkbox" name="ids" value="${first.id}" form="bulk"`));
    assert.ok(page.body.includes('<script src="/assets/staff-keys.js" defer>'));
    const script = await t.app.inject({ url: '/assets/staff-keys.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });

  test('filters: proof-of-work, flagged, channel and language narrow the queue', async () => {
    const { id } = await submit({ language: 'en', ...person('Filter Person') });
    const has = async (query: string) => (await getPage(t.app, `/staff/queue?${query}`, editor)).body.includes(`id="item-${id}"`);
    assert.equal(await has('pow=no&flagged=yes'), true);
    assert.equal(await has('pow=yes'), false);
    assert.equal(await has('flagged=no'), false);
    assert.equal(await has('channel=web&language=en'), true);
    assert.equal(await has('channel=phone'), false);
    assert.equal(await has('language=zh-hans'), false);
    assert.equal(await has('channel=<script>&page=-3'), true, 'unknown values are ignored');
  });

  test('approving through the form assigns a registration number, and the receipt API shows it published', async () => {
    const { id, receipt } = await submit();
    const response = await postPage(t.app, `/staff/submissions/${id}/approve`, editor, [['back', 'queue'], ['q', 'pow=no']]);
    assert.equal(response.statusCode, 303, response.body);
    const row = await statusOf(id);
    assert.equal(row.status, 'published');
    assert.ok(Number.isInteger(row.registration_number));
    const location = String(response.headers.location);
    assert.ok(location.startsWith('/staff/queue?pow=no&'), location);
    const after = await getPage(t.app, location, editor);
    assert.ok(after.body.includes(`Registration number: ${row.registration_number}.`), 'the number is shown');
    assert.ok(!after.body.includes(`id="item-${id}"`), 'no longer in the queue');

    const status = (await postJson(t.app, '/api/v1/receipt', { receipt })).json();
    assert.equal(status.status, 'published');
    assert.deepEqual(status.registrationNumbers, [String(row.registration_number)]);

    const again = await postPage(t.app, `/staff/submissions/${id}/approve`, editor, [['back', 'detail']]);
    assert.equal(again.statusCode, 409);
    assert.ok(again.body.includes(errorMessage({ code: 'not_pending' }, 'en')));
    const detail = await getPage(t.app, `/staff/submissions/${id}`, editor);
    assert.match(detail.body, new RegExp(`<dd class="registration-number">${row.registration_number}</dd>`));
  });

  test('bulk reject with a reason rejects every ticked submission; without a reason or a tick nothing changes', async () => {
    const a = await submit(person('批量甲'));
    const b = await submit(person('批量乙'));
    const ids: [string, string][] = [['ids', a.id], ['ids', b.id]];
    const noReason = await postPage(t.app, '/staff/queue/bulk', editor, [['action', 'reject'], ['reason', ''], ...ids]);
    assert.equal(noReason.statusCode, 400);
    assert.ok(noReason.body.includes(errorMessage({ code: 'required', field: 'reason' }, 'en')));
    const noTick = await postPage(t.app, '/staff/queue/bulk', editor, [['action', 'reject'], ['reason', 'spam']]);
    assert.equal(noTick.statusCode, 400);
    assert.ok(noTick.body.includes('Ticked submissions: this is required.'));
    assert.equal((await statusOf(a.id)).status, 'pending');

    const done = await postPage(t.app, '/staff/queue/bulk', editor, [['action', 'reject'], ['reason', 'spam'], ['q', 'flagged=yes'], ...ids]);
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/staff/queue?flagged=yes&done=rejected&count=2');
    for (const id of [a.id, b.id]) assert.deepEqual([(await statusOf(id)).status, (await statusOf(id)).reject_reason], ['rejected', 'spam']);
    assert.ok((await getPage(t.app, String(done.headers.location), editor)).body.includes('Rejected: 2.'));
  });

  test('bulk approve publishes all ticked with consecutive numbers, or none when one is no longer pending', async () => {
    const a = await submit(person('批准甲'));
    const b = await submit(person('批准乙'));
    const c = await submit(person('批准丙'));
    await t.database.db.updateTable('submission').set({ status: 'retracted' }).where('id', '=', c.id).execute();
    const refused = await postPage(t.app, '/staff/queue/bulk', editor, [['action', 'approve'], ['ids', a.id], ['ids', c.id]]);
    assert.equal(refused.statusCode, 409);
    assert.equal((await statusOf(a.id)).status, 'pending', 'all or nothing');
    const done = await postPage(t.app, '/staff/queue/bulk', editor, [['action', 'approve'], ['ids', a.id], ['ids', b.id]]);
    assert.equal(done.statusCode, 303, done.body);
    const numbers = [(await statusOf(a.id)).registration_number!, (await statusOf(b.id)).registration_number!].sort((x, y) => x - y);
    assert.equal(numbers[1]! - numbers[0]!, 1);
    assert.equal(done.headers.location, `/staff/queue?done=approved&first=${numbers[0]}&last=${numbers[1]}`);
  });

  test('edit before publication keeps the original for the audit; a bad edit comes back with the input kept', async () => {
    const { id } = await submit({ title: '原标题', text: '住在某街某号的合成声明。' });
    const tooLong = 'x'.repeat(121);
    const bad = await postPage(t.app, `/staff/submissions/${id}/edit`, editor, [['title', tooLong], ['text', '改过的文字']]);
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes(`value="${tooLong}"`), 'the input is kept');
    assert.ok(bad.body.includes('改过的文字</textarea>'));
    assert.equal((await statusOf(id)).title, '原标题');

    const ok = await postPage(t.app, `/staff/submissions/${id}/edit`, editor, [['title', '新标题'], ['text', '已删去地址的合成声明。']]);
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/staff/submissions/${id}?done=edited`);
    assert.deepEqual([(await statusOf(id)).title, (await statusOf(id)).text], ['新标题', '已删去地址的合成声明。']);
    const kept = await t.database.db.selectFrom('submission_edit').selectAll().where('submission_id', '=', id).execute();
    assert.deepEqual(kept.map((e) => [e.title_before, e.text_before]), [['原标题', '住在某街某号的合成声明。']]);
  });

  test('mark as a duplicate of a hinted submission, and feature a published one', async () => {
    const original = await submit(person('重复测试者'));
    const copy = await submit(person('重复测试者'));
    await indexPending(t.database);
    const detail = await getPage(t.app, `/staff/submissions/${copy.id}`, editor);
    assert.ok(detail.body.includes(`name="ofHint" value="${original.id}"`), 'the hinted submission is offered');
    const unknown = await postPage(t.app, `/staff/submissions/${copy.id}/duplicate`, editor, [['of', 'no-such-id']]);
    assert.equal(unknown.statusCode, 404);
    assert.ok(unknown.body.includes('value="no-such-id"'), 'the input is kept');
    const marked = await postPage(t.app, `/staff/submissions/${copy.id}/duplicate`, editor, [['ofHint', original.id], ['of', '']]);
    assert.equal(marked.statusCode, 303, marked.body);
    assert.deepEqual([(await statusOf(copy.id)).status, (await statusOf(copy.id)).duplicate_of], ['duplicate', original.id]);

    await postPage(t.app, `/staff/submissions/${original.id}/approve`, editor);
    const featured = await postPage(t.app, `/staff/submissions/${original.id}/feature`, editor, [['featured', 'yes']]);
    assert.equal(featured.statusCode, 303);
    assert.equal((await statusOf(original.id)).featured, 1);
    assert.ok((await getPage(t.app, String(featured.headers.location), editor)).body.includes('Featured as an article.'));
    await postPage(t.app, `/staff/submissions/${original.id}/feature`, editor, [['featured', 'no']]);
    assert.equal((await statusOf(original.id)).featured, 0);
  });

  test('an unknown submission is a 404 page; text from declarants is escaped', async () => {
    assert.equal((await getPage(t.app, '/staff/submissions/nothing-here', editor)).statusCode, 404);
    assert.equal((await postPage(t.app, '/staff/submissions/nothing-here/approve', editor)).statusCode, 404);
    const { id } = await submit({ title: '<script>alert(1)</script>', text: '<img src=x onerror=alert(1)>' });
    const page = await getPage(t.app, `/staff/submissions/${id}`, editor);
    assert.ok(!page.body.includes('<script>alert') && !page.body.includes('<img src=x'));
    assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
