// The staff console's sign-in, sessions and CSRF, through the real app on both dialects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { disableStaffUser } from '../../src/commands/staff-accounts.js';
import { errorMessage } from '../../src/domain/service-error.js';
import { SIGN_IN_LIMITS } from '../../src/web/routes/staff/sign-in-routes.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, getPage, postPage, sessionCookieOf, sessionOf, totpCode, type ConsoleSession, type TestStaff } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';

const SIGN_IN_FAILED = errorMessage({ code: 'sign_in_failed' }, 'en');
const CSRF_INVALID = errorMessage({ code: 'csrf_invalid' }, 'en');

describeEachDialect('staff console: sign-in, sessions and CSRF', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  const signIn = (staff: Pick<TestStaff, 'name' | 'password'>, code = '', options: Parameters<typeof postPage>[4] = {}, cookie?: string) =>
    postPage(t.app, '/staff/sign-in', null, [['name', staff.name], ['password', staff.password], ['code', code]], {
      ...options,
      headers: { ...(cookie ? { cookie } : {}), ...options.headers },
    });

  /** The CSRF token of a real session, as the dashboard's sign-out form carries it. */
  async function csrfOf(cookie: string): Promise<string> {
    const page = await getPage(t.app, '/staff/', { cookie, csrf: '' });
    assert.equal(page.statusCode, 200);
    return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  }

  test('the sign-in page sets no cookie, is never cached nor indexed', async () => {
    const page = await getPage(t.app, '/staff/sign-in');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['set-cookie'], undefined);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(String(page.headers['x-robots-tag']), /noindex/);
    assert.match(page.body, /<input id="password" name="password" type="password"/);
    assert.match(page.body, /name="code"/);
  });

  test('an editor signs in with password and TOTP: 303 to /staff/ and a strict session cookie', async () => {
    const editor = await createStaff(t.database, 'editor');
    const response = await signIn(editor, await totpCode(editor.secret!));
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(response.headers.location, '/staff/');
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /^rc_staff=[A-Za-z0-9_-]{43}; /);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    assert.match(setCookie, /; Path=\/staff(;|$)/);
    assert.match(setCookie, /; Max-Age=43200/);
    assert.doesNotMatch(setCookie, /Secure/, 'no Secure attribute over plain http');
    const dashboard = await getPage(t.app, '/staff/', { cookie: sessionCookieOf(response)!, csrf: '' });
    assert.equal(dashboard.statusCode, 200);
    assert.ok(dashboard.body.includes(editor.name));
    assert.ok(dashboard.body.includes('href="/staff/queue"'));
    assert.ok(!dashboard.body.includes('href="/staff/audit"'), 'no link an editor may not follow');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('actor', '=', editor.id).execute();
    assert.deepEqual(audit.map((a) => a.action), ['staff.sign_in']);
  });

  test('a wrong password, a wrong code, a reused code and a disabled account are refused alike: 401, name kept, password never echoed', async () => {
    const editor = await createStaff(t.database, 'editor');
    const refused = async (response: Awaited<ReturnType<typeof signIn>>, what: string) => {
      assert.equal(response.statusCode, 401, `${what}: ${response.body}`);
      assert.equal(response.headers['set-cookie'], undefined, `${what}: no cookie`);
      assert.ok(response.body.includes(SIGN_IN_FAILED), `${what}: the message`);
      assert.ok(response.body.includes(`value="${editor.name}"`), `${what}: the name is kept`);
      assert.ok(!response.body.includes(editor.password) && !response.body.includes('wrong password 123'), `${what}: no password`);
    };
    await refused(await signIn({ name: editor.name, password: 'wrong password 123' }, await totpCode(editor.secret!)), 'wrong password');
    const code = await totpCode(editor.secret!);
    await refused(await signIn(editor, code === '000000' ? '111111' : '000000'), 'wrong code');
    await refused(await signIn(editor, ''), 'no code');
    assert.equal((await signIn(editor, code)).statusCode, 303, 'the right code once');
    await refused(await signIn(editor, code), 'the same code again');

    const volunteer = await createStaff(t.database, 'volunteer');
    assert.equal((await signIn(volunteer)).statusCode, 303, 'a volunteer without TOTP signs in with the password');
    await disableStaffUser(t.database, volunteer.name, 'test');
    const disabled = await signIn(volunteer);
    assert.equal(disabled.statusCode, 401);
    assert.ok(disabled.body.includes(SIGN_IN_FAILED));
  });

  test('sign-in rotates the session: the session the old cookie named ends', async () => {
    const volunteer = await createStaff(t.database, 'volunteer');
    const first = sessionCookieOf(await signIn(volunteer))!;
    const second = sessionCookieOf(await signIn(volunteer, '', {}, first))!;
    assert.notEqual(first, second);
    assert.equal((await getPage(t.app, '/staff/', { cookie: first, csrf: '' })).statusCode, 401);
    assert.equal((await getPage(t.app, '/staff/', { cookie: second, csrf: '' })).statusCode, 200);
  });

  test('failed sign-ins slow down per account: then 429 with Retry-After, even with the right password', async () => {
    const volunteer = await createStaff(t.database, 'volunteer');
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      assert.equal((await signIn({ name: volunteer.name, password: `wrong password ${i}` }, '', { remoteAddress: `10.1.0.${i}` })).statusCode, 401);
    }
    const throttled = await signIn(volunteer, '', { remoteAddress: '10.1.1.1' });
    assert.equal(throttled.statusCode, 429);
    assert.ok(Number(throttled.headers['retry-after']) > 0);
    assert.ok(throttled.body.includes(errorMessage({ code: 'rate_limited' }, 'en')));
    assert.equal(throttled.headers['set-cookie'], undefined);
    // The same name differently cased is the same account.
    assert.equal((await signIn({ name: volunteer.name.toUpperCase(), password: 'x' }, '', { remoteAddress: '10.1.1.2' })).statusCode, 429);
  });

  test('failed sign-ins slow down per address; other addresses are not affected', async () => {
    const accounts = await Promise.all([1, 2, 3, 4].map(() => createStaff(t.database, 'volunteer')));
    const address = '10.2.0.1';
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      const account = accounts[i % accounts.length]!;
      assert.equal((await signIn({ name: account.name, password: 'wrong password' }, '', { remoteAddress: address })).statusCode, 401);
    }
    const fresh = await createStaff(t.database, 'volunteer');
    assert.equal((await signIn(fresh, '', { remoteAddress: address })).statusCode, 429);
    assert.equal((await signIn(fresh, '', { remoteAddress: '10.2.0.2' })).statusCode, 303);
  });

  test('a sign-in form posted from another site is refused', async () => {
    const volunteer = await createStaff(t.database, 'volunteer');
    const response = await signIn(volunteer, '', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(response.statusCode, 403);
    assert.equal(response.headers['set-cookie'], undefined);
    assert.equal((await signIn(volunteer, '', { headers: { 'sec-fetch-site': 'same-origin' } })).statusCode, 303);
  });

  test('console pages without a session answer 401 with a link to sign in; the API keeps JSON', async () => {
    for (const url of ['/staff/', '/staff', '/staff/queue', '/staff/assisted', '/staff/audit']) {
      const page = await getPage(t.app, url);
      assert.equal(page.statusCode, 401, url);
      assert.match(String(page.headers['content-type']), /^text\/html/, url);
      assert.ok(page.body.includes('href="/staff/sign-in"'), url);
      assert.match(String(page.headers['x-robots-tag']), /noindex/, url);
    }
    const expired = await getPage(t.app, '/staff/queue', { cookie: 'rc_staff=not-a-session', csrf: '' });
    assert.equal(expired.statusCode, 401);
    const api = await t.app.inject({ url: '/api/v1/staff/queue' });
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.code, 'sign_in_required');
  });

  test('every console POST without the CSRF token, or with a wrong one, is refused with 403 and changes nothing', async () => {
    const admin = await createStaff(t.database, 'admin');
    const session = await sessionOf(t.database, admin);
    const { id } = (await postJson(t.app, '/api/v1/submissions', validSubmission())).json();
    const posts = t.app.registeredRoutes.filter((r) => r.method === 'POST' && r.url.startsWith('/staff/') && r.url !== '/staff/sign-in');
    assert.deepEqual(
      posts.map((r) => r.url).sort(),
      ['/staff/assisted', '/staff/queue/bulk', '/staff/sign-out', ...['approve', 'duplicate', 'edit', 'feature', 'reject'].map((a) => `/staff/submissions/:id/${a}`)].sort(),
    );
    for (const route of posts) {
      assert.ok(route.roles && route.roles.length > 0, `${route.url} declares its roles`);
      const url = route.url.replace(':id', id);
      const fields: [string, string][] = [['ids', id], ['action', 'approve'], ['reason', 'spam'], ['of', id], ['names', '某人'], ['consent', 'yes']];
      for (const csrf of [null, 'wrong-token', '']) {
        const response = await postPage(t.app, url, session, csrf === null ? fields : [['_csrf', csrf], ...fields], { csrf: false });
        assert.equal(response.statusCode, 403, `${url} with _csrf=${csrf}`);
        assert.ok(response.body.includes(CSRF_INVALID), url);
      }
    }
    const row = await t.database.db.selectFrom('submission').select(['status', 'featured']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'pending', featured: 0 });
    assert.equal((await t.database.db.selectFrom('submission').select('id').where('entered_by', '=', admin.id).execute()).length, 0);
    assert.equal((await getPage(t.app, '/staff/', session)).statusCode, 200, 'sign-out without the token did not sign out');
  });

  test('sign-out ends the session, expires the cookie and clears the site data', async () => {
    const volunteer = await createStaff(t.database, 'volunteer');
    const cookie = sessionCookieOf(await signIn(volunteer))!;
    const session: ConsoleSession = { cookie, csrf: await csrfOf(cookie) };
    const response = await postPage(t.app, '/staff/sign-out', session);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/staff/sign-in');
    assert.equal(response.headers['clear-site-data'], '"cookies", "storage"');
    const cleared = String(response.headers['set-cookie']);
    assert.match(cleared, /^rc_staff=; /);
    assert.match(cleared, /Max-Age=0/);
    assert.match(cleared, /Path=\/staff/);
    assert.equal((await getPage(t.app, '/staff/', session)).statusCode, 401, 'the old cookie no longer works');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('actor', '=', volunteer.id).orderBy('seq').execute();
    assert.deepEqual(audit.map((a) => a.action), ['staff.sign_in', 'staff.sign_out']);
  });

  test('each role is offered only what it may open, and refused the rest', async () => {
    const pages = ['/staff/queue', '/staff/assisted', '/staff/entries', '/staff/audit', '/staff/users'];
    const allowed: Record<string, string[]> = {
      translator: [],
      volunteer: ['/staff/assisted', '/staff/entries'],
      editor: ['/staff/queue', '/staff/assisted', '/staff/entries'],
      admin: pages,
    };
    for (const [role, expected] of Object.entries(allowed)) {
      const session = await sessionOf(t.database, await createStaff(t.database, role as TestStaff['role']));
      const dashboard = await getPage(t.app, '/staff/', session);
      assert.equal(dashboard.statusCode, 200, role);
      for (const url of pages) {
        const status = (await getPage(t.app, url, session)).statusCode;
        assert.equal(status, expected.includes(url) ? 200 : 403, `${role} GET ${url}`);
        assert.equal(dashboard.body.includes(`href="${url}"`), expected.includes(url), `${role} dashboard link to ${url}`);
      }
    }
  });
});
