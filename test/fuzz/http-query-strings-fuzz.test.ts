// Fuzzing the query strings and path parameters of public pages, the public API, open data and
// the staff queue through app.inject() on both databases: every answer is a page or a
// catalogued refusal (never a 500, never Fastify's own error body), and reading writes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createApiToken } from '../../src/commands/api-tokens.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { assertCatalogedJsonError, assertRefusedPage, fuzzOptions, hostileString, httpRuns, tableCounts } from './fuzz-support.js';

/** A query value as it travels: percent-encoded text, or raw junk with broken escapes and NUL. */
const value = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((s) => encodeURIComponent(s.toWellFormed())) },
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '200', '201', '0', '-1', '1e3', '2024-02-29', '2023-02-30', '2026-01-01', '1999-12-31', 'yes', 'no', 'phone', 'en', "'%20or%201=1--", '%3Cscript%3E') },
  { weight: 1, arbitrary: fc.constantFrom('%', '%FF', '%E4%B8', '%zz', '%00', '%C0%AF', '+', '&', '=') },
);
const query = fc
  .array(fc.tuple(fc.constantFrom('page', 'date', 'q', 'from', 'to', 'channel', 'language', 'pow', 'flagged', 'before', 'x', 'page'), value), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
const segment = value;

const ADDRESSES = [
  (q: string) => `/en/statements${q}`,
  (q: string, s: string) => `/zh-hans/statements/${s}${q}`,
  (q: string, s: string) => `/zh-hant/s/${s}${q}`,
  (q: string) => `/en/search${q}`,
  (q: string) => `/en/articles${q}`,
  (q: string, s: string) => `/en/categories/regions/${s}${q}`,
  (q: string, s: string) => `/en/categories/organizations/${s}${q}`,
  (q: string) => `/en/feed.atom${q}`,
  (q: string, s: string) => `/${s}/statements${q}`,
  (q: string) => `/api/v1/statements${q}`,
  (q: string, s: string) => `/api/v1/statements/${s}${q}`,
  (q: string) => `/api/v1/open-data/daily.json${q}`,
  (q: string) => `/api/v1/open-data/daily.csv${q}`,
  (q: string) => `/api/v1/stats${q}`,
  (q: string) => `/api/v1/staff/queue${q}`,
  (q: string) => `/api/v1/staff/audit${q}`,
  (q: string, s: string) => `/api/v1/staff/submissions/${s}${q}`,
  (q: string) => `/staff/queue${q}`,
  (q: string, s: string) => `/staff/submissions/${s}${q}`,
];

describeEachDialect('fuzzed query strings and path parameters', (dialect) => {
  let t: TestApp;
  let token: string;
  let session: ConsoleSession;
  before(async () => {
    t = await createTestApp(dialect);
    const admin = await createStaff(t.database, 'admin');
    token = (await createApiToken(t.database, { userName: admin.name, actor: 'test' })).token;
    session = await sessionOf(t.database, admin);
    for (let i = 0; i < 3; i++) await postJson(t.app, '/api/v1/submissions', validSubmission());
  });
  after(() => t.close());

  test('pages and APIs answer any query string or path segment with a page or a catalogued refusal, and write nothing', async () => {
    const started = performance.now();
    const before = await tableCounts(t.database);
    await fc.assert(
      fc.asyncProperty(fc.nat(ADDRESSES.length - 1), query, segment, async (which, q, s) => {
        const url = ADDRESSES[which]!(q, s);
        const headers: Record<string, string> = url.startsWith('/api/v1/staff') ? { authorization: `Bearer ${token}` } : url.startsWith('/staff') ? { cookie: session.cookie } : {};
        const response = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en', ...headers } });
        const context = `GET ${url}`;
        assert.ok(response.statusCode < 500, `${context}: ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (response.statusCode < 400) return;
        if (url.startsWith('/api/')) assertCatalogedJsonError(response, context);
        else assertRefusedPage(response, context);
      }),
      fuzzOptions(0x9e7, httpRuns(dialect)),
    );
    // Reading never writes: not even the staff queue, whose duplicate hints the background indexer stores.
    const after = await tableCounts(t.database);
    for (const table of ['submission', 'declarant', 'audit_log', 'daily_count', 'submission_edit', 'submission_text_band', 'staff_session', 'api_token']) {
      assert.equal(after[table], before[table], table);
    }
    console.log(`# ${dialect}: query strings, ${httpRuns(dialect)} cases in ${Math.round(performance.now() - started)} ms`);
  });
});

