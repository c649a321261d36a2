// Property-based fuzzing of the urlencoded form parser and of the readers that turn forms into
// submissions: the public statement form and the console's assisted-entry form. Pure, in-process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ServiceError } from '../../src/domain/service-error.js';
import { validateSubmission } from '../../src/domain/submission.js';
import { parseForm, type FormFields } from '../../src/web/plugins/body-parsers.js';
import { readSubmitForm } from '../../src/web/routes/public/submit-form.js';
import { checkAssistedForm, MAX_NAMES, readAssistedForm } from '../../src/web/routes/staff/assisted-form.js';
import { fuzzOptions, hostileString, KNOWN_CODES, NASTY_FRAGMENTS } from './fuzz-support.js';

/** Raw form bodies: fragments of real forms, percent-escapes (good and broken), '+', '&', '='. */
const rawForm = fc
  .array(
    fc.oneof(
      fc.constantFrom('&', '=', '+', '%', '%2', '%zz', '%00', '%C3%A9', '%E4%B8', '%FF', '%ED%A0%80', 'd0.displayName=', 'd0.organizations=party', 'title=', 'd999.region=', '__proto__=', 'constructor=', 'action=add-person'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

test('parseForm: any body is parsed or refused as invalid_encoding, never anything else', () => {
  fc.assert(
    fc.property(rawForm, (body) => {
      try {
        const fields = parseForm(body);
        assert.equal(Object.getPrototypeOf(fields), null, 'no prototype to pollute');
        for (const value of Object.values(fields)) assert.ok(typeof value === 'string' || (Array.isArray(value) && value.length >= 2));
      } catch (error) {
        assert.ok(error instanceof ServiceError, String(error));
        assert.equal(error.code, 'invalid_encoding');
      }
    }),
    fuzzOptions(0xf011),
  );
});

test('parseForm: what a browser encodes comes back exactly, repeated names as arrays in order', () => {
  const wellFormed = fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 20 })).filter((s) => s.isWellFormed());
  const name = fc.oneof(fc.constantFrom('title', 'd0.organizations', '__proto__', 'a b', '&=+%'), wellFormed);
  fc.assert(
    fc.property(fc.array(fc.tuple(name, wellFormed), { maxLength: 12 }), (pairs) => {
      const expected: Record<string, string[]> = Object.create(null);
      for (const [n, v] of pairs) (expected[n] ??= []).push(v);
      const fields = parseForm(new URLSearchParams(pairs).toString());
      assert.deepEqual(Object.keys(fields).sort(), Object.keys(expected).sort());
      for (const [n, values] of Object.entries(expected)) assert.deepEqual(([] as string[]).concat(fields[n]!), values);
    }),
    fuzzOptions(0xf012),
  );
});

/** Form fields as they arrive: known names (sometimes twice) and junk, hostile values. */
const formFields: fc.Arbitrary<FormFields> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('title', 'text', 'contact', 'altcha', 'language', 'website', 'action', 'receipt'),
        fc.tuple(fc.nat(30), fc.constantFrom('displayName', 'nameKind', 'organizations', 'region', 'occupation')).map(([i, f]) => `d${i}.${f}`),
        fc.constantFrom('d00.region', 'd-1.region', 'd1000.region', 'd0.__proto__', '__proto__'),
        fc.string({ maxLength: 10 }),
      ),
      fc.oneof(hostileString, fc.constantFrom('party', 'youth_league', '440000', 'real', 'pseudonym', 'en', 'add-person', '')),
    ),
    { maxLength: 30 },
  )
  .map((pairs) => parseForm(new URLSearchParams(pairs.map(([n, v]) => [n, v.toWellFormed()])).toString()));

test('readSubmitForm: any form becomes the API shape, which validation judges without throwing', () => {
  fc.assert(
    fc.property(formFields, fc.constantFrom('zh-hans', 'zh-hant', 'en'), (fields, locale) => {
      const form = readSubmitForm(fields, locale);
      assert.ok(form.values.declarants.length >= 1 && form.values.declarants.length <= 21);
      for (const d of form.values.declarants) assert.equal(typeof d.displayName, 'string');
      const result = validateSubmission(form.input, false);
      if (!result.ok) for (const e of result.errors) assert.ok(KNOWN_CODES.has(e.code) && typeof e.field === 'string', JSON.stringify(e));
      // A field sent twice where one is expected is refused, never silently narrowed to one.
      for (const name of ['title', 'text'] as const) {
        if (Array.isArray(fields[name]) && (fields[name] as string[]).some((v) => v !== '')) {
          assert.ok(!result.ok && result.errors.some((e) => e.field === name && e.code === 'wrong_type'), name);
        }
      }
    }),
    fuzzOptions(0xf013),
  );
});

test('assisted-entry form: any form is read and checked without throwing; errors are catalogued and name a field', () => {
  const assisted = fc
    .record({
      names: fc.array(fc.oneof(hostileString, fc.constantFrom('明远', 'Li Wei', '')), { maxLength: 5 }).map((l) => l.join('\n')),
      nameKind: fc.oneof(hostileString, fc.constantFrom('real', 'pseudonym')),
      organizations: fc.oneof(fc.subarray(['party', 'youth_league', 'young_pioneers']), fc.array(hostileString, { maxLength: 3 })),
      region: fc.oneof(hostileString, fc.constantFrom('440000', 'overseas')),
      channel: fc.oneof(hostileString, fc.constantFrom('phone', 'letter', 'web')),
      language: fc.oneof(hostileString, fc.constantFrom('en', 'zh-hans')),
      title: hostileString,
      consent: fc.constantFrom('', 'on', 'yes', NASTY_FRAGMENTS[0]),
    })
    .map((r) => parseForm(new URLSearchParams([...Object.entries(r).flatMap(([k, v]) => ([] as string[]).concat(v).map((x) => [k, x.toWellFormed()]))]).toString()));
  fc.assert(
    fc.property(assisted, (body) => {
      const { values } = readAssistedForm(body);
      const check = checkAssistedForm(values);
      if (check.ok) {
        assert.ok(check.drafts.length >= 1 && check.drafts.length <= MAX_NAMES);
        return;
      }
      for (const e of check.errors) assert.ok(KNOWN_CODES.has(e.code) && typeof e.field === 'string', JSON.stringify(e));
    }),
    fuzzOptions(0xf014),
  );
});
