import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { authenticateApiToken, revokeToken } from '../../src/commands/api-tokens.js';
import { disableStaffUser } from '../../src/commands/staff-accounts.js';
import { readSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, signIn, signOut } from '../../src/commands/staff-sessions.js';
import { ServiceError } from '../../src/domain/service-error.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, auditRows, getAs, PASSPHRASE, signInAs, tokenFor, totpCode, type TestStaff } from './staff-fixtures.js';

/** Asserts that a sign-in is refused, the same way whatever the reason. */
async function refused(attempt: Promise<unknown>): Promise<void> {
  await assert.rejects(attempt, (error: unknown) => error instanceof ServiceError && error.code === 'sign_in_failed' && error.status === 401);
}

/** A six-digit code that is not `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
}

describeEachDialect('staff sign-in, sessions and tokens', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  let admin: TestStaff;
  let volunteer: TestStaff;
  let accounts = 0;
  const fresh = (role: TestStaff['role']) => addStaff(t.database, `sessions-${role}-${++accounts}`, role);

  before(async () => {
    t = await createTestApp(dialect);
    editor = await addStaff(t.database, 'sessions-editor', 'editor');
    admin = await addStaff(t.database, 'sessions-admin', 'admin');
    volunteer = await addStaff(t.database, 'sessions-volunteer', 'volunteer');
  });
  after(() => t.close());

  test('editors and admins are enrolled in TOTP at creation; volunteers are not', () => {
    assert.match(editor.secret ?? '', /^[A-Z2-7]{16,}$/);
    assert.match(admin.secret ?? '', /^[A-Z2-7]{16,}$/);
    assert.equal(volunteer.secret, null);
  });

  test('TOTP replay: the same code a second time is refused, even right after it worked', async () => {
    const account = await fresh('editor');
    const code = await totpCode(account);
    const first = await signIn(t.database, { name: account.name, password: PASSPHRASE, code });
    assert.equal(first.session.member.id, account.id);
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code }));
    const failures = (await auditRows(t.database, 'staff.sign_in_failed')).filter((r) => r.target === account.id);
    assert.deepEqual(failures.map((r) => r.reason), ['totp']);
  });

  test('TOTP replay: an older code is refused once a newer one was used; the next one still works', async () => {
    const account = await fresh('admin');
    const now = Math.floor(Date.now() / 1000);
    await signIn(t.database, { name: account.name, password: PASSPHRASE, code: await totpCode(account, now) });
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: await totpCode(account, now - 30) }));
    const next = await signIn(t.database, { name: account.name, password: PASSPHRASE, code: await totpCode(account, now + 30) });
    assert.equal(next.session.member.role, 'admin');
  });

  test('two sign-ins racing with the same TOTP code: exactly one wins', async () => {
    const account = await fresh('editor');
    const code = await totpCode(account);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => signIn(t.database, { name: account.name, password: PASSPHRASE, code })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  test('a wrong TOTP code is refused, with the right password', async () => {
    const account = await fresh('editor');
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: otherCode(await totpCode(account)) }));
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: '12345' }));
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: 'abcdef' }));
    // The failures did not use the code up: the right one still works.
    await signInAs(t.database, account);
  });

  test('an editor or admin without a TOTP code is refused, whatever the password', async () => {
    await refused(signIn(t.database, { name: editor.name, password: PASSPHRASE, code: '' }));
    await refused(signIn(t.database, { name: admin.name, password: PASSPHRASE, code: '   ' }));
  });

  test('the right code with the wrong password is refused, and does not use the code up', async () => {
    const account = await fresh('editor');
    const code = await totpCode(account);
    await refused(signIn(t.database, { name: account.name, password: `${PASSPHRASE}!`, code }));
    await signIn(t.database, { name: account.name, password: PASSPHRASE, code });
  });

  test('a volunteer (no TOTP) signs in with the password alone; a wrong password is refused', async () => {
    const signedIn = await signIn(t.database, { name: volunteer.name, password: PASSPHRASE, code: '' });
    assert.deepEqual(signedIn.session.member, volunteer.member);
    assert.ok((await readSession(t.database, signedIn.token)) !== null);
    await refused(signIn(t.database, { name: volunteer.name, password: 'a long unusual passphrase 43', code: '' }));
  });

  test('a session ends after 30 minutes without use', async () => {
    const { token } = await signInAs(t.database, volunteer);
    const start = Date.now();
    assert.ok(await readSession(t.database, token, start + SESSION_IDLE_MS - 60_000), 'still valid just before the idle timeout');
    // Idle counts from the last use, which was just now (start + 29 min).
    const lastUse = start + SESSION_IDLE_MS - 60_000;
    assert.ok(await readSession(t.database, token, lastUse + SESSION_IDLE_MS - 60_000));
    const idleSince = lastUse + SESSION_IDLE_MS - 60_000;
    assert.equal(await readSession(t.database, token, idleSince + SESSION_IDLE_MS + 1_000), null);
    // Expired means gone: coming back to the present does not revive it.
    assert.equal(await readSession(t.database, token), null);
  });

  test('a session ends 12 hours after sign-in even when used all the time', async () => {
    const { token } = await signInAs(t.database, volunteer);
    const start = Date.now();
    const step = 20 * 60_000;
    let now = start;
    for (; now + step <= start + SESSION_ABSOLUTE_MS - 60_000; now += step) {
      assert.ok(await readSession(t.database, token, now + step), `still valid ${Math.round((now + step - start) / 60_000)} min after sign-in`);
    }
    assert.equal(await readSession(t.database, token, start + SESSION_ABSOLUTE_MS + 60_000), null);
    assert.equal(await readSession(t.database, token), null);
  });

  test('each sign-in issues a new session id and CSRF token (rotation); a session id chosen by someone else is never accepted', async () => {
    const first = await signInAs(t.database, volunteer);
    const second = await signInAs(t.database, volunteer);
    assert.notEqual(first.token, second.token);
    assert.notEqual(first.session.idHash, second.session.idHash);
    assert.notEqual(first.session.csrfToken, second.session.csrfToken);
    assert.match(second.token, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
    assert.equal(await readSession(t.database, 'attacker-chosen-session-id'), null);
    assert.equal(await readSession(t.database, first.session.idHash), null, 'the stored hash is not a valid cookie');
  });

  test('session ids and API tokens are stored only as hashes', async () => {
    const { token: sessionToken } = await signInAs(t.database, volunteer);
    const { token: apiToken } = await tokenFor(t.database, volunteer);
    const sessions = JSON.stringify(await t.database.db.selectFrom('staff_session').selectAll().execute());
    const tokens = JSON.stringify(await t.database.db.selectFrom('api_token').selectAll().execute());
    const audit = JSON.stringify(await auditRows(t.database));
    for (const stored of [sessions, tokens, audit]) {
      assert.ok(!stored.includes(sessionToken));
      assert.ok(!stored.includes(apiToken));
      assert.ok(!stored.includes(apiToken.slice(4)));
    }
  });

  test('sign-out ends the session at once and is audited', async () => {
    const { token, session } = await signInAs(t.database, volunteer);
    const other = await signInAs(t.database, volunteer);
    await signOut(t.database, session);
    assert.equal(await readSession(t.database, token), null);
    assert.ok(await readSession(t.database, other.token), 'only that session ends');
    const last = (await auditRows(t.database, 'staff.sign_out')).at(-1);
    assert.equal(last?.actor, volunteer.id);
  });

  test('disabling an account ends its sessions and its API tokens, and it can no longer sign in', async () => {
    const account = await fresh('editor');
    const { token: sessionToken } = await signInAs(t.database, account);
    const { token } = await tokenFor(t.database, account);
    assert.equal((await getAs(t.app, '/api/v1/staff/queue', token)).statusCode, 200);
    await disableStaffUser(t.database, account.name, 'test');
    assert.equal(await readSession(t.database, sessionToken), null);
    const response = await getAs(t.app, '/api/v1/staff/queue', token);
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'sign_in_required');
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: await totpCode(account, Math.floor(Date.now() / 1000) + 30) }));
    const reasons = (await auditRows(t.database, 'staff.sign_in_failed')).filter((r) => r.target === account.id).map((r) => r.reason);
    assert.deepEqual(reasons, ['disabled']);
  });

  test('a revoked API token is refused at once (401); revoking twice is not_found', async () => {
    const account = await fresh('volunteer');
    const created = await tokenFor(t.database, account);
    assert.equal((await getAs(t.app, '/api/v1/staff/entries', created.token)).statusCode, 200);
    await revokeToken(t.database, created.id, 'test');
    const response = await getAs(t.app, '/api/v1/staff/entries', created.token);
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'sign_in_required');
    await assert.rejects(revokeToken(t.database, created.id, 'test'), (e: unknown) => e instanceof ServiceError && e.code === 'not_found');
    assert.equal((await auditRows(t.database, 'token.revoke')).at(-1)?.target, created.id);
  });

  test('an expired API token is refused (401)', async () => {
    const account = await fresh('volunteer');
    const created = await tokenFor(t.database, account, 1);
    assert.ok(created.expiresAt);
    assert.ok(await authenticateApiToken(t.database, created.token));
    assert.equal(await authenticateApiToken(t.database, created.token, Date.parse(created.expiresAt) + 1), null);
    assert.equal((await getAs(t.app, '/api/v1/staff/entries', created.token)).statusCode, 200);
    await t.database.db.updateTable('api_token').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', created.id).execute();
    const response = await getAs(t.app, '/api/v1/staff/entries', created.token);
    assert.equal(response.statusCode, 401);
  });

  test('failed sign-ins are audited with a reason, never with what was typed', async () => {
    const account = await fresh('editor');
    const typedPassword = 'Wrong-Passphrase-Typed-By-Mistake-9';
    const typedCode = otherCode(await totpCode(account));
    await refused(signIn(t.database, { name: account.name, password: typedPassword, code: '' }));
    await refused(signIn(t.database, { name: account.name, password: PASSPHRASE, code: typedCode }));
    // A password typed into the name field is the classic way one ends up in a log.
    const passwordAsName = 'my-secret-passphrase-in-the-name-field';
    await refused(signIn(t.database, { name: passwordAsName, password: typedPassword, code: typedCode }));

    const failures = await auditRows(t.database, 'staff.sign_in_failed');
    const mine = failures.filter((r) => r.target === account.id);
    assert.deepEqual(mine.map((r) => r.reason), ['password', 'totp']);
    assert.ok(failures.some((r) => r.actor === 'unknown' && r.target === null), 'an unknown name is audited too');
    // Every field a person's input could reach; not the hashes, times and ids, where a six-digit
    // code turns up by chance now and then (hex digits, timestamps).
    const written = JSON.stringify((await auditRows(t.database)).map((r) => [r.actor, r.action, r.reason, r.details]));
    for (const typed of [typedPassword, PASSPHRASE, passwordAsName]) {
      assert.ok(!written.includes(typed), `the audit log contains ${typed}`);
    }
    assert.ok(!new RegExp(`(?<!\\d)${typedCode}(?!\\d)`).test(written), `the audit log contains the code ${typedCode}`);
  });
});
