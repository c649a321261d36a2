import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { importCsv, ImportRejected } from '../../src/commands/csv-import.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { errorMessage } from '../../src/domain/service-error.js';
import { createTestApp, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, getAs, postAs, rowCount, submitAssisted, tokenFor, type TestStaff } from './staff-fixtures.js';

const HEADER = 'displayName,nameKind,organizations,region,channel,consent,language,title,text';
const REGIONS = ['110000', '310000', '440000', '510000', 'overseas'];
const CHANNELS = ['phone', 'in_person', 'email', 'letter', 'hotline'];

/** A good import row: synthetic names, organisations separated by `;` or `|`. */
function goodRow(i: number): string {
  const orgs = ['party', 'party;youth_league', 'youth_league|young_pioneers'][i % 3];
  return `导入者${i},${i % 2 ? 'real' : 'pseudonym'},${orgs},${REGIONS[i % REGIONS.length]},${CHANNELS[i % CHANNELS.length]},yes,zh-hans,,`;
}

function csvOf(rows: string[]): Buffer {
  return Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
}

async function rejectedProblems(attempt: Promise<unknown>) {
  try {
    await attempt;
  } catch (error) {
    assert.ok(error instanceof ImportRejected, String(error));
    return error.problems;
  }
  assert.fail('the import was accepted');
}

describeEachDialect('assisted entry and CSV import: channel, consent, all or nothing', (dialect) => {
  let t: TestApp;
  let volunteer: TestStaff;
  let token = '';

  before(async () => {
    t = await createTestApp(dialect);
    volunteer = await addStaff(t.database, 'import-volunteer', 'volunteer');
    token = (await tokenFor(t.database, volunteer)).token;
  });
  after(() => t.close());

  /** What refused requests must leave untouched. */
  const snapshot = async () => [await rowCount(t.database, 'submission'), await rowCount(t.database, 'declarant'), await rowCount(t.database, 'audit_log')];

  test('POST /api/v1/staff/assisted with a channel and consent → 201 pending, with the channel, the consent and who entered it', async () => {
    const created = await submitAssisted(t.app, token, { channel: 'hotline', consent: true });
    assert.equal(created.status, 'pending');
    assert.match(created.receipt, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    const row = await t.database.db.selectFrom('submission').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.channel, row.consent, row.entered_by, row.flagged], ['pending', 'hotline', 1, volunteer.id, 0]);
    assert.notEqual(row.receipt_hash, created.receipt, 'the receipt is stored only as a hash');
  });

  test('without recorded consent → 400 consent_required, and nothing is written', async () => {
    const before = await snapshot();
    for (const consent of [undefined, false, 'false', 'no', '', 0, null]) {
      const body: Record<string, unknown> = { ...validSubmission(), channel: 'phone' };
      if (consent !== undefined) body.consent = consent;
      const response = await postAs(t.app, '/api/v1/staff/assisted', token, body);
      assert.equal(response.statusCode, 400, JSON.stringify(consent));
      assert.deepEqual([response.json().error.code, response.json().error.field], ['consent_required', 'consent']);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('the channel must be one a volunteer records: web → not_in_list, none → required', async () => {
    const before = await snapshot();
    const web = await postAs(t.app, '/api/v1/staff/assisted', token, { ...validSubmission(), channel: 'web', consent: true });
    assert.equal(web.statusCode, 400);
    assert.deepEqual([web.json().error.code, web.json().error.field], ['not_in_list', 'channel']);
    const unknown = await postAs(t.app, '/api/v1/staff/assisted', token, { ...validSubmission(), channel: 'carrier pigeon', consent: true });
    assert.equal(unknown.json().error.code, 'not_in_list');
    const none = await postAs(t.app, '/api/v1/staff/assisted', token, { ...validSubmission(), consent: true });
    assert.deepEqual([none.json().error.code, none.json().error.field], ['required', 'channel']);
    assert.deepEqual(await snapshot(), before);
  });

  test('every broken rule is reported at once, and the submission itself is validated as on the public API', async () => {
    const response = await postAs(t.app, '/api/v1/staff/assisted', token, { ...validSubmission({ declarants: [] }), channel: 'web' });
    assert.equal(response.statusCode, 400);
    const codes = (response.json().errors as { code: string; field: string }[]).map((e) => `${e.field}:${e.code}`).sort();
    assert.deepEqual(codes, ['channel:not_in_list', 'consent:consent_required', 'declarants:required']);
  });

  test('a good CSV file writes every row, each pending with its own channel and the importing volunteer', async () => {
    const before = await rowCount(t.database, 'submission');
    const rows = Array.from({ length: 1200 }, (_, i) => goodRow(i));
    const progress: number[] = [];
    const written = await importCsv(t.database, csvOf(rows), volunteer.member, (done) => progress.push(done));
    assert.equal(written, 1200);
    assert.equal(await rowCount(t.database, 'submission'), before + 1200);
    assert.equal(progress.at(-1), 1200);
    const imported = await t.database.db
      .selectFrom('submission')
      .innerJoin('declarant', 'declarant.submission_id', 'submission.id')
      .select(['submission.status', 'submission.channel', 'submission.consent', 'submission.entered_by', 'declarant.display_name', 'declarant.region', 'declarant.youth_league'])
      .where('declarant.display_name', 'in', ['导入者0', '导入者1', '导入者7'])
      .orderBy('declarant.display_name')
      .execute();
    assert.deepEqual(
      imported.map((r) => [r.display_name, r.status, r.channel, r.consent, r.entered_by, r.region, r.youth_league]),
      [
        ['导入者0', 'pending', 'phone', 1, volunteer.id, '110000', 0],
        ['导入者1', 'pending', 'in_person', 1, volunteer.id, '310000', 1],
        ['导入者7', 'pending', 'email', 1, volunteer.id, '440000', 1],
      ],
    );
    // More than one page of the verifier's walk, still one unbroken chain.
    assert.equal((await verifyAuditChain(t.database)).ok, true);
  });

  test('one bad row among 1000 good ones: nothing is written, and the bad row is named by its line', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => goodRow(i));
    rows[537] = '坏行,pseudonym,party,999999,phone,yes,zh-hans,,';
    const before = await snapshot();
    const problems = await rejectedProblems(importCsv(t.database, csvOf(rows), volunteer.member));
    // Line 1 is the header, so row index 537 is on line 539.
    assert.deepEqual(problems, [{ line: 539, message: errorMessage({ code: 'not_in_list', field: 'region' }, 'en') }]);
    assert.deepEqual(await snapshot(), before);
  });

  test('a bad row at the very end still stops the whole file (validated whole before anything is written)', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => goodRow(i));
    rows.push('最后一行,pseudonym,party,110000,phone,no,zh-hans,,');
    const before = await snapshot();
    const problems = await rejectedProblems(importCsv(t.database, csvOf(rows), volunteer.member));
    assert.deepEqual(problems.map((p) => p.line), [1002]);
    assert.match(problems[0]!.message, /consent|agree/i);
    assert.deepEqual(await snapshot(), before);
  });

  test('every bad row is reported, each with its line and reason, counting lines inside quoted text', async () => {
    const rows = [
      goodRow(0),
      '多行文字,real,party,110000,letter,yes,zh-hans,标题,"第一行\n第二行"',
      ',pseudonym,party,110000,phone,yes,zh-hans,,',
      goodRow(3),
      '网站来的,pseudonym,party,110000,web,yes,zh-hans,,',
      '没有组织,pseudonym,,110000,phone,yes,zh-hans,,',
    ];
    const before = await snapshot();
    const problems = await rejectedProblems(importCsv(t.database, csvOf(rows), volunteer.member));
    assert.deepEqual(problems.map((p) => p.line), [5, 7, 8]);
    assert.deepEqual(await snapshot(), before);
  });

  test('a file with a missing or unknown column is refused before any row is read', async () => {
    const missing = await rejectedProblems(importCsv(t.database, Buffer.from('displayName,nameKind,organizations,region,channel\n甲,real,party,110000,phone\n'), volunteer.member));
    assert.equal(missing[0]!.line, 1);
    assert.match(missing[0]!.message, /consent/);
    const unknown = await rejectedProblems(importCsv(t.database, Buffer.from(`${HEADER},ip\n${goodRow(0)},1.2.3.4\n`), volunteer.member));
    assert.match(unknown[0]!.message, /ip/);
    const notUtf8 = await rejectedProblems(importCsv(t.database, Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd])]), volunteer.member));
    assert.equal(notUtf8.length, 1);
  });
});

describeEachDialect('duplicate hints in the review queue', (dialect) => {
  let t: TestApp;
  let editor = '';
  let volunteer: TestStaff;
  let volunteerToken = '';

  before(async () => {
    t = await createTestApp(dialect);
    editor = (await tokenFor(t.database, await addStaff(t.database, 'hints-editor', 'editor'))).token;
    volunteer = await addStaff(t.database, 'hints-volunteer', 'volunteer');
    volunteerToken = (await tokenFor(t.database, volunteer)).token;
  });
  after(() => t.close());

  type Hints = { sameName: { id: string }[]; nearText: { id: string; similarity: number }[]; volunteerBurst: number | null };
  const person = (displayName: string, region: string) => ({ declarants: [{ displayName, nameKind: 'real', organizations: ['party'], region }] });
  const submit = async (overrides: Record<string, unknown>) => (await submitAssisted(t.app, volunteerToken, overrides)).id;
  // Hints come from what the background indexer stored: it is awaited here, before each look.
  const hintsOf = async (id: string): Promise<Hints> => {
    await indexPending(t.database);
    const response = await getAs(t.app, '/api/v1/staff/queue', editor);
    assert.equal(response.statusCode, 200);
    const item = (response.json().items as { id: string; hints: Hints }[]).find((i) => i.id === id);
    assert.ok(item, `${id} is in the first page of the queue`);
    return item.hints;
  };

  // Synthetic statement texts, long enough to be compared (at least 40 characters).
  const LONG_TEXT =
    '我在一九九八年读中学时加入了共青团，当时并不明白那意味着什么，只是老师说每个人都要入。后来工作了，单位里又有人劝我入党，' +
    '我没有答应，但团员的身份一直挂在那里。这些年我看到了很多事情，也想了很多，今天我用这个化名郑重声明退出共青团和少先队，' +
    '从此与它们再无任何关系。希望家里人以后也能平安。';
  const NEAR_TEXT = LONG_TEXT.replace('一九九八', '一九九九').replace('单位里', '公司里').replace('家里人', '家人们');
  const OTHER_TEXT =
    '小时候在村里的学校戴过红领巾，长大以后外出打工，在工地上干了十几年活。去年听朋友说起可以声明退出，我想了很久，' +
    '终于决定写下这几句话：我退出少先队，也不承认当年被迫许下的任何誓言。愿所有受苦的人都能早日得到自由和安宁。';

  test('the same name up to spaces, width and case, in the same region → a sameName hint both ways', async () => {
    const a = await submit(person('张 三', '110000'));
    const b = await submit(person('张三', '110000'));
    const c = await submit(person('Ｌｉ　Ｓｉ', '440000'));
    const d = await submit(person('li si', '440000'));
    assert.deepEqual((await hintsOf(a)).sameName.map((h) => h.id), [b]);
    assert.deepEqual((await hintsOf(b)).sameName.map((h) => h.id), [a]);
    assert.deepEqual((await hintsOf(c)).sameName.map((h) => h.id), [d]);
  });

  test('look-alike names (Cyrillic А and о among Latin letters; a zero for an O, in capitals) in the same region → a sameName hint', async () => {
    const a = await submit(person('Anna Petrova', '610000'));
    const b = await submit(person('\u0410nna Petr\u043eva', '610000'));
    const c = await submit(person('Oleg', '620000'));
    const d = await submit(person('0LEG', '620000'));
    assert.deepEqual((await hintsOf(a)).sameName.map((h) => h.id), [b]);
    assert.deepEqual((await hintsOf(b)).sameName.map((h) => h.id), [a]);
    assert.deepEqual((await hintsOf(d)).sameName.map((h) => h.id), [c]);
  });

  test('the same name in another region, or a different name, is not a hint', async () => {
    const a = await submit(person('王五', '120000'));
    const b = await submit(person('王五', '130000'));
    const c = await submit(person('王六', '120000'));
    for (const id of [a, b, c]) assert.deepEqual((await hintsOf(id)).sameName, [], id);
  });

  test('the same name more than 30 days apart is not a hint, whichever of the two is looked at', async () => {
    const old = await submit(person('赵七', '140000'));
    const recent = await submit(person('赵七', '140000'));
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await t.database.db.updateTable('submission').set({ received_at: longAgo }).where('id', '=', old).execute();
    assert.deepEqual((await hintsOf(recent)).sameName, [], 'the newer one, looking back');
    // The window is ±30 days: the older one must not be pointed at a statement sent long after it.
    assert.deepEqual((await hintsOf(old)).sameName, [], 'the older one, looking forward');
  });

  test('near-identical long texts (a few characters changed) → a nearText hint; unrelated texts → none', async () => {
    const a = await submit({ ...person('文字甲', '150000'), text: LONG_TEXT });
    const b = await submit({ ...person('文字乙', '210000'), text: NEAR_TEXT });
    const c = await submit({ ...person('文字丙', '220000'), text: OTHER_TEXT });
    const hintsA = await hintsOf(a);
    assert.deepEqual(hintsA.nearText.map((h) => h.id), [b]);
    assert.ok(hintsA.nearText[0]!.similarity >= 0.6 && hintsA.nearText[0]!.similarity < 1);
    assert.deepEqual((await hintsOf(b)).nearText.map((h) => h.id), [a]);
    assert.deepEqual((await hintsOf(c)).nearText, []);
    // Short texts are alike by nature and never hinted.
    const s1 = await submit({ ...person('短甲', '230000'), text: '我声明退出。' });
    const s2 = await submit({ ...person('短乙', '230000'), text: '我声明退出。' });
    assert.deepEqual((await hintsOf(s1)).nearText, []);
    assert.deepEqual((await hintsOf(s2)).nearText, []);
  });

  test('many entries in a short burst from one volunteer → a volunteerBurst hint', async () => {
    const quiet = await addStaff(t.database, 'hints-quiet', 'volunteer');
    const single = await submitAssisted(t.app, (await tokenFor(t.database, quiet)).token, person('安静的人', '320000'));
    assert.equal((await hintsOf(single.id)).volunteerBurst, null);
    const rows = Array.from({ length: 31 }, (_, i) => `连发${i},pseudonym,party,330000,phone,yes,zh-hans,,`);
    await importCsv(t.database, csvOf(rows), volunteer.member);
    const one = await t.database.db
      .selectFrom('submission')
      .innerJoin('declarant', 'declarant.submission_id', 'submission.id')
      .select('submission.id')
      .where('declarant.display_name', '=', '连发0')
      .executeTakeFirstOrThrow();
    const burst = (await hintsOf(one.id)).volunteerBurst;
    assert.ok(burst !== null && burst > 30, String(burst));
  });
});
