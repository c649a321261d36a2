// Threat: a database thief (or anyone with a disk image or the SQLite file) reads, long after
// the fact, what a declarant retracted — its text, title and names — or what an editor redacted
// from a published statement (`submission_edit`). Retention erases both after a grace period
// (RETENTION_RETRACTED_DAYS from the retraction, RETENTION_EDITS_DAYS from publication), not
// before; afterwards nothing of them is in any table, nor in the SQLite file, WAL or search
// index; the counts do not move and `recount` finds no drift; the receipt still says "retracted".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { recountCounts } from '../../src/commands/counts-recounter.js';
import { readReceipt } from '../../src/commands/receipt-reader.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { editStatement } from '../../src/commands/statement-editor.js';
import { searchStatements } from '../../src/commands/statement-search.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { generateKeyPair } from '../../src/crypto/contact-sealer.js';
import type { RetentionPolicy } from '../../src/domain/retention.js';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, auditRows, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { leftovers, searchIndexHits, showHits } from './leftovers.js';

const POLICY: RetentionPolicy = { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 7, editsDays: 30 };
const DAY = 86_400_000;

/** A statement whose text, title, names, occupation and contact all carry `mark`. */
const marked = (mark: string) => ({
  title: `title ${mark}`,
  text: `这是一份为测试撤回后的擦除而写的合成声明，内容足够长，可以计算文本指纹。${mark} 我声明退出，以后不再参加任何相关活动，特此声明。`,
  contact: `signal ${mark}`,
  declarants: [
    { displayName: `name${mark}`, nameKind: 'pseudonym', organizations: ['party'], region: '440000', occupation: 'education' },
    { displayName: `other${mark}`, nameKind: 'real', organizations: ['youth_league', 'young_pioneers'], region: '110000' },
  ],
});

describeEachDialect('retracted statements and redacted originals leave no trace after their grace period', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const ids = {} as Record<'published' | 'pending' | 'edited' | 'control', string>;
  const receipts = {} as Record<'published' | 'pending', string>;
  const ciphertexts: string[] = [];
  // The two retractions may fall in two minutes: the earlier bounds "not before", the later "after".
  let firstRetractedAt = '';
  let retractedAt = '';
  let publishedAt = '';
  // Marks of what must go, and of what must stay.
  const GONE = ['retpubmark', 'retpendmark', 'origeditmark', 'translationmark'];
  const KEPT = ['keepeditmark', 'keeppubmark'];

  const db = () => t.database.db;
  const counts = () => db().selectFrom('daily_count').selectAll().orderBy(['day', 'metric', 'dimension', 'value']).execute();
  const noDrift = async () => assert.deepEqual((await recountCounts(t.database, { repair: false, actor: 'test' })).differences, []);
  const purgeAt = (ms: number, dryRun = false) => purgeExpired(t.database, POLICY, { actor: 'cli', now: new Date(ms), batchSize: 1, dryRun });
  const hitsOf = (needles: string[]) => leftovers(t.database, dialect, t.dataDir, needles);

  before(async () => {
    const keys = await generateKeyPair();
    t = await createTestApp(dialect, { ageRecipients: [keys.recipient] });
    editor = await addStaff(t.database, 'erasure-editor', 'editor');
    const published = await submitPublic(t.app, marked('retpubmark'));
    const pending = await submitPublic(t.app, marked('retpendmark'));
    [ids.published, receipts.published, ids.pending, receipts.pending] = [published.id, published.receipt, pending.id, pending.receipt];
    ids.edited = (await submitPublic(t.app, { ...marked('keepeditmark'), title: 'title origeditmark', text: `${marked('x').text} origeditmark` })).id;
    ids.control = (await submitPublic(t.app, marked('keeppubmark'))).id;
    await editStatement(t.database, ids.published, { title: 'title retpubmark edited', text: `${marked('retpubmark').text} 已编辑。` }, editor.member);
    await editStatement(t.database, ids.edited, { title: 'title keepeditmark', text: `${marked('keepeditmark').text} 已编辑。` }, editor.member);
    await approveSubmissions(t.database, [ids.published, ids.edited, ids.control], editor.member);
    // Text bands and name keys are written by the hint indexer (of the texts as edited); an edit
    // keeps what it replaced.
    await indexPending(t.database);
    await db()
      .insertInto('statement_translation')
      .values({ submission_id: ids.published, locale: 'en', title: null, text: 'translation translationmark', translator_id: editor.id, updated_at: new Date().toISOString() })
      .execute();
    for (const row of await db().selectFrom('submission').select('contact_ciphertext').where('id', 'in', [ids.published, ids.pending]).execute()) {
      // The second line: the first is the same age header in every file.
      ciphertexts.push(row.contact_ciphertext!.split('\n')[2]!.slice(0, 40));
    }
    for (const receipt of [receipts.published, receipts.pending]) assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt })).statusCode, 200);
    const times = await db().selectFrom('submission').select(['id', 'updated_at', 'published_at']).where('id', 'in', [ids.published, ids.pending, ids.edited]).execute();
    const retractions = times.filter((r) => r.id !== ids.edited).map((r) => r.updated_at).sort();
    [firstRetractedAt, retractedAt] = [retractions[0]!, retractions.at(-1)!];
    publishedAt = times.find((r) => r.id === ids.edited)!.published_at!;
  });
  after(() => t.close());

  test('the control: before the grace period ends, everything of them is found where the search looks', async () => {
    const hits = await hitsOf([...GONE, ...ciphertexts]);
    for (const needle of [...GONE, ...ciphertexts]) assert.ok(hits.some((h) => h.needle === needle && h.where.startsWith('row ')), `${needle} is in a row`);
    if (dialect === 'sqlite') {
      assert.ok(hits.some((h) => h.where.endsWith('.sqlite')), 'the file search would see a leftover');
      // Retraction took the statement out of search; its terms are still in the index until a merge.
      assert.deepEqual(await searchIndexHits(t.database, ['retpubmark', 'retpendmark']), ['retpubmark'], 'the index search would see a leftover');
    }
    const bands = await db().selectFrom('submission_text_band').select('band').where('submission_id', 'in', [ids.published, ids.pending]).execute();
    assert.ok(bands.length > 0, 'the test covers text bands');
  });

  test('not erased before RETENTION_RETRACTED_DAYS (nor the originals before RETENTION_EDITS_DAYS); a dry run only counts', async () => {
    const early = await purgeAt(Date.parse(firstRetractedAt) + 7 * DAY);
    assert.deepEqual([early.retracted, early.edits], [0, 0]);
    const dry = await purgeAt(Date.parse(retractedAt) + 7 * DAY + 1, true);
    assert.deepEqual([dry.retracted, dry.edits], [2, 0]);
    assert.equal((await db().selectFrom('submission').select('text').where('id', '=', ids.published).executeTakeFirstOrThrow()).text?.includes('retpubmark'), true);
    assert.equal((await auditRows(t.database, 'retention.purge')).length, 0);
  });

  test('after RETENTION_RETRACTED_DAYS the retracted statements’ text, title, names and contact are in no table and no file; the counts do not move', async () => {
    const before = await counts();
    const report = await purgeAt(Date.parse(retractedAt) + 7 * DAY + 1);
    assert.deepEqual([report.retracted, report.edits, report.submissions], [2, 0, 0]);
    const hits = await hitsOf(['retpubmark', 'retpendmark', 'translationmark', ...ciphertexts]);
    assert.deepEqual(hits, [], `found after the erasure:\n${showHits(hits)}`);
    if (dialect === 'sqlite') assert.deepEqual(await searchIndexHits(t.database, ['retpubmark']), [], 'tokens left in the search index');
    // What the counts are made of stays: status, days, channel, each person's region and organisations.
    assert.deepEqual(await counts(), before);
    await noDrift();
    const people = await db().selectFrom('declarant').select(['display_name', 'name_key', 'occupation', 'region', 'party', 'youth_league', 'young_pioneers']).where('submission_id', '=', ids.published).orderBy('position').execute();
    assert.deepEqual(people, [
      { display_name: '', name_key: null, occupation: null, region: '440000', party: 1, youth_league: 0, young_pioneers: 0 },
      { display_name: '', name_key: null, occupation: null, region: '110000', party: 0, youth_league: 1, young_pioneers: 1 },
    ]);
    for (const table of ['submission_edit', 'submission_text_band', 'statement_translation'] as const) {
      assert.equal((await db().selectFrom(table).select('submission_id').where('submission_id', 'in', [ids.published, ids.pending]).execute()).length, 0, table);
    }
    const number = (await db().selectFrom('submission').select('registration_number').where('id', '=', ids.published).executeTakeFirstOrThrow()).registration_number!;
    assert.equal((await db().selectFrom('statement_page').select('page_key').where('registration_number', '=', number).execute()).length, 0);
    // The declarant is still told it was retracted.
    const status = await readReceipt(t.database, receipts.published);
    assert.equal(status.status, 'retracted');
    // The audit entry says how many, never what.
    const entry = (await auditRows(t.database, 'retention.purge')).at(-1)!;
    assert.deepEqual(JSON.parse(entry.details!), { submissions: 0, persons: 0, contacts: 0, retracted: 2, edits: 0, messages: 0 });
    // A second run finds nothing more to do.
    assert.equal((await purgeAt(Date.parse(retractedAt) + 8 * DAY)).retracted, 0);
  });

  test('redacted originals are kept until RETENTION_EDITS_DAYS after publication, then gone; the published statement stays', async () => {
    assert.equal((await purgeAt(Date.parse(publishedAt) + 30 * DAY)).edits, 0);
    assert.ok((await hitsOf(['origeditmark'])).some((h) => h.where.startsWith('row submission_edit')), 'the original is kept until then');
    const before = await counts();
    const report = await purgeAt(Date.parse(publishedAt) + 30 * DAY + 1);
    assert.equal(report.edits, 1);
    const hits = await hitsOf(['origeditmark']);
    assert.deepEqual(hits, [], `found after the erasure:\n${showHits(hits)}`);
    assert.deepEqual(await counts(), before);
    await noDrift();
    // The statements that stay keep everything: found by the same search, and still searchable.
    const kept = await hitsOf(KEPT);
    for (const needle of KEPT) assert.ok(kept.some((h) => h.needle === needle && h.where.startsWith('row ')), needle);
    if (dialect === 'sqlite') assert.ok(kept.some((h) => h.where.endsWith('.sqlite')), 'the file search would see a leftover');
    for (const mark of KEPT) assert.equal((await searchStatements(t.database, mark, 1, 20)).numbers.length, 1, mark);
    const edited = await db().selectFrom('submission').select(['status', 'title']).where('id', '=', ids.edited).executeTakeFirstOrThrow();
    assert.deepEqual(edited, { status: 'published', title: 'title keepeditmark' });
    assert.equal((await verifyAuditChain(t.database)).ok, true);
  });
});
