// Assisted entry, a volunteer's own entries, and the admin pages of the staff console, on both dialects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { hashReceipt, parseReceipt } from '../../src/domain/receipt.js';
import { errorMessage } from '../../src/domain/service-error.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, getPage, postPage, sessionOf, type ConsoleSession, type TestStaff } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';

const RECEIPT = /<output>([2-9A-HJKMNP-TV-Z]{4}(?:-[2-9A-HJKMNP-TV-Z]{4}){4})<\/output>/g;

describeEachDialect('staff console: assisted entry, own entries, admin pages', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  const form = (names: string, extra: [string, string][] = []): [string, string][] => [
    ['names', names],
    ['nameKind', 'pseudonym'],
    ['organizations', 'party'],
    ['organizations', 'youth_league'],
    ['region', '510000'],
    ['occupation', ''],
    ['channel', 'phone'],
    ['language', 'zh-hans'],
    ['title', ''],
    ['text', ''],
    ...extra,
  ];
  const countOf = async (staff: TestStaff) =>
    (await t.database.db.selectFrom('submission').select('id').where('entered_by', '=', staff.id).execute()).length;

  async function volunteer(): Promise<{ staff: TestStaff; session: ConsoleSession }> {
    const staff = await createStaff(t.database, 'volunteer');
    return { staff, session: await sessionOf(t.database, staff) };
  }

  test('three names record three pending submissions with channel, consent and the volunteer, and show three receipts once', async () => {
    const { staff, session } = await volunteer();
    const page = await getPage(t.app, '/staff/assisted', session);
    assert.equal(page.statusCode, 200);
    for (const channel of ['phone', 'in_person', 'email', 'letter', 'hotline']) assert.ok(page.body.includes(`name="channel" value="${channel}"`), channel);
    assert.ok(!page.body.includes('name="channel" value="web"'), 'web is not an assisted channel');

    const response = await postPage(t.app, '/staff/assisted', session, form('张三\r\n\r\n  李四  \n王五', [['consent', 'yes'], ['action', 'record']]));
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const receipts = [...response.body.matchAll(RECEIPT)].map((m) => m[1]!);
    assert.equal(receipts.length, 3);
    for (const name of ['张三', '李四', '王五']) assert.ok(response.body.includes(`<td>${name}</td>`), name);

    const rows = await t.database.db.selectFrom('submission').selectAll().where('entered_by', '=', staff.id).execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.deepEqual([row.status, row.channel, row.consent, row.proof_of_work, row.language], ['pending', 'phone', 1, 0, 'zh-hans']);
    }
    assert.deepEqual(rows.map((r) => r.receipt_hash).sort(), receipts.map((r) => hashReceipt(parseReceipt(r)!)).sort(), 'one receipt per submission');
    const people = await t.database.db.selectFrom('declarant').selectAll().where('submission_id', 'in', rows.map((r) => r.id)).execute();
    assert.deepEqual(people.map((p) => p.display_name).sort(), ['张三', '李四', '王五'].sort());
    assert.ok(people.every((p) => p.party === 1 && p.youth_league === 1 && p.young_pioneers === 0 && p.region === '510000'));
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('actor', '=', staff.id).execute();
    assert.equal(audit.filter((a) => a.action === 'submission.assisted' && a.details!.includes('"source":"form"')).length, 3);
  });

  test('without consent nothing is written, the error names the consent and the input is kept', async () => {
    const { staff, session } = await volunteer();
    const response = await postPage(t.app, '/staff/assisted', session, form('赵六\n钱七'));
    assert.equal(response.statusCode, 400);
    assert.ok(response.body.includes(errorMessage({ code: 'consent_required', field: 'consent' }, 'en')));
    assert.ok(response.body.includes('赵六\n钱七</textarea>'), 'the names are kept');
    assert.ok(response.body.includes('value="phone" checked'), 'the channel is kept');
    assert.equal(await countOf(staff), 0);
  });

  test('a bad name is reported by its line, a missing channel and region once each, and nothing is written', async () => {
    const { staff, session } = await volunteer();
    const fields = form(`好名字\n${'长'.repeat(41)}`, [['consent', 'yes']]).map(([k, v]): [string, string] => [k, k === 'channel' || k === 'region' ? '' : v]);
    const response = await postPage(t.app, '/staff/assisted', session, fields);
    assert.equal(response.statusCode, 400);
    assert.ok(response.body.includes('Names, line 2: at most 40 characters.'), 'the line is named');
    assert.equal(response.body.split(errorMessage({ code: 'required', field: 'region' }, 'en')).length - 1, 2, 'in the summary and beside the field, once each');
    assert.ok(response.body.includes(errorMessage({ code: 'required', field: 'channel' }, 'en')));
    assert.equal(await countOf(staff), 0);
    const empty = await postPage(t.app, '/staff/assisted', session, form('  \n ', [['consent', 'yes']]));
    assert.equal(empty.statusCode, 400);
    assert.ok(empty.body.includes(errorMessage({ code: 'required', field: 'names' }, 'en')));
  });

  test('"suggest a pseudonym" adds a synthetic name as a new line and writes nothing', async () => {
    const { staff, session } = await volunteer();
    const response = await postPage(t.app, '/staff/assisted', session, form('甲某', [['consent', 'yes'], ['action', 'suggest-pseudonym']]));
    assert.equal(response.statusCode, 200);
    const names = /<textarea id="names"[^>]*>([^<]*)<\/textarea>/.exec(response.body)![1]!.split('\n');
    assert.equal(names.length, 2);
    assert.equal(names[0], '甲某');
    assert.match(names[1]!, /^\p{Script=Han}{2,3}$/u);
    assert.ok(response.body.includes(names[1]!) && response.body.includes('role="status"'), 'announced');
    assert.equal(await countOf(staff), 0);
  });

  test('a volunteer sees only their own entries and gets 403 on anyone else\'s submission', async () => {
    const mine = await volunteer();
    const theirs = await volunteer();
    await postPage(t.app, '/staff/assisted', mine.session, form('我的条目', [['consent', 'yes']]));
    await postPage(t.app, '/staff/assisted', theirs.session, form('别人的条目', [['consent', 'yes']]));
    const idOf = async (staff: TestStaff) =>
      (await t.database.db.selectFrom('submission').select('id').where('entered_by', '=', staff.id).executeTakeFirstOrThrow()).id;
    const [myId, theirId] = [await idOf(mine.staff), await idOf(theirs.staff)];
    const web = (await postJson(t.app, '/api/v1/submissions', validSubmission())).json().id as string;

    const entries = await getPage(t.app, '/staff/entries', mine.session);
    assert.equal(entries.statusCode, 200);
    assert.ok(entries.body.includes('我的条目') && entries.body.includes(`data-id="${myId}"`));
    assert.ok(!entries.body.includes('别人的条目') && !entries.body.includes(theirId));
    assert.ok(entries.body.includes('data-status="pending"'));

    assert.equal((await getPage(t.app, `/staff/submissions/${myId}`, mine.session)).statusCode, 200);
    for (const id of [theirId, web]) {
      const refused = await getPage(t.app, `/staff/submissions/${id}`, mine.session);
      assert.equal(refused.statusCode, 403, id);
      assert.ok(!refused.body.includes('别人的条目'));
    }
    // The same name from another volunteer: a hint for editors, never shown to a volunteer.
    await postPage(t.app, '/staff/assisted', theirs.session, form('我的条目', [['consent', 'yes']]));
    const sameName = (await t.database.db.selectFrom('submission').select('id').where('entered_by', '=', theirs.staff.id).where('id', '!=', theirId).executeTakeFirstOrThrow()).id;
    const own = await getPage(t.app, `/staff/submissions/${myId}`, mine.session);
    assert.ok(!own.body.includes('/approve"'), 'a volunteer is offered no review action');
    assert.ok(!own.body.includes(sameName) && !own.body.includes('data-hint'), 'no duplicate hint naming another statement');
    assert.equal((await postPage(t.app, `/staff/submissions/${myId}/approve`, mine.session)).statusCode, 403);

    // Published later: the volunteer sees the registration number.
    const editor = await sessionOf(t.database, await createStaff(t.database, 'editor'));
    await indexPending(t.database);
    assert.ok((await getPage(t.app, `/staff/submissions/${myId}`, editor)).body.includes(`/staff/submissions/${sameName}"`), 'editors see the hint');
    assert.equal((await postPage(t.app, `/staff/submissions/${myId}/approve`, editor)).statusCode, 303);
    const number = (await t.database.db.selectFrom('submission').select('registration_number').where('id', '=', myId).executeTakeFirstOrThrow()).registration_number;
    assert.match((await getPage(t.app, '/staff/entries', mine.session)).body, new RegExp(`<td class="registration-number">${number}</td>`));
  });

  test('the audit log is for admins only: newest first, 100 a page, older pages by `before`', async () => {
    const admin = await sessionOf(t.database, await createStaff(t.database, 'admin'));
    const { session } = await volunteer();
    const names = Array.from({ length: 120 }, (_, i) => `审计${i}`).join('\n');
    assert.equal((await postPage(t.app, '/staff/assisted', session, form(names, [['consent', 'yes']]))).statusCode, 201);

    for (const role of ['editor', 'volunteer', 'translator'] as const) {
      const other = await sessionOf(t.database, await createStaff(t.database, role));
      assert.equal((await getPage(t.app, '/staff/audit', other)).statusCode, 403, role);
    }
    const first = await getPage(t.app, '/staff/audit', admin);
    assert.equal(first.statusCode, 200);
    const seqs = [...first.body.matchAll(/<tr data-seq="(\d+)">/g)].map((m) => Number(m[1]));
    assert.equal(seqs.length, 100);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    const older = /href="\/staff\/audit\?before=(\d+)"/.exec(first.body);
    assert.ok(older, 'a link to older entries');
    assert.equal(Number(older[1]), seqs.at(-1));
    const second = await getPage(t.app, `/staff/audit?before=${older[1]}`, admin);
    const next = [...second.body.matchAll(/<tr data-seq="(\d+)">/g)].map((m) => Number(m[1]));
    assert.ok(next.length > 0 && next.every((s) => s < seqs.at(-1)!));
    assert.ok(first.body.includes('submission.assisted'));
  });

  test('the accounts page lists accounts for admins without any secret', async () => {
    const adminStaff = await createStaff(t.database, 'admin');
    const admin = await sessionOf(t.database, adminStaff);
    const page = await getPage(t.app, '/staff/users', admin);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(adminStaff.name));
    const secrets = await t.database.db.selectFrom('staff_user').select(['password_hash', 'totp_secret']).execute();
    for (const s of secrets) {
      assert.ok(!page.body.includes(s.password_hash.split('$').at(-1)!));
      if (s.totp_secret) assert.ok(!page.body.includes(s.totp_secret));
    }
    assert.ok(!page.body.includes('scrypt$'));
  });
});
