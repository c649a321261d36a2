import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import type { RegisteredRoute } from '../../src/web/app.js';
import { createTestApp, postJson, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, bearer, signInAs, submitAssisted, tokenFor, type TestStaff } from './staff-fixtures.js';

// The authorization matrix (issue 3, "How it is checked"): every registered staff route, pages and
// API, for anonymous and each role. The table below is the contract: changing who may use a route
// means changing this table too, and a staff route that is not in it fails the suite.

const ALL: readonly Role[] = ['volunteer', 'translator', 'editor', 'admin'];
const REVIEWERS: readonly Role[] = ['editor', 'admin'];
const ENTRY: readonly Role[] = ['volunteer', 'editor', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

const EXPECTED: Record<string, readonly Role[]> = {
  // Staff JSON API (bearer tokens).
  'GET /api/v1/staff/queue': REVIEWERS,
  'GET /api/v1/staff/submissions/:id': ENTRY,
  'POST /api/v1/staff/submissions/:id/approve': REVIEWERS,
  'POST /api/v1/staff/submissions/:id/reject': REVIEWERS,
  'POST /api/v1/staff/submissions/:id/duplicate': REVIEWERS,
  'POST /api/v1/staff/submissions/:id/edit': REVIEWERS,
  'POST /api/v1/staff/submissions/:id/feature': REVIEWERS,
  'POST /api/v1/staff/approve': REVIEWERS,
  'POST /api/v1/staff/reject': REVIEWERS,
  'POST /api/v1/staff/assisted': ENTRY,
  'GET /api/v1/staff/entries': ENTRY,
  'GET /api/v1/staff/audit': ADMIN,
  // Staff console (session cookie, CSRF token on every POST). The dashboard is registered as
  // `/` inside the /staff prefix: Fastify serves it at /staff and /staff/ but reports /staff.
  'GET /staff': ALL,
  'POST /staff/sign-out': ALL,
  'GET /staff/queue': REVIEWERS,
  'POST /staff/queue/bulk': REVIEWERS,
  'GET /staff/submissions/:id': ENTRY,
  'POST /staff/submissions/:id/approve': REVIEWERS,
  'POST /staff/submissions/:id/reject': REVIEWERS,
  'POST /staff/submissions/:id/duplicate': REVIEWERS,
  'POST /staff/submissions/:id/edit': REVIEWERS,
  'POST /staff/submissions/:id/feature': REVIEWERS,
  'GET /staff/assisted': ENTRY,
  'POST /staff/assisted': ENTRY,
  'GET /staff/entries': ENTRY,
  'GET /staff/audit': ADMIN,
  'GET /staff/users': ADMIN,
};

/** Staff paths anyone may use: the sign-in form and its POST. */
const PUBLIC = new Set(['GET /staff/sign-in', 'POST /staff/sign-in']);

/** Routes that end the session they are called with: each call gets a session of its own. */
const ENDS_SESSION = new Set(['POST /staff/sign-out']);

function isConsole(url: string): boolean {
  return url === '/staff' || url.startsWith('/staff/');
}

function isStaffRoute(url: string): boolean {
  return isConsole(url) || url === '/api/v1/staff' || url.startsWith('/api/v1/staff/');
}

const keyOf = (route: Pick<RegisteredRoute, 'method' | 'url'>) => `${route.method} ${route.url}`;
const sorted = (roles: readonly string[] | undefined) => [...(roles ?? [])].sort();

describeEachDialect('authorization matrix of every staff route', (dialect) => {
  let t: TestApp;
  const staff = {} as Record<Role, TestStaff>;
  const tokens = {} as Record<Role, string>;
  const sessions = {} as Record<Role, { cookie: string; csrf: string }>;
  let submissionId = '';
  let extraAccounts = 0;

  before(async () => {
    t = await createTestApp(dialect);
    for (const role of ALL) {
      staff[role] = await addStaff(t.database, `matrix-${role}`, role);
      tokens[role] = (await tokenFor(t.database, staff[role])).token;
      const signedIn = await signInAs(t.database, staff[role]);
      sessions[role] = { cookie: `rc_staff=${signedIn.token}`, csrf: signedIn.session.csrfToken };
    }
    // Entered by the volunteer, so that "volunteers see only their own entries" does not refuse it.
    submissionId = (await submitAssisted(t.app, tokens.volunteer)).id;
  });
  after(() => t.close());

  const staffRoutes = () => t.app.registeredRoutes.filter((r) => isStaffRoute(r.url));

  test('every staff route except the sign-in form declares the roles that may use it', () => {
    const undeclared = staffRoutes()
      .filter((r) => !PUBLIC.has(keyOf(r)))
      .filter((r) => !r.roles || r.roles.length === 0)
      .map(keyOf);
    assert.deepEqual(undeclared, []);
  });

  test('every registered staff route is in the expected table, with the same roles', () => {
    const registered = staffRoutes().filter((r) => !PUBLIC.has(keyOf(r)));
    const unknown = registered.filter((r) => !(keyOf(r) in EXPECTED)).map(keyOf);
    assert.deepEqual(unknown, [], 'staff routes missing from EXPECTED in this test: add them with their roles');
    for (const route of registered) {
      assert.deepEqual(sorted(route.roles), sorted(EXPECTED[keyOf(route)]), `roles of ${keyOf(route)}`);
    }
    assert.ok(registered.length >= 12, 'the staff JSON API is registered');
  });

  test('the registry lists each staff route once', () => {
    const keys = staffRoutes().map(keyOf);
    assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
  });

  /** Sends the request a client of this kind would send: bearer token for the API, cookie (+ CSRF) for the console. */
  async function send(method: string, url: string, as: Role | 'anonymous', options: { session?: { cookie: string; csrf: string }; csrf?: string | null } = {}) {
    const path = url.replace(/:[A-Za-z_]+/g, submissionId);
    if (!isConsole(url)) {
      const headers = as === 'anonymous' ? {} : bearer(tokens[as]);
      return method === 'GET' ? t.app.inject({ method: 'GET', url: path, headers }) : postJson(t.app, path, {}, headers);
    }
    const session = as === 'anonymous' ? undefined : (options.session ?? sessions[as]);
    const headers: Record<string, string> = session ? { cookie: session.cookie } : {};
    if (method === 'GET') return t.app.inject({ method: 'GET', url: path, headers });
    const csrf = options.csrf === undefined ? (session?.csrf ?? 'no-session') : options.csrf;
    return t.app.inject({
      method: method as InjectOptions['method'],
      url: path,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: csrf === null ? '' : new URLSearchParams({ _csrf: csrf }).toString(),
    });
  }

  /** A fresh account and session of a role, for a request that ends its session. */
  async function freshSession(role: Role) {
    const account = await addStaff(t.database, `matrix-extra-${++extraAccounts}`, role);
    const signedIn = await signInAs(t.database, account);
    return { cookie: `rc_staff=${signedIn.token}`, csrf: signedIn.session.csrfToken };
  }

  // Declared in a fixed order, routes that end a session last.
  const keys = Object.keys(EXPECTED).sort((a, b) => Number(ENDS_SESSION.has(a)) - Number(ENDS_SESSION.has(b)));
  describe('anonymous → 401, a role outside the declared set → 403, a role inside it → neither', () => {
    for (const key of keys) {
      test(key, async () => {
        // Always required: a route in the table that is not registered (deleted, renamed) fails.
        assert.ok(t.app.registeredRoutes.some((r) => keyOf(r) === key), `${key} is in EXPECTED but not registered`);
        const [method, registeredUrl] = key.split(' ') as [string, string];
        // A prefix root is served with and without the trailing slash: both must be guarded.
        for (const url of registeredUrl === '/staff' ? ['/staff', '/staff/'] : [registeredUrl]) {
          const anonymous = await send(method, url, 'anonymous');
          assert.equal(anonymous.statusCode, 401, `anonymous ${method} ${url}: ${anonymous.body.slice(0, 300)}`);
          for (const role of ALL) {
            const session = ENDS_SESSION.has(key) ? await freshSession(role) : undefined;
            const response = await send(method, url, role, session ? { session } : {});
            const detail = `${role} ${method} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`;
            if (EXPECTED[key]!.includes(role)) {
              assert.ok(response.statusCode !== 401 && response.statusCode !== 403, detail);
              assert.ok(response.statusCode < 500, detail);
            } else {
              assert.equal(response.statusCode, 403, detail);
              if (!isConsole(url)) assert.equal(response.json().error.code, 'forbidden');
            }
          }
        }
      });
    }
  });

  test('a state-changing console request without the session CSRF token is refused for every role allowed to make it', async () => {
    const posts = staffRoutes().filter((r) => isConsole(r.url) && r.method !== 'GET' && !PUBLIC.has(keyOf(r)));
    assert.ok(posts.length > 0, 'console POST routes are registered');
    for (const route of posts) {
      for (const role of route.roles as readonly Role[]) {
        const missing = await send(route.method, route.url, role, { csrf: null });
        assert.equal(missing.statusCode, 403, `${role} ${keyOf(route)} without _csrf: ${missing.statusCode}`);
        const wrong = await send(route.method, route.url, role, { csrf: `${sessions[role].csrf.slice(0, -2)}xx` });
        assert.equal(wrong.statusCode, 403, `${role} ${keyOf(route)} with a wrong _csrf: ${wrong.statusCode}`);
        // Another staff member's token is no better than a forged one.
        const other = ALL.find((r) => r !== role)!;
        const borrowed = await send(route.method, route.url, role, { csrf: sessions[other].csrf });
        assert.equal(borrowed.statusCode, 403, `${role} ${keyOf(route)} with another session's _csrf: ${borrowed.statusCode}`);
      }
    }
  });

  test('the staff API does not accept a console session cookie (bearer tokens only), nor a malformed bearer', async () => {
    for (const route of staffRoutes().filter((r) => !isConsole(r.url))) {
      const path = route.url.replace(/:[A-Za-z_]+/g, submissionId);
      const withCookie = await t.app.inject({
        method: route.method as 'GET' | 'POST',
        url: path,
        headers: { cookie: sessions.admin.cookie, 'content-type': 'application/json' },
        payload: route.method === 'GET' ? undefined : '{}',
      });
      assert.equal(withCookie.statusCode, 401, `${keyOf(route)} with an admin's session cookie`);
    }
    for (const authorization of [`Bearer ${tokens.admin}x`, `Basic ${tokens.admin}`, `Bearer  ${tokens.admin}`, `bearer${tokens.admin}`, 'Bearer rct_']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/staff/audit', headers: { authorization } });
      assert.equal(response.statusCode, 401, authorization.slice(0, 12));
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/staff/audit', headers: bearer(tokens.admin) })).statusCode, 200);
  });

  test('console pages do not accept a bearer token instead of a session', async () => {
    const pages = staffRoutes().filter((r) => isConsole(r.url) && r.method === 'GET' && !PUBLIC.has(keyOf(r)));
    assert.ok(pages.length > 0, 'console pages are registered');
    for (const route of pages) {
      const response = await t.app.inject({ method: 'GET', url: route.url.replace(/:[A-Za-z_]+/g, submissionId), headers: bearer(tokens.admin) });
      assert.equal(response.statusCode, 401, keyOf(route));
    }
  });

  test('the sign-in form is public', async () => {
    assert.ok(t.app.registeredRoutes.some((r) => keyOf(r) === 'GET /staff/sign-in'), 'GET /staff/sign-in is not registered');
    const response = await t.app.inject({ method: 'GET', url: '/staff/sign-in' });
    assert.equal(response.statusCode, 200);
  });
});
