import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { revokeToken } from '../../src/commands/api-tokens.js';
import { verifyAuditChain } from '../../src/commands/audit-verifier.js';
import { importCsv } from '../../src/commands/csv-import.js';
import { disableStaffUser } from '../../src/commands/staff-accounts.js';
import { signIn, signOut } from '../../src/commands/staff-sessions.js';
import type { AuditLogTable } from '../../src/storage/schema.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, auditRows, PASSPHRASE, rowCount, signInAs, tokenFor, type TestStaff } from './staff-fixtures.js';

// The audit log is append-only and hash-chained (issue 3, "Audit log"): every staff action writes
// one entry in the transaction of the change it records, and `audit verify` names the first entry
// that was altered or removed.

/** A documentation address (RFC 5737) sent as the client's address on every request here. */
const CLIENT_ADDRESS = '203.0.113.77';

describeEachDialect('audit log: one entry per staff action, hash-chained, tamper-evident', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let volunteer: TestStaff;
  let editorToken = '';
  let volunteerToken = '';

  const send = (url: string, token: string, body: unknown) =>
    postJson(t.app, url, body, { authorization: `Bearer ${token}`, 'x-forwarded-for': CLIENT_ADDRESS, 'user-agent': 'AuditTestBrowser/1.0' });
  const submit = async () => {
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission(), { 'x-forwarded-for': CLIENT_ADDRESS });
    assert.equal(response.statusCode, 201);
    return response.json() as { id: string; receipt: string };
  };
  /** Runs an action and returns the audit entries it wrote. */
  const entriesOf = async (action: () => Promise<unknown>): Promise<AuditLogTable[]> => {
    const before = (await auditRows(t.database)).length;
    await action();
    return (await auditRows(t.database)).slice(before);
  };

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'audit-editor', 'editor');
    volunteer = await addStaff(t.database, 'audit-volunteer', 'volunteer');
    editorToken = (await tokenFor(t.database, editor)).token;
    volunteerToken = (await tokenFor(t.database, volunteer)).token;
  });
  after(() => t.close());

  describe('every staff action writes exactly one entry: who, what, on what, why', () => {
    test('account and token changes', async () => {
      const user = await entriesOf(() => addStaff(t.database, 'audit-new-user', 'translator'));
      assert.deepEqual(user.map((e) => [e.actor, e.action]), [['test', 'user.create']]);
      const token = await entriesOf(() => tokenFor(t.database, volunteer));
      assert.deepEqual(token.map((e) => e.action), ['token.create']);
      const tokenId = token[0]!.target!;
      const revoke = await entriesOf(() => revokeToken(t.database, tokenId, editor.id));
      assert.deepEqual(revoke.map((e) => [e.actor, e.action, e.target]), [[editor.id, 'token.revoke', tokenId]]);
      const disable = await entriesOf(() => disableStaffUser(t.database, 'audit-new-user', editor.id));
      assert.deepEqual(disable.map((e) => [e.actor, e.action]), [[editor.id, 'user.disable']]);
    });

    test('sign-in, failed sign-in and sign-out', async () => {
      let session: Awaited<ReturnType<typeof signInAs>>['session'] | undefined;
      const signedIn = await entriesOf(async () => (session = (await signInAs(t.database, volunteer)).session));
      assert.deepEqual(signedIn.map((e) => [e.actor, e.action, e.target]), [[volunteer.id, 'staff.sign_in', volunteer.id]]);
      const failed = await entriesOf(() => signIn(t.database, { name: volunteer.name, password: `${PASSPHRASE}?`, code: '' }).catch(() => null));
      assert.deepEqual(failed.map((e) => [e.action, e.target, e.reason]), [['staff.sign_in_failed', volunteer.id, 'password']]);
      const signedOut = await entriesOf(() => signOut(t.database, session!));
      assert.deepEqual(signedOut.map((e) => [e.actor, e.action]), [[volunteer.id, 'staff.sign_out']]);
    });

    test('review actions: approve, reject, duplicate, edit, feature', async () => {
      const [a, b, c, d] = [await submit(), await submit(), await submit(), await submit()];
      const edit = await entriesOf(() => send(`/api/v1/staff/submissions/${a.id}/edit`, editorToken, { title: '改后的标题' }));
      assert.deepEqual(edit.map((e) => [e.actor, e.action, e.target]), [[editor.id, 'submission.edit', a.id]]);
      const approve = await entriesOf(() => send('/api/v1/staff/approve', editorToken, { ids: [a.id, b.id] }));
      assert.deepEqual(approve.map((e) => [e.actor, e.action, e.target]), [
        [editor.id, 'submission.approve', a.id],
        [editor.id, 'submission.approve', b.id],
      ]);
      assert.ok(approve.every((e) => typeof JSON.parse(e.details!).registrationNumber === 'number'));
      const reject = await entriesOf(() => send(`/api/v1/staff/submissions/${c.id}/reject`, editorToken, { reason: 'identifying_details' }));
      assert.deepEqual(reject.map((e) => [e.action, e.target, e.reason]), [['submission.reject', c.id, 'identifying_details']]);
      const duplicate = await entriesOf(() => send(`/api/v1/staff/submissions/${d.id}/duplicate`, editorToken, { of: a.id }));
      assert.deepEqual(duplicate.map((e) => [e.action, e.target, JSON.parse(e.details!).of]), [['submission.duplicate', d.id, a.id]]);
      const feature = await entriesOf(() => send(`/api/v1/staff/submissions/${a.id}/feature`, editorToken, {}));
      assert.deepEqual(feature.map((e) => [e.action, e.target]), [['submission.feature', a.id]]);
    });

    test('assisted entry, import and retraction', async () => {
      const assisted = await entriesOf(() => send('/api/v1/staff/assisted', volunteerToken, { ...validSubmission(), channel: 'letter', consent: true }));
      assert.deepEqual(assisted.map((e) => [e.actor, e.action]), [[volunteer.id, 'submission.assisted']]);
      assert.equal(JSON.parse(assisted[0]!.details!).channel, 'letter');
      const csv = 'displayName,nameKind,organizations,region,channel,consent\n导入甲,pseudonym,party,110000,phone,yes\n导入乙,real,party;youth_league,120000,hotline,yes\n';
      const imported = await entriesOf(() => importCsv(t.database, Buffer.from(csv), volunteer.member));
      assert.deepEqual(imported.map((e) => [e.actor, e.action, JSON.parse(e.details!).source]), [
        [volunteer.id, 'submission.assisted', 'import'],
        [volunteer.id, 'submission.assisted', 'import'],
      ]);
      const { receipt, id } = await submit();
      const retract = await entriesOf(() => postJson(t.app, '/api/v1/receipt/retract', { receipt }));
      assert.deepEqual(retract.map((e) => [e.actor, e.action, e.target]), [['declarant', 'statement.retract', id]]);
    });
  });

  test('a refused action writes no entry: bulk approval with one bad id, bad reason, bad import, bad assisted entry', async () => {
    const a = await submit();
    const published = await submit();
    assert.equal((await send(`/api/v1/staff/submissions/${published.id}/approve`, editorToken, {})).statusCode, 200);
    const refused = await entriesOf(async () => {
      assert.equal((await send('/api/v1/staff/approve', editorToken, { ids: [a.id, published.id] })).statusCode, 409);
      assert.equal((await send('/api/v1/staff/reject', editorToken, { ids: [a.id], reason: 'dislike' })).statusCode, 400);
      assert.equal((await send('/api/v1/staff/assisted', volunteerToken, { ...validSubmission(), channel: 'phone' })).statusCode, 400);
      await assert.rejects(importCsv(t.database, Buffer.from('displayName,nameKind,organizations,region,channel,consent\n甲,pseudonym,party,110000,phone,yes\n乙,pseudonym,party,999999,phone,yes\n'), volunteer.member));
    });
    assert.deepEqual(refused, []);
  });

  test('the entry and the change commit together: when the audit entry cannot be written, the approval is undone', async () => {
    const item = await submit();
    const before = await t.database.db.selectFrom('counter').select('value').where('name', '=', 'registration_number').executeTakeFirstOrThrow();
    const head = await t.database.db.selectFrom('counter').select('value').where('name', '=', 'audit_seq').executeTakeFirstOrThrow();
    const counts = await t.database.db.selectFrom('daily_count').selectAll().orderBy(['day', 'metric', 'dimension', 'value']).execute();
    // Occupy the sequence number the next entry will take, so that its insert fails.
    const blocker = { seq: Number(head.value) + 1, at: new Date().toISOString(), actor: 'x', action: 'x', target: null, reason: null, details: null, prev_hash: 'x', hash: 'x' };
    await t.database.db.insertInto('audit_log').values(blocker).execute();
    try {
      const response = await send(`/api/v1/staff/submissions/${item.id}/approve`, editorToken, {});
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().error.code, 'internal');
    } finally {
      await t.database.db.deleteFrom('audit_log').where('seq', '=', blocker.seq).execute();
    }
    const row = await t.database.db.selectFrom('submission').select(['status', 'registration_number']).where('id', '=', item.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.registration_number], ['pending', null]);
    const after = await t.database.db.selectFrom('counter').select('value').where('name', '=', 'registration_number').executeTakeFirstOrThrow();
    assert.equal(Number(after.value), Number(before.value), 'no registration number used up');
    assert.deepEqual(await t.database.db.selectFrom('daily_count').selectAll().orderBy(['day', 'metric', 'dimension', 'value']).execute(), counts);
    assert.deepEqual(await verifyAuditChain(t.database), { ok: true, entries: Number(head.value) });
  });

  test('no audit entry holds an IP address or a user agent', async () => {
    const everything = JSON.stringify(await auditRows(t.database));
    for (const identity of [CLIENT_ADDRESS, '127.0.0.1', '::1', '::ffff:', 'AuditTestBrowser', 'lightMyRequest']) {
      assert.ok(!everything.includes(identity), `the audit log contains ${identity}`);
    }
    const columns = Object.keys((await auditRows(t.database))[0]!);
    assert.deepEqual(columns.sort(), ['action', 'actor', 'at', 'details', 'hash', 'prev_hash', 'reason', 'seq', 'target']);
  });

  describe('verification names the first altered or missing entry', () => {
    let original: AuditLogTable[] = [];
    let count = 0;
    const middle = () => original[Math.floor(original.length / 2)]!.seq;

    before(async () => {
      original = await auditRows(t.database);
      count = original.length;
      assert.ok(count >= 20, `enough entries to tamper with (${count})`);
      assert.deepEqual(await verifyAuditChain(t.database), { ok: true, entries: count });
    });

    /** Puts the log back as it was before each tampering. */
    const restore = async () => {
      await t.database.db.deleteFrom('audit_log').execute();
      for (let i = 0; i < original.length; i += 200) await t.database.db.insertInto('audit_log').values(original.slice(i, i + 200)).execute();
      assert.deepEqual(await verifyAuditChain(t.database), { ok: true, entries: count });
    };

    test('the untouched log verifies', async () => {
      assert.deepEqual(await verifyAuditChain(t.database), { ok: true, entries: count });
    });

    test('one row’s reason changed in the database → that seq, altered', async () => {
      const target = original.find((e) => e.action === 'submission.reject')!;
      await t.database.db.updateTable('audit_log').set({ reason: 'spam' }).where('seq', '=', target.seq).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: target.seq, problem: 'altered', entries: target.seq - 1 });
    });

    test('one row’s actor, target, time or details changed → that seq, altered', async () => {
      const seq = middle();
      for (const change of [{ actor: 'someone-else' }, { target: 'another-id' }, { at: '2020-01-01T00:00:00.000Z' }, { details: '{"registrationNumber":1}' }, { action: 'submission.reject' }]) {
        await t.database.db.updateTable('audit_log').set(change).where('seq', '=', seq).execute();
        const verdict = await verifyAuditChain(t.database);
        await restore();
        assert.deepEqual(verdict, { ok: false, seq, problem: 'altered', entries: seq - 1 }, JSON.stringify(change));
      }
    });

    test('a changed row with its hash recomputed is still caught, at the next row', async () => {
      const seq = middle();
      const { auditHash } = await import('../../src/domain/audit-chain.js');
      const row = original.find((e) => e.seq === seq)!;
      const forged = { ...row, reason: 'forged' };
      await t.database.db.updateTable('audit_log').set({ reason: 'forged', hash: auditHash(row.prev_hash, forged) }).where('seq', '=', seq).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: seq + 1, problem: 'altered', entries: seq });
    });

    test('a middle row deleted → missing at that seq', async () => {
      const seq = middle();
      await t.database.db.deleteFrom('audit_log').where('seq', '=', seq).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq, problem: 'missing', entries: seq - 1 });
    });

    test('the first row deleted → missing at 1', async () => {
      await t.database.db.deleteFrom('audit_log').where('seq', '=', 1).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: 1, problem: 'missing', entries: 0 });
    });

    test('the last row deleted → missing at that seq (the sequence counter remembers it)', async () => {
      const last = original.at(-1)!.seq;
      await t.database.db.deleteFrom('audit_log').where('seq', '=', last).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: last, problem: 'missing', entries: last - 1 });
    });

    test('the last three rows deleted → missing at the first of them', async () => {
      const last = original.at(-1)!.seq;
      await t.database.db.deleteFrom('audit_log').where('seq', '>', last - 3).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: last - 2, problem: 'missing', entries: last - 3 });
    });

    test('two rows’ hashes swapped → altered at the first of them', async () => {
      const a = original[3]!;
      const b = original[original.length - 4]!;
      await t.database.db.updateTable('audit_log').set({ hash: b.hash }).where('seq', '=', a.seq).execute();
      await t.database.db.updateTable('audit_log').set({ hash: a.hash }).where('seq', '=', b.seq).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: a.seq, problem: 'altered', entries: a.seq - 1 });
    });

    test('two whole rows swapped (contents moved between sequence numbers) → altered', async () => {
      const a = original[5]!;
      const b = original[6]!;
      const { seq: _a, ...restA } = a;
      const { seq: _b, ...restB } = b;
      await t.database.db.updateTable('audit_log').set(restB).where('seq', '=', a.seq).execute();
      await t.database.db.updateTable('audit_log').set(restA).where('seq', '=', b.seq).execute();
      const verdict = await verifyAuditChain(t.database);
      await restore();
      assert.deepEqual(verdict, { ok: false, seq: a.seq, problem: 'altered', entries: a.seq - 1 });
    });
  });
});
