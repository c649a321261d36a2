// Regression tests for three classes of flaw an external audit found in a well-known
// anonymous-submission system (issue 6, "Hostile input"), each named after the threat:
//
//   a. IDOR on 2FA enrolment: one staff member enrols, resets or reads another's TOTP secret;
//   b. CSRF on sign-out: another site ends a staff member's session;
//   c. an unauthenticated internal service: something listens beyond the configured address
//      and port (a debug port, a worker's socket, a second address family).
//
// Here TOTP secrets are made only by `rcenter user add` (src/commands/staff-accounts.ts), which
// prints the otpauth:// URI once; no route enrols, resets or shows one. These tests keep it so.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { generate, generateSecret } from 'otplib';
import { createStaffUser } from '../../src/commands/staff-accounts.js';
import { signIn } from '../../src/commands/staff-sessions.js';
import type { Role } from '../../src/domain/roles.js';
import { ServiceError } from '../../src/domain/service-error.js';
import type { Dialect } from '../../src/storage/database.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { getPage, postPage, sessionCookieOf, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { addStaff, auditRows, bearer, PASSPHRASE, signInAs, submitAssisted, tokenFor, type TestStaff } from './staff-fixtures.js';

const ROLES: readonly Role[] = ['admin', 'editor', 'volunteer', 'translator'];

const isConsole = (url: string) => url === '/staff' || url.startsWith('/staff/');
const isStaffApi = (url: string) => url.startsWith('/api/v1/staff/');

// ---------------------------------------------------------------------------------------------
// a. IDOR on 2FA enrolment

describeEachDialect('IDOR on 2FA enrolment: no staff member can enrol, reset or read another’s TOTP', (dialect) => {
  let t: TestApp;
  let victim: TestStaff;
  const attackers = {} as Record<Role, { staff: TestStaff; token: string; session: ConsoleSession }>;
  let victimEntry = '';

  before(async () => {
    t = await createTestApp(dialect);
    victim = await addStaff(t.database, 'totp-victim', 'editor');
    for (const role of ROLES) {
      const staff = await addStaff(t.database, `totp-attacker-${role}`, role);
      const signedIn = await signInAs(t.database, staff);
      attackers[role] = { staff, token: (await tokenFor(t.database, staff)).token, session: { cookie: `rc_staff=${signedIn.token}`, csrf: signedIn.session.csrfToken } };
    }
    // Something of the victim's for routes that take an id: an entry the victim recorded.
    victimEntry = (await submitAssisted(t.app, (await tokenFor(t.database, victim)).token)).id;
  });
  after(() => t.close());

  /** Every TOTP secret in this database: none may ever appear in an answer. */
  const allSecrets = () => [victim, ...ROLES.map((r) => attackers[r].staff)].map((s) => s.secret).filter((s): s is string => s !== null);

  const victimRow = () =>
    t.database.db.selectFrom('staff_user').select(['totp_secret', 'totp_last_step', 'password_hash', 'disabled', 'role']).where('id', '=', victim.id).executeTakeFirstOrThrow();

  /** Paths for a route pattern, with every parameter pointing at the victim (their id, their name, their entry). */
  function pathsFor(url: string): string[] {
    const values = [victim.id, victim.name, victimEntry];
    const paths = values.map((value) =>
      url.replace(/:([A-Za-z_]+)/g, (_, param: string) => (param === 'locale' ? 'en' : encodeURIComponent(value))).replace(/\*$/, value),
    );
    return [...new Set(paths)];
  }

  /** A query string naming the victim in every way a TOTP or account page might take it. */
  const victimQuery = () => new URLSearchParams({ user: victim.id, userId: victim.id, id: victim.id, name: victim.name, account: victim.name }).toString();

  function assertNoSecret(where: string, body: string): void {
    const lower = body.toLowerCase();
    for (const secret of allSecrets()) assert.ok(!lower.includes(secret.toLowerCase()), `${where} shows a TOTP secret`);
    assert.ok(!lower.includes('otpauth'), `${where} shows an otpauth:// URI`);
  }

  test('no route is there to enrol, reset or show a TOTP secret', () => {
    const suspicious = t.app.registeredRoutes.filter((r) => /totp|otp\b|2fa|mfa|enrol|authenticator|secret/i.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(suspicious, []);
  });

  test('no GET route shows the victim’s (or anyone’s) TOTP secret or an otpauth:// URI, to any role or to no one', async () => {
    const gets = t.app.registeredRoutes.filter((r) => r.method === 'GET');
    assert.ok(gets.length > 30, 'the walk sees the whole app');
    let answered = 0;
    for (const route of gets) {
      for (const base of pathsFor(route.url)) {
        const url = `${base}${base.includes('?') ? '&' : '?'}${victimQuery()}`;
        const as: { who: string; headers: Record<string, string> }[] = [{ who: 'anonymous', headers: {} }];
        for (const role of ROLES) {
          if (isConsole(route.url)) as.push({ who: role, headers: { cookie: attackers[role].session.cookie } });
          else if (isStaffApi(route.url)) as.push({ who: role, headers: bearer(attackers[role].token) });
        }
        for (const { who, headers } of as) {
          const response = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en', ...headers } });
          assert.ok(response.statusCode < 500, `${who} GET ${url}: ${response.statusCode}`);
          assertNoSecret(`${who} GET ${url}`, response.body);
          answered++;
        }
      }
    }
    assert.ok(answered > 100);
    // Positive control: the admin's pages do name the victim (the walk reached them) — just not the secret.
    const users = await getPage(t.app, '/staff/users', attackers.admin.session);
    assert.equal(users.statusCode, 200);
    assert.ok(users.body.includes(victim.name), 'the account list names the victim');
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/staff/audit', headers: bearer(attackers.admin.token) });
    assert.ok(audit.body.includes(victim.id), 'the audit log records the victim’s account creation');
  });

  test('no POST route changes the victim’s TOTP secret or password, whatever fields it is sent and by whom', async () => {
    const chosen = generateSecret();
    const before = await victimRow();
    const fields: Record<string, string> = {
      user: victim.id, userId: victim.id, id: victim.id, name: victim.name, account: victim.name,
      totp: chosen, totp_secret: chosen, totpSecret: chosen, secret: chosen, code: await generate({ secret: chosen }),
      password: 'an attacker chosen passphrase', reset: 'true', enrol: 'true',
    };
    const posts = t.app.registeredRoutes.filter((r) => r.method === 'POST' && r.url !== '/staff/sign-in');
    for (const route of posts) {
      for (const url of pathsFor(route.url)) {
        if (isConsole(route.url)) {
          for (const role of ROLES) {
            // A session of its own for every request: sign-out ends the one it is sent with.
            const session = await sessionOf(t.database, { ...attackers[role].staff, password: PASSPHRASE });
            const response = await postPage(t.app, url, session, Object.entries(fields));
            assert.ok(response.statusCode < 500, `${role} POST ${url}: ${response.statusCode}`);
            assertNoSecret(`${role} POST ${url}`, response.body);
          }
        } else {
          const who = isStaffApi(route.url) ? ROLES : (['anonymous'] as const);
          for (const role of who) {
            const headers = role === 'anonymous' ? {} : bearer(attackers[role].token);
            const response = await postJson(t.app, url, { ...validSubmission(), ...fields, channel: 'phone', consent: true }, headers);
            assert.ok(response.statusCode < 500, `${role} POST ${url}: ${response.statusCode}`);
            assertNoSecret(`${role} POST ${url}`, response.body);
          }
        }
      }
    }
    assert.deepEqual(await victimRow(), before, 'the victim’s credentials are as they were');
  });

  test('`rcenter user add` with the victim’s name does not re-enrol them: refused, secret unchanged', async () => {
    const before = await victimRow();
    await assert.rejects(
      createStaffUser(t.database, { name: victim.name, role: 'editor', password: 'another long passphrase 77', actor: 'cli', passwordCostLog2: 14 }),
      (error: unknown) => error instanceof ServiceError && error.code === 'already_exists',
    );
    assert.deepEqual(await victimRow(), before);
  });

  test('the victim’s name and password with a code from a secret the attacker chose (or their own) are refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const victimCodes = new Set(await Promise.all([-30, 0, 30].map((d) => generate({ secret: victim.secret!, epoch: now + d }))));
    /** A current code of `secret` that the victim's authenticator does not happen to show too. */
    const codeOf = async (secret: string) => {
      const code = await generate({ secret });
      return victimCodes.has(code) ? null : code;
    };
    let chosen = generateSecret();
    let chosenCode = await codeOf(chosen);
    while (chosenCode === null) chosenCode = await codeOf((chosen = generateSecret()));
    const ownCode = await codeOf(attackers.editor.staff.secret!);

    const form = (code: string) =>
      postPage(t.app, '/staff/sign-in', null, [['name', victim.name], ['password', PASSPHRASE], ['code', code]], { headers: { 'sec-fetch-site': 'same-origin' } });
    for (const code of [chosenCode, ownCode].filter((c): c is string => c !== null)) {
      const response = await form(code);
      assert.equal(response.statusCode, 401, response.body.slice(0, 300));
      assert.equal(sessionCookieOf(response), undefined, 'no session for the attacker');
      await assert.rejects(signIn(t.database, { name: victim.name, password: PASSPHRASE, code }), (e: unknown) => e instanceof ServiceError && e.code === 'sign_in_failed');
    }
    const reasons = (await auditRows(t.database, 'staff.sign_in_failed')).filter((r) => r.target === victim.id).map((r) => r.reason);
    assert.ok(reasons.length >= 2 && reasons.every((r) => r === 'totp'), `refused for the code: ${reasons.join(', ')}`);
    // Positive control: the same name and password with the victim's own code get in.
    const own = await form(await generate({ secret: victim.secret! }));
    assert.equal(own.statusCode, 303, own.body.slice(0, 300));
    assert.ok(sessionCookieOf(own));
  });
});

// ---------------------------------------------------------------------------------------------
// b. CSRF on sign-out

describeEachDialect('CSRF on sign-out: another site cannot end a staff session', (dialect) => {
  let t: TestApp;
  let accounts = 0;

  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  /** A real session: the sign-in form posted as a browser would, and the CSRF token from the page. */
  async function signedInSession(): Promise<{ staff: TestStaff; session: ConsoleSession; setCookie: string }> {
    const staff = await addStaff(t.database, `sign-out-${++accounts}`, 'volunteer');
    const response = await postPage(t.app, '/staff/sign-in', null, [['name', staff.name], ['password', PASSPHRASE], ['code', '']], {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    const cookie = sessionCookieOf(response)!;
    const page = await getPage(t.app, '/staff/', { cookie, csrf: '' });
    assert.equal(page.statusCode, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    return { staff, session: { cookie, csrf }, setCookie: String(response.headers['set-cookie']) };
  }

  async function assertStillSignedIn(staff: TestStaff, session: ConsoleSession, what: string): Promise<void> {
    assert.equal((await getPage(t.app, '/staff/', session)).statusCode, 200, `${what}: the session must still work`);
    const signOuts = (await auditRows(t.database, 'staff.sign_out')).filter((r) => r.actor === staff.id);
    assert.equal(signOuts.length, 0, `${what}: no sign-out was recorded`);
  }

  const CROSS_SITE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', origin: 'https://attacker.example', referer: 'https://attacker.example/page' };

  test('the session cookie is SameSite=Strict and HttpOnly: a browser does not even send it with a cross-site POST', async () => {
    const { setCookie } = await signedInSession();
    assert.match(setCookie, /;\s*SameSite=Strict/i);
    assert.match(setCookie, /;\s*HttpOnly/i);
    assert.match(setCookie, /;\s*Path=\/staff/);
  });

  test('a cross-site POST without the token, or with a wrong one, does not end the session', async () => {
    const { staff, session } = await signedInSession();
    const other = await signedInSession();
    const form = 'application/x-www-form-urlencoded';
    const attempts: { what: string; body: string; type?: string; headers?: Record<string, string>; query?: string }[] = [
      { what: 'no token', body: '' },
      { what: 'no token, cross-site, foreign Origin', body: '', headers: CROSS_SITE },
      { what: 'empty token, cross-site', body: '_csrf=', headers: CROSS_SITE },
      { what: 'a wrong token, cross-site', body: `_csrf=${session.csrf.slice(0, -2)}xx`, headers: CROSS_SITE },
      { what: 'a wrong token, foreign Origin only', body: '_csrf=guessed', headers: { origin: 'https://attacker.example' } },
      { what: 'another staff member’s token', body: `_csrf=${encodeURIComponent(other.session.csrf)}`, headers: CROSS_SITE },
      { what: 'a wrong token and then the right one (sent twice)', body: `_csrf=wrong&_csrf=${encodeURIComponent(session.csrf)}`, headers: CROSS_SITE },
      { what: 'the right token in the query string instead of the body', body: '', query: `?_csrf=${encodeURIComponent(session.csrf)}`, headers: CROSS_SITE },
      { what: 'a text/plain form (no preflight) without the token', body: '_csrf=guessed', type: 'text/plain', headers: CROSS_SITE },
      { what: 'a multipart form without the token', body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n', type: 'multipart/form-data; boundary=b', headers: CROSS_SITE },
    ];
    for (const attempt of attempts) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/staff/sign-out${attempt.query ?? ''}`,
        headers: { 'content-type': attempt.type ?? form, 'accept-language': 'en', cookie: session.cookie, ...attempt.headers },
        payload: attempt.body,
      });
      assert.ok([403, 415].includes(response.statusCode), `${attempt.what}: ${response.statusCode}`);
      assert.equal(response.headers['clear-site-data'], undefined, `${attempt.what}: no Clear-Site-Data`);
      assert.equal(sessionCookieOf(response), undefined, `${attempt.what}: the cookie is not cleared`);
      await assertStillSignedIn(staff, session, attempt.what);
    }
  });

  test('a GET or HEAD to the sign-out URL (a link or an image on another site) does not sign out', async () => {
    const { staff, session } = await signedInSession();
    for (const method of ['GET', 'HEAD'] as const) {
      for (const url of ['/staff/sign-out', `/staff/sign-out?_csrf=${encodeURIComponent(session.csrf)}`]) {
        const response = await t.app.inject({ method, url, headers: { cookie: session.cookie, ...CROSS_SITE } });
        assert.ok(response.statusCode >= 400, `${method} ${url}: ${response.statusCode}`);
        assert.equal(response.headers['clear-site-data'], undefined);
        assert.equal(sessionCookieOf(response), undefined);
        await assertStillSignedIn(staff, session, `${method} ${url}`);
      }
    }
  });

  test('positive control: the console’s own sign-out form (same origin, the session’s token) ends the session', async () => {
    const { staff, session } = await signedInSession();
    const response = await postPage(t.app, '/staff/sign-out', session, [], { headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers['clear-site-data'], '"cookies", "storage"');
    assert.equal((await getPage(t.app, '/staff/', session)).statusCode, 401);
    assert.equal((await auditRows(t.database, 'staff.sign_out')).filter((r) => r.actor === staff.id).length, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// c. Unauthenticated internal service

/** Why the socket checks cannot run here, or false: they read Linux's /proc. */
const procSkip: string | false = fs.existsSync('/proc/self/net/tcp') && fs.existsSync('/proc/self/fd')
  ? false
  : 'no /proc/<pid>/net and /proc/<pid>/fd (not Linux): cannot list the sockets a process listens on';

interface Listener {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'unix';
  address: string;
  port: number | null;
}

/** The inodes of every socket held by any thread of `pid` (worker threads included). */
function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/task/${task}/fd`);
    } catch {
      continue; // the thread ended while we looked
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/task/${task}/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // closed while we looked
      }
    }
  }
  return inodes;
}

/** `0100007F` → 127.0.0.1; 32 hex digits → a compressed IPv6 address ( /proc/net/tcp6 words are little-endian). */
function decodeAddress(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  if (bytes.length === 4) return [...bytes].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.replace(/^\[|\]$/g, '');
}

/**
 * Every socket of `pid` that accepts traffic: TCP in LISTEN state, any bound UDP socket, and
 * listening Unix sockets (`__SO_ACCEPTCON`), read from the process's own view of /proc/net.
 */
function listenersOf(pid: number): { listeners: Listener[]; sockets: number } {
  const inodes = socketInodesOf(pid);
  const listeners: Listener[] = [];
  const table = (name: string) => {
    const file = `/proc/${pid}/net/${name}`;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/)) : [];
  };
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const fields of table(protocol)) {
      const [, local, , state, , , , , , inode] = fields;
      if (!inodes.has(inode!)) continue;
      if (protocol.startsWith('tcp') && state !== '0A') continue; // 0A = TCP_LISTEN
      const [address, port] = local!.split(':');
      listeners.push({ protocol, address: decodeAddress(address!), port: parseInt(port!, 16) });
    }
  }
  for (const fields of table('unix')) {
    const [, , , flags, , , inode, socketPath] = fields;
    if (inodes.has(inode!) && (parseInt(flags!, 16) & 0x10000) !== 0) listeners.push({ protocol: 'unix', address: socketPath ?? '(unnamed)', port: null });
  }
  return { listeners, sockets: inodes.size };
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts `rcenter serve` on the dialect's database, sends it some work so every thread is up. */
async function startBusyServer(dialect: Dialect, env: Record<string, string | undefined>): Promise<{ server: ServerProcess; database: TestDatabase }> {
  const database = await createTestDatabase(dialect);
  const server = await startServerProcess({
    env: { DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}), ...env },
  });
  // A submission starts the SQLite intake writer thread (the checkpoint thread starts with the
  // database); a page read uses the reading connection.
  const submitted = await fetch(`${server.url}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(validSubmission()),
  });
  assert.equal(submitted.status, 201, await submitted.text());
  assert.equal((await fetch(`${server.url}/en/`)).status, 200);
  return { server, database };
}

describeEachDialect('unauthenticated internal service: nothing listens beyond HOST and PORT', (dialect) => {
  let server: ServerProcess | undefined;
  let database: TestDatabase | undefined;
  let port = 0;

  before(async () => {
    if (procSkip) return;
    port = await freePort();
    ({ server, database } = await startBusyServer(dialect, { HOST: '127.0.0.1', PORT: String(port) }));
  });
  after(async () => {
    await server?.stop();
    await database?.cleanup();
  });

  test('exactly one listening socket, on 127.0.0.1:PORT — no other address, port, UDP or Unix socket, in any thread', { skip: procSkip }, () => {
    const pid = server!.child.pid!;
    assert.equal(server!.port, port, 'it serves on the chosen port');
    const threads = fs.readdirSync(`/proc/${pid}/task`).length;
    const { listeners, sockets } = listenersOf(pid);
    assert.ok(sockets >= 1, 'the process’s sockets were found');
    assert.ok(threads > 1, 'threads were looked at');
    assert.deepEqual(listeners, [{ protocol: 'tcp', address: '127.0.0.1', port }], JSON.stringify(listeners));
  });

  test('the port does not answer on other local addresses', { skip: procSkip }, async () => {
    assert.equal(await accepts('127.0.0.1', port), true, 'positive control');
    assert.equal(await accepts('127.0.0.2', port), false, '127.0.0.2');
    assert.equal(await accepts('::1', port), false, '::1');
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (external) assert.equal(await accepts(external.address, port), false, external.address);
  });

  test('/healthz says {"ok":true} and nothing more', { skip: procSkip }, async () => {
    const response = await fetch(`${server!.url}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"ok":true}');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    for (const header of ['server', 'x-powered-by', 'x-runtime', 'x-version', 'via']) assert.equal(response.headers.get(header), null, header);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });
});

describe('unauthenticated internal service: with HOST unset the default is 127.0.0.1 alone', { skip: procSkip }, () => {
  let server: ServerProcess | undefined;
  let database: TestDatabase | undefined;

  before(async () => {
    ({ server, database } = await startBusyServer('sqlite', { HOST: undefined, PORT: String(await freePort()) }));
  });
  after(async () => {
    await server?.stop();
    await database?.cleanup();
  });

  test('one listening socket, on 127.0.0.1', () => {
    const { listeners } = listenersOf(server!.child.pid!);
    assert.deepEqual(listeners, [{ protocol: 'tcp', address: '127.0.0.1', port: server!.port }], JSON.stringify(listeners));
  });
});
