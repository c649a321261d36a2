// Threat: a database thief (or a staff member reading the audit page) dates a declarant's
// retraction or a volunteer's assisted entry more finely than the minute kept with the
// submission, from the audit log — its own time, or the exact times of the staff entries beside it
// (and of the rows those entries go with: publications, rejections, edits, sessions, tokens,
// accounts). Every audit time is kept to the minute, entries are ordered by sequence, and
// entries written before this rule (timed to the millisecond) still verify.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { revokeToken } from '../../src/commands/api-tokens.js';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { recountCounts } from '../../src/commands/counts-recounter.js';
import { importCsv } from '../../src/commands/csv-import.js';
import { purgeExpired } from '../../src/commands/retention-purger.js';
import { disableStaffUser } from '../../src/commands/staff-accounts.js';
import { readSession, signIn, signOut } from '../../src/commands/staff-sessions.js';
import { auditHash, GENESIS_HASH } from '../../src/domain/audit-chain.js';
import { takeCounterValues } from '../../src/storage/counter.repository.js';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { createStaff, getPage, sessionOf } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, auditRows, PASSPHRASE, postAs, signInAs, submitAssisted, submitPublic, tokenFor, type TestStaff } from './staff-fixtures.js';

const DAY = 86_400_000;
const POLICY = { rejectedDays: 30, contactDays: 180, messagesDays: 180, retractedDays: 7, editsDays: 30 };

/** True when `iso` is a stored time with zero seconds and milliseconds, in the one stored format. */
const toTheMinute = (iso: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/.test(iso) && new Date(iso).toISOString() === iso;

/**
 * Appends an entry as versions before this rule did: its time to the millisecond, hashed as
 * stored. `at` is given, so the test does not depend on the clock.
 */
async function appendOldFormatEntry(t: TestApp, at: string): Promise<number> {
  return t.database.db.transaction().execute(async (trx) => {
    const seq = await takeCounterValues(trx, 'audit_seq', 1);
    const previous = await trx.selectFrom('audit_log').select('hash').where('seq', '=', seq - 1).executeTakeFirst();
    const fields = { seq, at, actor: 'cli', action: 'user.disable', target: null, reason: null, details: '{"name":"old-format"}' };
    const prevHash = previous?.hash ?? GENESIS_HASH;
    await trx.insertInto('audit_log').values({ ...fields, prev_hash: prevHash, hash: auditHash(prevHash, fields) }).execute();
    return seq;
  });
}

describeEachDialect('audit times never date an action within its minute', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteer: TestStaff;
  let editorToken = '';
  let volunteerToken = '';

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'minute-editor', 'editor');
    volunteer = await addStaff(t.database, 'minute-volunteer', 'volunteer');
    editorToken = (await tokenFor(t.database, editor, 30)).token;
    volunteerToken = (await tokenFor(t.database, volunteer)).token;
  });
  after(() => t.close());

  test('every audit entry, and every time stored with one, has zero seconds and milliseconds', async () => {
    // Sessions: a sign-in kept (and touched later), a failed one, a sign-in ended by sign-out.
    const kept = await signInAs(t.database, volunteer);
    await readSession(t.database, kept.token, Date.now() + 2 * 60_000);
    await signIn(t.database, { name: volunteer.name, password: `${PASSPHRASE}!`, code: '' }).catch(() => null);
    await signOut(t.database, (await signInAs(t.database, volunteer)).session);
    // Tokens and accounts.
    const spare = await tokenFor(t.database, volunteer, 1);
    await revokeToken(t.database, spare.id, editor.id);
    await addStaff(t.database, 'minute-leaver', 'translator');
    await disableStaffUser(t.database, 'minute-leaver', editor.id);
    // Review: edit, approve, reject, duplicate, feature; then retractions, published and pending.
    const [a, b, c, d, e] = [await submitPublic(t.app), await submitPublic(t.app), await submitPublic(t.app), await submitPublic(t.app), await submitPublic(t.app)];
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${a.id}/edit`, editorToken, { title: '改后的标题' })).statusCode, 200);
    assert.equal((await postAs(t.app, '/api/v1/staff/approve', editorToken, { ids: [a.id, b.id] })).statusCode, 200);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${c.id}/reject`, editorToken, { reason: 'spam' })).statusCode, 200);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${d.id}/duplicate`, editorToken, { of: a.id })).statusCode, 200);
    assert.equal((await postAs(t.app, `/api/v1/staff/submissions/${a.id}/feature`, editorToken, {})).statusCode, 200);
    for (const receipt of [b.receipt, e.receipt]) assert.equal((await postJson(t.app, '/api/v1/receipt/retract', { receipt })).statusCode, 200);
    // Assisted entry and import.
    await submitAssisted(t.app, volunteerToken, { channel: 'letter' });
    await importCsv(t.database, Buffer.from('displayName,nameKind,organizations,region,channel,consent\n导入甲,pseudonym,party,110000,phone,yes\n'), volunteer.member);
    // Jobs: retention and a recount that repairs.
    await purgeExpired(t.database, POLICY, { actor: 'cli', now: new Date(Date.now() + 60 * DAY) });
    await t.database.db.updateTable('daily_count').set({ n: sql`n + 1` }).where('metric', '=', 'statements_received').where('dimension', '=', 'total').execute();
    assert.equal((await recountCounts(t.database, { repair: true, actor: 'cli' })).repaired, true);

    const entries = await auditRows(t.database);
    const actions = new Set(entries.map((entry) => entry.action));
    for (const action of ['staff.sign_in', 'staff.sign_in_failed', 'staff.sign_out', 'token.create', 'token.revoke', 'user.create', 'user.disable', 'submission.edit', 'submission.approve', 'submission.reject', 'submission.duplicate', 'submission.feature', 'statement.retract', 'submission.assisted', 'retention.purge', 'counts.repair']) {
      assert.ok(actions.has(action), `the test covers ${action}`);
    }
    const precise = entries.filter((entry) => !toTheMinute(entry.at)).map((entry) => `#${entry.seq} ${entry.action} ${entry.at}`);
    assert.deepEqual(precise, [], 'audit entries timed finer than the minute');

    // The rows an entry goes with: their times would date it (and its neighbours) just as well.
    const db = t.database.db;
    const beside: [string, string | null][] = [];
    for (const s of await db.selectFrom('submission').select(['id', 'received_at', 'updated_at', 'published_at']).execute()) {
      beside.push([`submission ${s.id} received_at`, s.received_at], [`submission ${s.id} updated_at`, s.updated_at], [`submission ${s.id} published_at`, s.published_at]);
    }
    for (const edit of await db.selectFrom('submission_edit').select('edited_at').execute()) beside.push(['submission_edit edited_at', edit.edited_at]);
    for (const s of await db.selectFrom('staff_session').select(['created_at', 'last_seen_at']).execute()) beside.push(['staff_session created_at', s.created_at], ['staff_session last_seen_at', s.last_seen_at]);
    for (const k of await db.selectFrom('api_token').select(['created_at', 'expires_at', 'revoked_at']).execute()) {
      beside.push(['api_token created_at', k.created_at], ['api_token expires_at', k.expires_at], ['api_token revoked_at', k.revoked_at]);
    }
    for (const u of await db.selectFrom('staff_user').select('created_at').execute()) beside.push(['staff_user created_at', u.created_at]);
    assert.ok(beside.some(([what, at]) => what.endsWith('published_at') && at !== null), 'the test covers publication times');
    assert.ok(beside.some(([what, at]) => what.endsWith('revoked_at') && at !== null), 'the test covers revocation times');
    assert.ok(beside.some(([what]) => what === 'staff_session last_seen_at'), 'the test covers sessions');
    const finer = beside.filter(([, at]) => at !== null && !toTheMinute(at)).map(([what, at]) => `${what} ${at}`);
    assert.deepEqual(finer, [], 'times stored with audit entries, finer than the minute');
  });

  let oldSeq = 0;
  const OLD_AT = new Date(Date.now() + DAY).toISOString().slice(0, 17) + '45.123Z';

  test('entries written before, timed to the millisecond, still verify; new ones hash the minute they store', async () => {
    // Dated a day ahead (a clock set wrong): ordering by time would put it before everything after it.
    oldSeq = await appendOldFormatEntry(t, OLD_AT);
    await tokenFor(t.database, editor);
    await submitAssisted(t.app, volunteerToken);
    const entries = await auditRows(t.database);
    assert.equal(entries.find((entry) => entry.seq === oldSeq)!.at, OLD_AT, 'the old entry keeps its time');
    assert.deepEqual(await verifyAuditChain(t.database), { ok: true, entries: entries.length });

    // The newest entry's stored minute is what its hash covers: given its exact second back, it no longer verifies.
    const newest = entries.at(-1)!;
    assert.ok(toTheMinute(newest.at) && newest.seq > oldSeq);
    await t.database.db.updateTable('audit_log').set({ at: newest.at.replace(':00.000Z', ':17.000Z') }).where('seq', '=', newest.seq).execute();
    const verdict = await verifyAuditChain(t.database);
    await t.database.db.updateTable('audit_log').set({ at: newest.at }).where('seq', '=', newest.seq).execute();
    assert.deepEqual(verdict, { ok: false, seq: newest.seq, problem: 'altered', entries: newest.seq - 1 });
    assert.equal((await verifyAuditChain(t.database)).ok, true);
  });

  test('the audit page lists entries by sequence, never by time, and shows every time to the minute', async () => {
    const admin = await createStaff(t.database, 'admin');
    const page = await getPage(t.app, '/staff/audit', await sessionOf(t.database, admin));
    assert.equal(page.statusCode, 200);
    const shown = [...page.body.matchAll(/<tr data-seq="(\d+)">/g)].map((m) => Number(m[1]));
    const stored = (await auditRows(t.database)).map((entry) => entry.seq).reverse().slice(0, 100);
    assert.ok(shown.includes(oldSeq) && shown.indexOf(oldSeq) > 0, 'the old entry, dated later than those after it, is not first');
    assert.deepEqual(shown, stored);
    const times = [...page.body.matchAll(/<time datetime="([^"]+)">([^<]+)<\/time>/gi)];
    assert.equal(times.length, shown.length);
    for (const [, attribute, text] of times) {
      assert.ok(toTheMinute(attribute!), attribute);
      assert.match(text!, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    }
    assert.ok(!page.body.includes(':45.123') && !page.body.includes(OLD_AT.slice(11, 19)), 'the old entry’s seconds are not shown');
  });
});
