// Fuzzing the staff side through app.inject() on both databases: every JSON body of the staff
// API (review actions, bulk actions, assisted entry) and the console's forms, with ids and
// values that are real, hostile or of the wrong type. Every answer is a success that wrote
// exactly its rows (one audit entry per change), or a catalogued refusal that wrote nothing.
//
// Fewer cases than the public families (measured on SQLite: 10,000 staff API requests took 36 s,
// 5,000 console forms 38 s — a third of the cases succeed, and each success commits, and the
// console renders a page for each): 3,000 API bodies and 1,500 forms on SQLite, 900 and 450 on
// PostgreSQL. The pure readers under them (submission validation, assisted-entry form, queue
// filters) get the full 10,000 each in submission-validation-fuzz and form-parsers-fuzz.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createApiToken } from '../../src/commands/api-tokens.js';
import { REJECT_REASONS } from '../../src/domain/reject-reasons.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, sessionOf, type ConsoleSession } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { assertCatalogedJsonError, assertNothingWritten, assertRefusedPage, assertSubmissionWritten, countChanges, fuzzOptions, hostileString, hostileValue, httpRuns, mostly, tableCounts } from './fuzz-support.js';
import { assistedBody, personsOf } from './submission-shapes.js';

const ACTIONS = ['approve', 'reject', 'duplicate', 'edit', 'feature'] as const;

describeEachDialect('fuzzed staff API and console forms', (dialect) => {
  let t: TestApp;
  let token: string;
  let session: ConsoleSession;
  const pending: string[] = [];

  /** Keeps a supply of pending submissions for the actions to work on. */
  async function refill(): Promise<void> {
    while (pending.length < 40) {
      const response = await postJson(t.app, '/api/v1/submissions', validSubmission());
      pending.push(response.json().id);
    }
  }

  before(async () => {
    t = await createTestApp(dialect);
    const admin = await createStaff(t.database, 'admin');
    token = (await createApiToken(t.database, { userName: admin.name, actor: 'test' })).token;
    session = await sessionOf(t.database, admin);
    await refill();
  });
  after(() => t.close());

  /**
   * An id: a pending one (by index into the pool, read when the case runs), anything else, or a
   * path segment with broken percent-encoding.
   */
  type Pick = { pending: number } | { other: string } | { path: string };
  const id: fc.Arbitrary<Pick> = fc.oneof(
    { weight: 6, arbitrary: fc.nat(39).map((i) => ({ pending: i })) },
    { weight: 3, arbitrary: hostileString.map((s) => ({ other: s.toWellFormed() })) },
    { weight: 1, arbitrary: fc.constantFrom('%FF', '%00', '%E4%B8', '%zz', '%', '..', '%2e%2e', '%2F', 'a%00b').map((path) => ({ path })) },
  );
  const idOf = (p: Pick): string => ('pending' in p ? pending[p.pending]! : 'other' in p ? p.other : decodeURIComponentSafe(p.path));
  const segmentOf = (p: Pick): string => ('path' in p ? p.path : encodeURIComponent(idOf(p)));
  const bodyFor: Record<(typeof ACTIONS)[number] | 'bulk', fc.Arbitrary<unknown>> = {
    approve: fc.oneof(fc.constant({}), hostileValue),
    reject: fc.record({ reason: mostly(fc.constantFrom(...REJECT_REASONS)) }),
    duplicate: fc.record({ of: mostly(id) }),
    edit: fc.record({ title: mostly(hostileString), text: mostly(hostileString) }, { requiredKeys: [] }),
    feature: fc.record({ featured: mostly(fc.boolean()) }),
    bulk: fc.record({ ids: mostly(fc.array(fc.nat(39), { minLength: 1, maxLength: 4 })), reason: mostly(fc.constantFrom(...REJECT_REASONS)) }),
  };

  /** Changes a successful action may make: audit entries for the ids it acted on, and its own rows. */
  function assertActionWritten(action: string, ids: number, before: Record<string, number>, after: Record<string, number>, context: string): void {
    const { daily_count: _cells, daily_cell: _crossCells, statement_search: _s, statement_search_data: _d, statement_search_docsize: _z, statement_search_idx: _i, submission_text_band: _b, ...rest } = countChanges(before, after);
    const expected: Record<string, number> = action === 'feature' || action === 'edit' || action === 'duplicate' ? { audit_log: 1 } : { audit_log: ids };
    if (action === 'edit') expected.submission_edit = 1;
    // One publication event per statement published (the pool holds pending statements only, so
    // featuring one appends none).
    if (action === 'approve') expected.publication_event = ids;
    assert.deepEqual(rest, expected, context);
  }

  test('staff JSON API: review, bulk and assisted bodies are applied exactly or refused with a catalogued code, writing nothing', async () => {
    const started = performance.now();
    const request = fc.oneof(
      fc.tuple(fc.constantFrom(...ACTIONS), id).chain(([action, pick]) => bodyFor[action].map((body) => ({ kind: action as string, pick, body }))),
      fc.tuple(fc.constantFrom('approve', 'reject'), bodyFor.bulk).map(([kind, body]) => ({ kind: `bulk-${kind}`, pick: { other: '' } as Pick, body })),
      assistedBody.map((body) => ({ kind: 'assisted', pick: { other: '' } as Pick, body })),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ kind, pick, body }) => {
        await refill();
        const target = idOf(pick);
        let payload = body;
        if (kind === 'duplicate' && body && typeof body === 'object' && typeof (body as { of?: unknown }).of === 'object') {
          const of = (body as { of: Pick | null }).of;
          if (of && ('pending' in of || 'other' in of || 'path' in of)) payload = { of: idOf(of) };
        }
        if (kind.startsWith('bulk-') && body && typeof body === 'object' && Array.isArray((body as { ids?: unknown }).ids)) {
          const b = body as { ids: unknown[] };
          payload = { ...b, ids: b.ids.map((i) => (typeof i === 'number' ? pending[i] : i)) };
        }
        const url = kind === 'assisted' ? '/api/v1/staff/assisted' : kind.startsWith('bulk-') ? `/api/v1/staff/${kind.slice(5)}` : `/api/v1/staff/submissions/${segmentOf(pick)}/${kind}`;
        const before = await tableCounts(t.database);
        const response = await postJson(t.app, url, payload ?? null, { authorization: `Bearer ${token}` });
        const after = await tableCounts(t.database);
        const context = `${url} ${JSON.stringify(payload)?.slice(0, 300)}\n${response.body.slice(0, 300)}`;
        if (response.statusCode < 300) {
          if (kind === 'assisted') assertSubmissionWritten(before, after, personsOf(payload), context, { audit_log: 1 });
          else assertActionWritten(kind.replace('bulk-', ''), kind.startsWith('bulk-') ? (payload as { ids: string[] }).ids.length : 1, before, after, context);
          pending.splice(0, pending.length, ...(await stillPending(pending)));
          return;
        }
        assertCatalogedJsonError(response, context);
        assertNothingWritten(before, after, context);
      }),
      fuzzOptions(0x57af, httpRuns(dialect, 0.3)),
    );
    console.log(`# ${dialect}: staff API, ${httpRuns(dialect, 0.3)} cases in ${Math.round(performance.now() - started)} ms`);
  });

  test('console forms: review actions, bulk actions and assisted entry are applied exactly or answered with a page, writing nothing on refusal', async () => {
    const started = performance.now();
    const runs = httpRuns(dialect, 0.15);
    const field = fc.tuple(fc.constantFrom('reason', 'of', 'ofHint', 'title', 'text', 'featured', 'back', 'q', 'action', 'ids', 'names', 'nameKind', 'organizations', 'region', 'channel', 'consent', 'language', 'x'), fc.oneof(hostileString, fc.constantFrom('spam', 'approve', 'reject', 'queue', 'no', 'phone', 'on', 'party', '440000', 'pseudonym', 'en')));
    const form = fc.tuple(fc.constantFrom(...ACTIONS, 'bulk', 'assisted'), id, fc.array(field, { maxLength: 8 }), fc.array(fc.nat(39), { maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(form, async ([kind, pick, fields, picks]) => {
        await refill();
        const pairs: [string, string][] = [['_csrf', session.csrf], ...fields.map(([n, v]) => [n, v.toWellFormed()] as [string, string]), ...picks.map((i) => ['ids', pending[i]!] as [string, string])];
        const url = kind === 'assisted' ? '/staff/assisted' : kind === 'bulk' ? '/staff/queue/bulk' : `/staff/submissions/${segmentOf(pick)}/${kind}`;
        const before = await tableCounts(t.database);
        const response = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie, 'accept-language': 'en' }, payload: new URLSearchParams(pairs).toString() });
        const after = await tableCounts(t.database);
        const context = `${url} ${JSON.stringify(pairs).slice(0, 400)}\n${response.statusCode} ${response.body.slice(0, 200)}`;
        assert.ok(response.statusCode < 500, context);
        const changes = countChanges(before, after);
        if (response.statusCode === 303 || (kind === 'assisted' && response.statusCode === 201)) {
          assert.ok(changes.audit_log && changes.audit_log > 0, `${context}: a change without its audit entry ${JSON.stringify(changes)}`);
          pending.splice(0, pending.length, ...(await stillPending(pending)));
          return;
        }
        if (response.statusCode !== 200) assertRefusedPage(response, context);
        assertNothingWritten(before, after, context);
      }),
      fuzzOptions(0x57b0, runs),
    );
    console.log(`# ${dialect}: console forms, ${runs} cases in ${Math.round(performance.now() - started)} ms`);
  });

  function decodeURIComponentSafe(segment: string): string {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }

  async function stillPending(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await t.database.db.selectFrom('submission').select('id').where('id', 'in', ids).where('status', '=', 'pending').execute();
    const left = new Set(rows.map((r) => r.id));
    return ids.filter((i) => left.has(i));
  }
});
