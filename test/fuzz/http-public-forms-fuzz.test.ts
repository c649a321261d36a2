// Fuzzing the public forms through app.inject() on both databases: POST /{locale}/submit and
// /{locale}/receipt(/retract), urlencoded, from generated fields and raw bodies (broken escapes,
// invalid UTF-8). The form is shown again (4xx) writing nothing, or accepted with exactly its rows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { validateSubmission } from '../../src/domain/submission.js';
import { parseForm } from '../../src/web/plugins/body-parsers.js';
import { readSubmitForm } from '../../src/web/routes/public/submit-form.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { assertNothingWritten, assertRefusedPage, assertSubmissionWritten, fuzzOptions, hostileString, httpRuns, INVALID_UTF8, tableCounts } from './fuzz-support.js';

const pair = fc.tuple(
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('d0.displayName', 'd0.nameKind', 'd0.organizations', 'd0.organizations', 'd0.region', 'd0.occupation', 'd1.displayName', 'd1.organizations', 'd1.region', 'd1.nameKind') },
    { weight: 2, arbitrary: fc.constantFrom('title', 'text', 'language', 'website', 'action', 'altcha', 'contact', 'receipt', 'd25.region', '__proto__') },
    { weight: 1, arbitrary: hostileString },
  ),
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom('明远', 'party', 'youth_league', '440000', 'overseas', 'real', 'pseudonym', 'retired', 'en', '') }, { weight: 2, arbitrary: hostileString }),
);
/** A valid core (so a fair share is accepted) plus generated pairs, or a raw body. */
const body = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(fc.boolean(), fc.array(pair, { maxLength: 8 })).map(([core, pairs]) => {
      const base: [string, string][] = core ? [['d0.displayName', '明远'], ['d0.nameKind', 'pseudonym'], ['d0.organizations', 'party'], ['d0.region', '440000']] : [];
      return Buffer.from(new URLSearchParams([...base, ...pairs.map(([n, v]) => [n.toWellFormed(), v.toWellFormed()] as [string, string])]).toString());
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom(...INVALID_UTF8, [0x25], [0x25, 0x46, 0x46], [0x25, 0x7a])).map(([s, bad]) => Buffer.concat([Buffer.from(`d0.displayName=${s}`), Buffer.from(bad)])) },
);

/** What the form must do: be shown again (`refused`), ask for one more person, or be accepted. */
function expectedFor(payload: Buffer, locale: string): 'refused' | 'add-person' | number {
  let fields;
  try {
    fields = parseForm(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return 'refused';
  }
  const form = readSubmitForm(fields, locale);
  if (form.action === 'add-person') return 'add-person';
  if (form.honeypot !== '') return 'refused';
  const result = validateSubmission(form.input, false);
  if (!result.ok || form.input.altcha !== undefined) return 'refused';
  return result.value.declarants.length;
}

describeEachDialect('fuzzed public forms', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  test('POST /{locale}/submit and /{locale}/receipt(/retract): the form comes back writing nothing, or is accepted with exactly its rows', async () => {
    const started = performance.now();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('zh-hans', 'zh-hant', 'en'), fc.constantFrom('submit', 'submit', 'submit', 'receipt', 'receipt/retract'), async (payload, locale, page) => {
        const before = await tableCounts(t.database);
        const response = await t.app.inject({ method: 'POST', url: `/${locale}/${page}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
        const after = await tableCounts(t.database);
        const context = `/${locale}/${page} ${payload.toString('latin1').slice(0, 300)}\n${response.statusCode}`;
        assert.match(String(response.headers['content-type']), /^text\/html/, context);
        const expected = page === 'submit' ? expectedFor(payload, locale) : 'refused';
        if (typeof expected === 'number') {
          assert.equal(response.statusCode, 201, context);
          assertSubmissionWritten(before, after, expected, context);
          accepted++;
          return;
        }
        if (expected === 'add-person') assert.equal(response.statusCode, 200, context);
        else assertRefusedPage(response, context);
        assertNothingWritten(before, after, context);
      }),
      fuzzOptions(0xf0f, httpRuns(dialect)),
    );
    assert.ok(accepted > 20, `some forms were accepted (${accepted})`);
    console.log(`# ${dialect}: public forms, ${httpRuns(dialect)} cases in ${Math.round(performance.now() - started)} ms`);
  });
});
