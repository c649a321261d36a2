// Property-based fuzzing of the one submission validator (API, form, assisted entry and CSV
// import all go through it) and of the text rule under it. Pure: RUNS cases each, in-process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { REGION_CODES } from '../../src/domain/regions.js';
import { LIMITS, validateSubmission } from '../../src/domain/submission.js';
import { checkText, countCharacters } from '../../src/domain/text-rules.js';
import { fuzzOptions, hostileString, hostileValue, KNOWN_CODES } from './fuzz-support.js';
import { submissionBody } from './submission-shapes.js';

/** What no stored text may hold: controls (bar \n, \t in multi-line text), bidi controls, BOM, noncharacters, lone surrogates. */
const NEVER_STORED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF\uFFFE\uFFFF]/u;
/**
 * What no name or title may hold besides: line breaks, and the invisible and blank-looking
 * characters, listed by hand (Hangul fillers, braille blank, grapheme joiner, variation selectors,
 * tags, U+206A–206F, …) rather than by the property the rule uses.
 */
const NEVER_IN_ONE_LINE = /[\n\t\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200D\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/u;
/** A text that shows something: one character that is neither space nor one of the above. */
const SHOWS_SOMETHING = /[^\s\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/u;

function assertCleanText(value: string, rule: { max: number; multiline: boolean }, what: string): void {
  assert.ok(value.isWellFormed(), `${what}: lone surrogate`);
  assert.equal(value, value.normalize('NFC'), `${what}: not NFC`);
  assert.equal(value, value.trim(), `${what}: not trimmed`);
  assert.ok(!NEVER_STORED.test(value), `${what}: forbidden character in ${JSON.stringify(value)}`);
  if (!rule.multiline) assert.ok(!NEVER_IN_ONE_LINE.test(value), `${what}: line break or zero-width in ${JSON.stringify(value)}`);
  assert.ok(countCharacters(value) <= rule.max, `${what}: over ${rule.max}`);
  assert.ok(value === '' || SHOWS_SOMETHING.test(value), `${what}: shows nothing: ${JSON.stringify(value)}`);
}

test('validateSubmission: never throws; refuses with catalogued codes on named fields, or returns a clean draft', () => {
  let accepted = 0;
  fc.assert(
    fc.property(submissionBody, fc.boolean(), (body, acceptsContact) => {
      const result = validateSubmission(body, acceptsContact);
      if (!result.ok) {
        assert.ok(result.errors.length > 0);
        for (const e of result.errors) {
          assert.ok(KNOWN_CODES.has(e.code), e.code);
          assert.equal(typeof e.field, 'string', `every submission error names its field: ${JSON.stringify(e)}`);
        }
        return;
      }
      accepted++;
      const draft = result.value;
      for (const [name, value] of [['title', draft.title], ['text', draft.text], ['contact', draft.contact]] as const) {
        if (value !== null) assertCleanText(value, LIMITS[name], name);
      }
      if (!acceptsContact) assert.equal(draft.contact, null);
      assert.ok(draft.declarants.length >= 1 && draft.declarants.length <= LIMITS.declarants);
      for (const d of draft.declarants) {
        assert.ok(d.displayName.length > 0);
        assertCleanText(d.displayName, LIMITS.displayName, 'displayName');
        assert.ok(REGION_CODES.has(d.region));
        assert.deepEqual(d.organizations, ORGANIZATIONS.filter((o) => d.organizations.includes(o)), 'canonical order, no repeats');
        assert.ok(d.organizations.length > 0);
      }
      // The draft is a fixed point: validating what was stored changes nothing.
      const again = validateSubmission({ language: draft.language, declarants: draft.declarants.map((d) => ({ ...d, occupation: d.occupation ?? undefined })), ...(draft.title ? { title: draft.title } : {}), ...(draft.text ? { text: draft.text } : {}) }, false);
      assert.ok(again.ok, JSON.stringify(again));
      assert.deepEqual(again.value.declarants, draft.declarants);
    }),
    fuzzOptions(0x5ab1),
  );
  assert.ok(accepted > 100, `a fair share of generated submissions is valid (${accepted})`);
});

test('validateSubmission: any JSON value at all is refused with wrong_type or a named field, never a throw', () => {
  fc.assert(
    fc.property(fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 4 }), fc.object({ maxDepth: 3 })), (body) => {
      const result = validateSubmission(body, false);
      if (!result.ok) for (const e of result.errors) assert.ok(KNOWN_CODES.has(e.code));
    }),
    fuzzOptions(0x5ab2),
  );
});

test('checkText: the result is NFC, trimmed, within its limit and free of forbidden characters, and idempotent', () => {
  const rule = fc.record({ max: fc.integer({ min: 1, max: 50 }), multiline: fc.boolean() });
  fc.assert(
    fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 60 })), rule, (input, r) => {
      const result = checkText(input, r);
      if (!result.ok) {
        assert.ok(['invalid_characters', 'too_long', 'looks_blank'].includes(result.code), result.code);
        return;
      }
      assertCleanText(result.value, r, 'text');
      assert.deepEqual(checkText(result.value, r), result);
    }),
    fuzzOptions(0x5ab3),
  );
});
