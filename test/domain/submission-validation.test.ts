import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR_CATALOG } from '../../src/domain/error-catalog.js';
import { errorMessage, type FieldError } from '../../src/domain/service-error.js';
import { validateSubmission } from '../../src/domain/submission.js';

const person = { displayName: '测试者甲', nameKind: 'pseudonym', organizations: ['party'], region: '110000' };
const valid = { language: 'zh-hans', declarants: [person] };

function errorsOf(input: unknown, acceptsContact = false): FieldError[] {
  const result = validateSubmission(input, acceptsContact);
  assert.equal(result.ok, false, 'expected the submission to be refused');
  return result.ok ? [] : result.errors;
}

function expectError(input: unknown, code: string, field: string, acceptsContact = false): void {
  const errors = errorsOf(input, acceptsContact);
  assert.ok(
    errors.some((e) => e.code === code && e.field === field),
    `expected ${code} on ${field}, got ${JSON.stringify(errors)}`,
  );
}

const withPerson = (changes: Record<string, unknown>) => ({ ...valid, declarants: [{ ...person, ...changes }] });

describe('a valid submission', () => {
  test('is accepted and normalised', () => {
    const result = validateSubmission(
      { ...valid, title: '  标题 ', text: 'line one\r\nline two', declarants: [{ ...person, displayName: ' Cafe\u0301 ', organizations: ['young_pioneers', 'party'] }] },
      false,
    );
    assert.ok(result.ok);
    assert.equal(result.value.title, '标题');
    assert.equal(result.value.text, 'line one\nline two');
    assert.equal(result.value.declarants[0]!.displayName, 'Caf\u00e9', 'NFC and trimmed');
    assert.deepEqual(result.value.declarants[0]!.organizations, ['party', 'young_pioneers'], 'canonical order');
    assert.equal(result.value.declarants[0]!.occupation, null);
  });

  test('accepts 20 declarants, every region code and every organisation subset', () => {
    const regions = ['110000', '650000', '810000', '820000', 'overseas', 'undisclosed'];
    const subsets = [['party'], ['youth_league'], ['young_pioneers'], ['party', 'youth_league', 'young_pioneers']];
    const declarants = Array.from({ length: 20 }, (_, i) => ({
      ...person,
      region: regions[i % regions.length],
      organizations: subsets[i % subsets.length],
      occupation: i % 2 ? 'student' : undefined,
      nameKind: i % 2 ? 'real' : 'pseudonym',
    }));
    assert.ok(validateSubmission({ ...valid, declarants }, false).ok);
  });

  test('accepts a 40-character name and 20,000 characters of text', () => {
    assert.ok(validateSubmission({ ...withPerson({ displayName: '名'.repeat(40) }), text: '字'.repeat(20_000) }, false).ok);
  });

  test('empty optional fields count as absent', () => {
    const result = validateSubmission({ ...valid, title: '', text: '   ', contact: '' }, false);
    assert.ok(result.ok);
    assert.equal(result.value.title, null);
    assert.equal(result.value.text, null);
    assert.equal(result.value.contact, null);
  });
});

describe('every rule has its code and names its field', () => {
  test('body must be an object', () => {
    for (const body of [null, [], 'text', 42]) expectError(body, 'wrong_type', 'body');
  });
  test('language is required and from the list', () => {
    expectError({ declarants: [person] }, 'required', 'language');
    expectError({ ...valid, language: 'fr' }, 'not_in_list', 'language');
  });
  test('unknown fields are refused, also prototype keys', () => {
    expectError({ ...valid, extra: 1 }, 'unknown_field', 'extra');
    expectError(JSON.parse('{"language":"en","declarants":[],"__proto__":{"x":1}}'), 'unknown_field', '__proto__');
    expectError(withPerson({ email: 'x' }), 'unknown_field', 'declarants[0].email');
  });
  test('declarants: 1 to 20', () => {
    expectError({ language: 'en' }, 'required', 'declarants');
    expectError({ language: 'en', declarants: [] }, 'required', 'declarants');
    expectError({ language: 'en', declarants: {} }, 'wrong_type', 'declarants');
    expectError({ language: 'en', declarants: Array(21).fill(person) }, 'too_many', 'declarants');
    expectError({ language: 'en', declarants: ['x'] }, 'wrong_type', 'declarants[0]');
  });
  test('display name: required, at most 40 characters, a string', () => {
    expectError(withPerson({ displayName: undefined }), 'required', 'declarants[0].displayName');
    expectError(withPerson({ displayName: '   ' }), 'required', 'declarants[0].displayName');
    expectError(withPerson({ displayName: '名'.repeat(41) }), 'too_long', 'declarants[0].displayName');
    expectError(withPerson({ displayName: 7 }), 'wrong_type', 'declarants[0].displayName');
  });
  test('length is counted in characters, not UTF-16 units: 40 emoji fit', () => {
    assert.ok(validateSubmission(withPerson({ displayName: '😀'.repeat(40) }), false).ok);
  });
  test('display name: no control, zero-width or bidi characters', () => {
    const nasty = ['a\u0000b', 'a\u0007b', 'a\nb', 'a\u200Bb', 'a\u200Db', 'a\uFEFFb', 'a\u202Eb', 'a\u2066b', 'a\u200Fb', 'a\u0085b', '\uD800x'];
    for (const displayName of nasty) {
      expectError(withPerson({ displayName }), 'invalid_characters', 'declarants[0].displayName');
    }
  });
  test('name kind is real or pseudonym', () => {
    expectError(withPerson({ nameKind: undefined }), 'required', 'declarants[0].nameKind');
    expectError(withPerson({ nameKind: 'alias' }), 'not_in_list', 'declarants[0].nameKind');
  });
  test('organisations: a non-empty subset, no repeats', () => {
    expectError(withPerson({ organizations: [] }), 'required', 'declarants[0].organizations');
    expectError(withPerson({ organizations: undefined }), 'required', 'declarants[0].organizations');
    expectError(withPerson({ organizations: 'party' }), 'wrong_type', 'declarants[0].organizations');
    expectError(withPerson({ organizations: ['party', 'army'] }), 'not_in_list', 'declarants[0].organizations');
    expectError(withPerson({ organizations: ['party', 'party'] }), 'duplicate_value', 'declarants[0].organizations');
  });
  test('region from the fixed list', () => {
    expectError(withPerson({ region: undefined }), 'required', 'declarants[0].region');
    for (const region of ['110100', '710000', 'Beijing', "'; drop table submission; --"]) {
      expectError(withPerson({ region }), 'not_in_list', 'declarants[0].region');
    }
    expectError(withPerson({ region: 110000 }), 'wrong_type', 'declarants[0].region');
  });
  test('occupation, when given, from the fixed list', () => {
    expectError(withPerson({ occupation: 'spy' }), 'not_in_list', 'declarants[0].occupation');
  });
  test('title at most 120 characters on one line', () => {
    expectError({ ...valid, title: 'x'.repeat(121) }, 'too_long', 'title');
    expectError({ ...valid, title: 'a\nb' }, 'invalid_characters', 'title');
    expectError({ ...valid, title: ['x'] }, 'wrong_type', 'title');
  });
  test('text at most 20,000 characters, no NUL or bidi overrides', () => {
    expectError({ ...valid, text: 'x'.repeat(20_001) }, 'too_long', 'text');
    expectError({ ...valid, text: 'a\u0000b' }, 'invalid_characters', 'text');
    expectError({ ...valid, text: 'a\u202Db' }, 'invalid_characters', 'text');
  });
  test('contact refused without a recipient, at most 500 characters with one', () => {
    expectError({ ...valid, contact: 'x' }, 'contact_not_accepted', 'contact');
    expectError({ ...valid, contact: 'x'.repeat(501) }, 'too_long', 'contact', true);
    assert.ok(validateSubmission({ ...valid, contact: 'x'.repeat(500) }, true).ok);
  });
  test('all broken rules are reported at once', () => {
    const errors = errorsOf({ language: 'xx', title: 'x'.repeat(200), declarants: [{ nameKind: 'x' }] });
    assert.ok(errors.length >= 5, JSON.stringify(errors));
  });
});

describe('messages', () => {
  test('every code has a message in all three locales that names the field', () => {
    for (const code of Object.keys(ERROR_CATALOG) as (keyof typeof ERROR_CATALOG)[]) {
      for (const locale of ['zh-hans', 'zh-hant', 'en'] as const) {
        const message = errorMessage({ code, field: 'declarants[1].region', max: 40 }, locale);
        assert.ok(message.length > 5, `${code}/${locale}`);
        assert.ok(!/\{\w+\}/.test(message), `${code}/${locale} left a placeholder: ${message}`);
        if (ERROR_CATALOG[code].messages[locale].includes('{field}')) {
          assert.match(message, locale === 'en' ? /Person 2 — Region/ : /第 2 位/, `${code}/${locale}`);
        }
      }
    }
  });
  test('every field-level rule mentions {field}', () => {
    const fieldless = new Set(['invalid_json', 'invalid_encoding', 'unsupported_media_type', 'payload_too_large', 'rate_limited', 'retraction_not_allowed', 'not_found', 'unavailable', 'internal', 'sign_in_failed', 'sign_in_required', 'forbidden', 'csrf_invalid', 'not_pending', 'cross_site_refused', 'nothing_to_edit']);
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      if (fieldless.has(code)) continue;
      for (const text of Object.values(entry.messages)) assert.ok(text.includes('{field}'), `${code}: ${text}`);
    }
  });
});
