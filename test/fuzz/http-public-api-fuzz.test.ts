// Fuzzing the public JSON API through app.inject() on both databases: POST /api/v1/submissions
// and POST /api/v1/receipt(/retract), from generated bodies and from raw bytes (broken UTF-8,
// broken JSON, empty bodies). Every answer is a 201/200 with exactly the expected rows, or a
// catalogued 4xx that wrote nothing. The pure validator is the oracle for what must be refused.
//
// Cases: httpRuns() per endpoint family (10,000 on SQLite, 3,000 on PostgreSQL: see there why),
// each followed by a row count of every table; run times are printed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { validateSubmission } from '../../src/domain/submission.js';
import { createTestApp, validSubmission, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import {
  assertCatalogedJsonError,
  assertNothingWritten,
  assertSubmissionWritten,
  countChanges,
  fuzzOptions,
  hostileString,
  httpRuns,
  INVALID_UTF8,
  tableCounts,
} from './fuzz-support.js';
import { personsOf, submissionBody } from './submission-shapes.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw bodies: a valid submission's JSON cut, spliced with junk or broken UTF-8, or empty. */
const rawBody = fc
  .tuple(fc.nat(400), fc.oneof(fc.constantFrom(...INVALID_UTF8).map((b) => Buffer.from(b)), fc.constantFrom('', '{', '}', ',', '"', '\\', '\u0000', '"language":"en",', 'null', '[]', '{"__proto__":{"x":1}}').map((s) => Buffer.from(s)), hostileString.map((s) => Buffer.from(s))), fc.boolean())
  .map(([at, junk, cut]) => {
    const json = Buffer.from(JSON.stringify(validSubmission()));
    const i = at % (json.length + 1);
    return Buffer.concat([json.subarray(0, i), junk, cut ? Buffer.alloc(0) : json.subarray(i)]);
  });

/** What the service must answer to `payload`: a refusal's codes and fields, or acceptance. */
function expectedFor(payload: Buffer): { refused: string[] } | { accepted: number } {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { refused: ['invalid_encoding:body'] };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refused: ['invalid_json:body'] };
  }
  const result = validateSubmission(body, false);
  if (!result.ok) return { refused: result.errors.map((e) => `${e.code}:${e.field ?? ''}`) };
  if ((body as Record<string, unknown>).altcha !== undefined) return { refused: ['proof_of_work_invalid:altcha'] };
  return { accepted: personsOf(body) };
}

describeEachDialect('fuzzed public JSON API', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('POST /api/v1/submissions: generated and raw bodies are accepted with exactly their rows, or refused as the validator says, writing nothing', async () => {
    const started = performance.now();
    const receipts: string[] = [];
    const payloads = fc.oneof({ weight: 4, arbitrary: submissionBody.map((b) => Buffer.from(JSON.stringify(b))) }, { weight: 1, arbitrary: rawBody });
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const expected = expectedFor(payload);
        const before = await tableCounts(t.database);
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'application/json' }, payload });
        const after = await tableCounts(t.database);
        const context = payload.toString('utf8').slice(0, 400);
        if ('accepted' in expected) {
          assert.equal(response.statusCode, 201, `${context}\n${response.body}`);
          assertSubmissionWritten(before, after, expected.accepted, context);
          receipts.push(response.json().receipt);
          return;
        }
        assertCatalogedJsonError(response, context);
        assert.deepEqual(response.json().errors.map((e: { code: string; field?: string }) => `${e.code}:${e.field ?? ''}`), expected.refused, context);
        assertNothingWritten(before, after, context);
      }),
      fuzzOptions(0xa11, httpRuns(dialect)),
    );
    assert.ok(receipts.length > 100, `some generated submissions were accepted (${receipts.length})`);
    console.log(`# ${dialect}: submissions API, ${httpRuns(dialect)} cases in ${Math.round(performance.now() - started)} ms`);
  });

  test('POST /api/v1/receipt and /receipt/retract: any body reads or retracts only a real receipt, else a catalogued refusal that writes nothing', async () => {
    const started = performance.now();
    const real: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { 'content-type': 'application/json' }, payload: validSubmission() });
      real.push(r.json().receipt);
    }
    const retracted = new Set<string>();
    const receipt = fc.oneof(
      { weight: 2, arbitrary: fc.nat(real.length - 1).chain((i) => fc.constantFrom(real[i]!, real[i]!.toLowerCase(), real[i]!.replaceAll('-', ' '), real[i]!.replaceAll('-', ''))) },
      { weight: 3, arbitrary: hostileString },
      { weight: 1, arbitrary: fc.constantFrom('2222-2222-2222-2222-2222', 'OOOO-OOOO-OOOO-OOOO-OOOO', null, 42, ['x'], {}) },
    );
    const body = fc.oneof(
      { weight: 6, arbitrary: receipt.map((r) => Buffer.from(JSON.stringify({ receipt: r }))) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')) },
      { weight: 1, arbitrary: rawBody },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (payload, retract) => {
        const before = await tableCounts(t.database);
        const url = retract ? '/api/v1/receipt/retract' : '/api/v1/receipt';
        const response = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
        const after = await tableCounts(t.database);
        const context = `${url} ${payload.toString('utf8').slice(0, 300)}`;
        if (response.statusCode === 200) {
          const sent = (JSON.parse(payload.toString('utf8')) as { receipt: string }).receipt;
          const canonical = sent.toUpperCase().replace(/[\s-]/g, '');
          assert.ok(real.some((r) => r.replaceAll('-', '') === canonical), context);
          const changes = countChanges(before, after);
          assert.ok(!changes.submission && !changes.declarant, `${context}: ${JSON.stringify(changes)}`);
          if (retract) {
            assert.ok(!retracted.has(canonical), `${context}: retracted twice`);
            retracted.add(canonical);
          } else assert.deepEqual(changes, {}, context);
          return;
        }
        assertCatalogedJsonError(response, context);
        assertNothingWritten(before, after, context);
      }),
      fuzzOptions(0xa12, httpRuns(dialect)),
    );
    console.log(`# ${dialect}: receipt API, ${httpRuns(dialect)} cases in ${Math.round(performance.now() - started)} ms`);
  });
});
