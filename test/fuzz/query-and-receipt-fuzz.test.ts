// Property-based fuzzing of the small parsers: the receipt format, the search query parser and
// every query-string reader of the public pages, the public API and the staff queue. Pure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OPEN_DATA_MAX_DAYS, openDataRange } from '../../src/domain/open-data.js';
import { hashReceipt, parseReceipt, RECEIPT_ALPHABET } from '../../src/domain/receipt.js';
import { MAX_QUERY_TERMS, parseSearchQuery, tokenize } from '../../src/domain/search-tokens.js';
import { ServiceError } from '../../src/domain/service-error.js';
import { CHANNELS } from '../../src/domain/channels.js';
import { LOCALES } from '../../src/domain/locales.js';
import { MAX_PAGE, readDay, readPage, readRegistrationNumber, readSearchQuery } from '../../src/web/routes/public/reading-params.js';
import { readQueueQuery } from '../../src/web/routes/staff/queue-query.js';
import { fuzzOptions, hostileString } from './fuzz-support.js';

/** Anything a query parameter can be: absent, a hostile string, a number-ish string, or repeated (an array). */
const param = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.oneof(fc.integer({ min: -5, max: 300 }).map(String), fc.constantFrom('1', '200', '201', '0', '01', '1e2', '0x10', ' 1', '1 ', '+1', '1.0', '９', '٣', '2147483648', '9007199254740993', '1'.repeat(400))) },
  { weight: 2, arbitrary: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('2024-02-29', '2023-02-29', '2024-13-01', '0000-01-01', '9999-12-31', '+20000-01-01', '2024-1-1', '2024-01-01T00:00')) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, '') },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 4 }), { minLength: 2, maxLength: 3 }) },
);

/** Runs a reader: its value, or the field named by the `invalid_parameter` it threw. */
function read<T>(reader: () => T): { value: T } | { refused: string | undefined } {
  try {
    return { value: reader() };
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, 'invalid_parameter');
    return { refused: error.field };
  }
}

/** The registration number reader, which may also answer `not_found`. */
function readNumber(value: unknown): { value: number } | { refused: string | undefined } | { notFound: true } {
  try {
    readRegistrationNumber(value);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not_found') return { notFound: true };
  }
  return read(() => readRegistrationNumber(value));
}

test('receipt: any input is a canonical receipt or null, and a receipt typed any way reads back the same', () => {
  const symbols = fc.array(fc.constantFrom(...RECEIPT_ALPHABET), { minLength: 20, maxLength: 20 }).map((s) => s.join(''));
  const separator = fc.constantFrom('', '', '-', ' ', '‐', '–', '_', '.', '\t');
  const typed = fc.tuple(symbols, fc.array(separator, { minLength: 20, maxLength: 20 }), fc.boolean()).map(([s, seps, lower]) => {
    const text = [...s].map((c, i) => c + seps[i]).join('');
    return { canonical: s, text: lower ? text.toLowerCase() : text };
  });
  fc.assert(
    fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 70 }), typed.map((t) => t.text)), (input) => {
      const parsed = parseReceipt(input);
      if (parsed === null) return;
      assert.equal(parsed.length, 20);
      for (const c of parsed) assert.ok(RECEIPT_ALPHABET.includes(c), c);
      assert.match(hashReceipt(parsed), /^[0-9a-f]{64}$/);
    }),
    fuzzOptions(0x8ec1),
  );
  fc.assert(
    fc.property(typed, ({ canonical, text }) => {
      if (text.length <= 64) assert.equal(parseReceipt(text), canonical);
    }),
    fuzzOptions(0x8ec2),
  );
  for (const other of [null, 42, {}, [], ['ABCD'], undefined]) assert.equal(parseReceipt(other), null);
});

test('search: any query parses into at most 8 terms of letters, digits and marks (nothing SQL or FTS could read)', () => {
  const TOKEN = /^[\p{L}\p{N}\p{M}]+$/u;
  fc.assert(
    fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 200 })), (q) => {
      const query = parseSearchQuery(q);
      assert.ok(query.terms.length <= MAX_QUERY_TERMS);
      for (const term of query.terms) for (const token of term.kind === 'phrase' ? term.tokens : [term.token]) assert.match(token, TOKEN);
      for (const token of tokenize(q)) assert.match(token, TOKEN);
    }),
    fuzzOptions(0x5e41),
  );
});

test('page: 1 to 200 exactly as digits, absent is 1, anything else is invalid_parameter naming page', () => {
  fc.assert(
    fc.property(param, (value) => {
      const result = read(() => readPage(value));
      const ok = value === undefined || value === '' || (typeof value === 'string' && /^[1-9]\d*$/.test(value) && Number(value) <= MAX_PAGE);
      if ('value' in result) {
        assert.ok(ok, JSON.stringify(value));
        assert.ok(Number.isInteger(result.value) && result.value >= 1 && result.value <= MAX_PAGE);
      } else {
        assert.ok(!ok, JSON.stringify(value));
        assert.equal(result.refused, 'page');
      }
    }),
    fuzzOptions(0x9a61),
  );
});

test('date, number, q: accepted only when valid, refused naming their own parameter', () => {
  fc.assert(
    fc.property(param, (value) => {
      const day = read(() => readDay(value));
      if ('value' in day) assert.equal(new Date(`${day.value}T00:00:00Z`).toISOString().slice(0, 10), value);
      else assert.equal(day.refused, 'date');

      // A whole number no statement can have is unknown (404) rather than invalid (400).
      const number = readNumber(value);
      const canonical = typeof value === 'string' && /^[1-9]\d*$/.test(value) && BigInt(value) <= 2_147_483_647n;
      if ('value' in number) assert.ok(canonical && String(number.value) === value, JSON.stringify(value));
      else if ('notFound' in number) assert.ok(typeof value === 'string' && /^[+-]?\d+$/.test(value) && !canonical, JSON.stringify(value));
      else assert.ok('refused' in number && number.refused === 'number' && !(typeof value === 'string' && /^[+-]?\d+$/.test(value)), JSON.stringify(value));

      const q = read(() => readSearchQuery(value));
      if ('value' in q) assert.ok(typeof q.value === 'string' && [...q.value].length <= 100);
      else assert.equal(q.refused, 'q');
    }),
    fuzzOptions(0xda7e),
  );
});

test('open data from/to: a real range of at most 366 days in order, or invalid_parameter naming from or to', () => {
  fc.assert(
    fc.property(param, param, (from, to) => {
      const result = read(() => openDataRange(from, to, '2026-06-15'));
      if ('refused' in result) {
        assert.ok(result.refused === 'from' || result.refused === 'to');
        return;
      }
      const { from: start, to: end } = result.value;
      for (const day of [start, end]) assert.equal(new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10), day);
      assert.ok(start <= end);
      assert.ok((Date.parse(end) - Date.parse(start)) / 86_400_000 + 1 <= OPEN_DATA_MAX_DAYS);
    }),
    fuzzOptions(0x0da7),
  );
});

test('staff queue filters: any query string reads as known values only (unknown ones dropped, never passed on)', () => {
  const query = fc.dictionary(fc.constantFrom('channel', 'language', 'pow', 'flagged', 'page', '__proto__', 'x'), param);
  fc.assert(
    fc.property(query, (source) => {
      const q = readQueueQuery(source);
      assert.ok(q.channel === '' || (CHANNELS as readonly string[]).includes(q.channel));
      assert.ok(q.language === '' || (LOCALES as readonly string[]).includes(q.language));
      assert.ok(['', 'yes', 'no'].includes(q.pow) && ['', 'yes', 'no'].includes(q.flagged));
      assert.ok(Number.isInteger(q.page) && q.page >= 1 && q.page <= 100_000);
    }),
    fuzzOptions(0x9ee1),
  );
});
