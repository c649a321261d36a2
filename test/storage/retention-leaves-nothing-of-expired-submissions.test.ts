// Retention: rejected and duplicate submissions are deleted after their period with everything
// stored about them (declarants, text bands, edits, translations, search entries) — on SQLite
// not even their bytes survive in the database file or the WAL — while unexpired and published
// statements stay, contact ciphertext is erased after its own period, the counts keep their
// history and `recount` finds no drift, and the audit chain holds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { recountCounts } from '../../src/commands/counts-recounter.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { indexPending } from '../../src/commands/hint-indexer.js';
import { editStatement } from '../../src/commands/statement-editor.js';
import { searchStatements } from '../../src/commands/statement-search.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../src/commands/submission-rejecter.js';
import { generateKeyPair } from '../../src/crypto/contact-sealer.js';
import type { RetentionPolicy } from '../../src/domain/retention.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { dumpPostgresRows, searchFiles, searchRows, type Hit } from '../support/server-process.js';
import { addStaff, auditRows, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { checkpointFully } from './leftovers.js';

const POLICY: RetentionPolicy = { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 7, editsDays: 30 };
const DAY = 86_400_000;
const show = (hits: Hit[]) => hits.map((h) => `  "${h.needle}" in ${h.where}: …${h.context}…`).join('\n');

/** A submission whose every stored field carries `mark` (text, title, name, contact). */
const marked = (mark: string, contact = true) => ({
  title: `title ${mark}`,
  text: `这是一份为测试保留期限而写的合成声明，内容足够长，可以计算文本指纹。${mark} 我声明退出，以后不再参加任何相关活动，特此声明。`,
  ...(contact ? { contact: `signal ${mark}` } : {}),
  declarants: [
    { displayName: `name${mark}`, nameKind: 'pseudonym', organizations: ['party'], region: '440000' },
    { displayName: `other${mark}`, nameKind: 'real', organizations: ['youth_league'], region: '110000' },
  ],
});

/**
 * Status changes are kept to the minute, so the later rejection may share the earlier ones'
 * minute. Then it is moved a minute on (or, at 23:59, the earlier ones a minute back): the day
 * the counts file them under does not change. Returns the earlier ones' time.
 */
async function separateByAMinute(t: TestApp, earlier: string[], later: string, earlierAt: string): Promise<string> {
  const laterAt = (await t.database.db.selectFrom('submission').select('updated_at').where('id', '=', later).executeTakeFirstOrThrow()).updated_at;
  if (laterAt > earlierAt) return earlierAt;
  const nextMinute = new Date(Date.parse(earlierAt) + 60_000).toISOString();
  if (nextMinute.slice(0, 10) === earlierAt.slice(0, 10)) {
    await t.database.db.updateTable('submission').set({ updated_at: nextMinute }).where('id', '=', later).execute();
    return earlierAt;
  }
  const minuteBefore = new Date(Date.parse(earlierAt) - 60_000).toISOString();
  await t.database.db.updateTable('submission').set({ updated_at: minuteBefore }).where('id', 'in', earlier).execute();
  return minuteBefore;
}

describeEachDialect('retention leaves nothing of expired submissions and keeps the counts right', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const ids: Record<'rejected' | 'duplicate' | 'recent' | 'published' | 'pending', string> = {} as never;
  let rejectedAt: string;

  before(async () => {
    const keys = await generateKeyPair();
    t = await createTestApp(dialect, { ageRecipients: [keys.recipient] });
    editor = await addStaff(t.database, 'retention-editor', 'editor');
    ids.published = (await submitPublic(t.app, marked('keepmarkpub'))).id;
    ids.pending = (await submitPublic(t.app, marked('keepmarkpend'))).id;
    ids.rejected = (await submitPublic(t.app, marked('gonemarkrej'))).id;
    ids.duplicate = (await submitPublic(t.app, marked('gonemarkdup', false))).id;
    ids.recent = (await submitPublic(t.app, marked('latemarkrej'))).id;
    // Text bands and name keys are filled by the background indexer; an edit keeps the text before.
    await indexPending(t.database);
    await editStatement(t.database, ids.rejected, { title: 'redacted', text: '已编辑的文本。' }, editor.member);
    await approveSubmissions(t.database, [ids.published], editor.member);
    await t.database.db
      .insertInto('statement_translation')
      .values({ submission_id: ids.rejected, locale: 'en', title: null, text: 'translation gonemarkrej', translator_id: editor.id, updated_at: new Date().toISOString() })
      .execute();
    await rejectSubmissions(t.database, [ids.rejected], 'spam', editor.member);
    await markDuplicate(t.database, ids.duplicate, ids.rejected, editor.member);
    rejectedAt = (await t.database.db.selectFrom('submission').select('updated_at').where('id', '=', ids.duplicate).executeTakeFirstOrThrow()).updated_at;
    await rejectSubmissions(t.database, [ids.recent], 'other', editor.member);
    rejectedAt = await separateByAMinute(t, [ids.rejected, ids.duplicate], ids.recent, rejectedAt);
    const bands = await t.database.db.selectFrom('submission_text_band').select('band').where('submission_id', '=', ids.duplicate).execute();
    assert.ok(bands.length > 0, 'the test must cover text bands');
  });
  after(() => t.close());

  const exists = async (id: string) => (await t.database.db.selectFrom('submission').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  const noDrift = async () => assert.deepEqual((await recountCounts(t.database, { repair: false, actor: 'test' })).differences, []);

  /** Every row of every table (the audit log holds ids, never text), and on SQLite every byte on disk. */
  async function leftovers(needles: string[], idsGone: string[]): Promise<Hit[]> {
    const rows = await everyRow();
    const hits = searchRows(rows, needles);
    hits.push(...searchRows(rows.filter((r) => !r.where.startsWith('audit_log#')), idsGone));
    if (dialect === 'sqlite') {
      await checkpointFully(t.database);
      hits.push(...searchFiles([t.dataDir], needles).hits);
    }
    return hits;
  }
  async function everyRow(): Promise<{ where: string; text: string }[]> {
    if (dialect === 'postgres') return dumpPostgresRows(t.database.db);
    const tables = await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'statement_search_%'`.execute(t.database.db);
    const dump: { where: string; text: string }[] = [];
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.database.db);
      rows.rows.forEach((r, i) => dump.push({ where: `${name}#${i}`, text: JSON.stringify(r) }));
    }
    return dump;
  }

  test('a dry run says what would go and changes nothing', async () => {
    const report = await purgeExpired(t.database, POLICY, { actor: 'cli', dryRun: true, now: new Date(Date.parse(rejectedAt) + 30 * DAY + 1) });
    assert.deepEqual([report.submissions, report.persons, report.contacts], [2, 4, 0]);
    for (const id of Object.values(ids)) assert.ok(await exists(id));
    assert.equal((await auditRows(t.database, 'retention.purge')).length, 0);
  });

  test('after 30 days the rejected and the duplicate are gone from every table and every file; the later rejection stays', async () => {
    const report = await purgeExpired(t.database, POLICY, { actor: 'cli', now: new Date(Date.parse(rejectedAt) + 30 * DAY + 1), batchSize: 1 });
    assert.deepEqual([report.submissions, report.persons, report.contacts], [2, 4, 0]);
    assert.equal(await exists(ids.rejected), false);
    assert.equal(await exists(ids.duplicate), false);
    assert.equal(await exists(ids.recent), true);
    assert.equal((await t.database.db.selectFrom('declarant').select('position').where('submission_id', '=', ids.recent).execute()).length, 2);
    const hits = await leftovers(['gonemarkrej', 'gonemarkdup'], [ids.rejected, ids.duplicate]);
    assert.deepEqual(hits, [], `found after the purge:\n${show(hits)}`);
    // The control: what stays is found by the same search.
    const control = await leftovers(['latemarkrej'], []);
    assert.ok(control.some((h) => h.where.startsWith('row ')), 'the row search would not have seen a leftover');
    if (dialect === 'sqlite') assert.ok(control.some((h) => h.where.endsWith('.sqlite')), 'the file search would not have seen a leftover');
    await noDrift();
  });

  const contacts: Record<string, string> = {};
  test('published statements are never purged by the rejected/duplicate rule, and stay searchable', async () => {
    for (const row of await t.database.db.selectFrom('submission').select(['id', 'contact_ciphertext']).where('id', 'in', [ids.published, ids.pending]).execute()) {
      contacts[row.id] = row.contact_ciphertext!;
    }
    assert.ok((await leftovers(Object.values(contacts).map((c) => c.split('\n')[1]!.slice(0, 40)), [])).length >= 2, 'the control: ciphertext is found before');
    const report = await purgeExpired(t.database, POLICY, { actor: 'cli', now: new Date(Date.now() + 400 * DAY) });
    assert.equal(report.submissions, 1, 'the later rejection, once expired');
    assert.equal(await exists(ids.recent), false);
    const published = await t.database.db.selectFrom('submission').select(['status', 'contact_ciphertext']).where('id', '=', ids.published).executeTakeFirstOrThrow();
    assert.equal(published.status, 'published');
    assert.equal((await searchStatements(t.database, 'keepmarkpub', 1, 20)).numbers.length > 0, true);
    await noDrift();
  });

  test('contact ciphertext is erased after its period while the statement stays', async () => {
    const pieces = Object.values(contacts).map((c) => c.split('\n')[1]!.slice(0, 40));
    assert.deepEqual(await leftovers(pieces, []), [], 'erased ciphertext left behind');
    const rows = await t.database.db.selectFrom('submission').select(['id', 'status', 'contact_ciphertext']).where('id', 'in', [ids.published, ids.pending]).execute();
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row.contact_ciphertext, null, `${row.status} still has its contact`);
    const purges = await auditRows(t.database, 'retention.purge');
    assert.equal(purges.length, 2);
    assert.deepEqual(JSON.parse(purges[1]!.details!), { submissions: 1, persons: 2, contacts: 2, retracted: 0, edits: 0, messages: 0 });
    for (const entry of purges) assert.equal(entry.actor, 'cli');
  });

  test('two purges at once count nothing twice; the counts and the audit chain stay right', async () => {
    const more = [(await submitPublic(t.app, marked('racemark1'))).id, (await submitPublic(t.app, marked('racemark2'))).id];
    await rejectSubmissions(t.database, more, 'test', editor.member);
    const now = new Date(Date.now() + 40 * DAY);
    const [a, b] = await Promise.all([purgeExpired(t.database, POLICY, { actor: 'cli', now, batchSize: 1 }), purgeExpired(t.database, POLICY, { actor: 'cli', now, batchSize: 1 })]);
    assert.equal(a.submissions + b.submissions, 2);
    await noDrift();
    const head = (await t.database.db.selectFrom('daily_count').select((eb) => eb.fn.sum<string | number>('n').as('n')).where('metric', '=', 'persons_received').where('dimension', '=', 'total').executeTakeFirstOrThrow()).n;
    assert.equal(Number(head), 14, 'the rollups keep the history of purged statements');
    assert.equal((await verifyAuditChain(t.database)).ok, true);
  });
});
