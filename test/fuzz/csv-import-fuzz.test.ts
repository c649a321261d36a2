// Property-based fuzzing of `rcenter import`'s CSV reader (pure, RUNS cases) and of the import
// itself on both databases (fewer cases: each is a transaction): all rows or none, and every bad
// row reported on the line where it starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { importCsv, ImportRejected, IMPORT_COLUMNS, parseImport } from '../../src/commands/csv-import.js';
import { addStaff, type TestStaff } from '../staff/staff-fixtures.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { assertNothingWritten, countChanges, fuzzOptions, hostileString, INVALID_UTF8, tableCounts } from './fuzz-support.js';

type Column = (typeof IMPORT_COLUMNS)[number];

const GOOD: Record<Column, string[]> = {
  displayName: ['明远', 'Li Wei', '"quoted", name', '  spaced  '],
  nameKind: ['real', 'pseudonym'],
  organizations: ['party', 'party;youth_league', 'young_pioneers | party'],
  region: ['440000', 'overseas', '810000'],
  occupation: ['', 'retired', 'student'],
  channel: ['phone', 'letter', 'in_person'],
  consent: ['yes', 'true', 'on'],
  language: ['', 'en', 'zh-hant'],
  title: ['', 'A title, with a comma', '<b>bold</b>'],
  text: ['', 'two\nlines', 'three\r\nCRLF\nlines', "'; drop table submission; --", 'say ""hi""'],
};

/** A value each column certainly refuses. */
const BAD: Record<Column, string[]> = {
  displayName: ['\u202eevil', 'zero\u200bwidth', 'x'.repeat(41), 'nul\u0000byte'],
  nameKind: ['maybe', 'REAL'],
  organizations: ['party;party', 'communist', ''],
  region: ['xx', '440001', ''],
  occupation: ['spy'],
  channel: ['web', 'pigeon', ''],
  consent: ['no', '', 'nope'],
  language: ['klingon'],
  title: ['\u0007bell', 'y'.repeat(121)],
  text: ['\u2066isolate'],
};

function cell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A whole file whose bad rows are known: each row is good, or has one certainly bad field. */
const knownFile = fc
  .record({
    columns: fc.shuffledSubarray([...IMPORT_COLUMNS], { minLength: IMPORT_COLUMNS.length }),
    rows: fc.array(fc.tuple(fc.constantFrom(...IMPORT_COLUMNS, null, null, null), fc.nat(), fc.array(fc.nat(), { minLength: 10, maxLength: 10 })), { minLength: 1, maxLength: 6 }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    blankLines: fc.boolean(),
  })
  .map(({ columns, rows, eol, bom, blankLines }) => {
    let line = 2;
    const bad: number[] = [];
    const lines = [columns.join(',')];
    for (const [badColumn, pick, picks] of rows) {
      if (blankLines && pick % 3 === 0) lines.push(''), line++;
      const values = columns.map((c, i) => (c === badColumn ? BAD[c][pick % BAD[c].length]! : GOOD[c][picks[i]! % GOOD[c].length]!));
      if (badColumn) bad.push(line);
      const row = values.map(cell).join(',');
      lines.push(row);
      line += row.split(/\r\n|\n/).length;
    }
    return { content: Buffer.from((bom ? '\uFEFF' : '') + lines.join(eol) + eol, 'utf8'), bad, rows: rows.length };
  });

test('CSV import: every bad row, and only those, is reported at the line where it starts', () => {
  fc.assert(
    fc.property(knownFile, ({ content, bad, rows }) => {
      const { drafts, problems } = parseImport(content);
      assert.deepEqual([...new Set(problems.map((p) => p.line))], bad, problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
      assert.equal(drafts.length, rows - bad.length);
      for (const p of problems) assert.ok(p.message.length > 0 && !/\{(field|max)\}/.test(p.message), p.message);
    }),
    fuzzOptions(0xc5f1),
  );
});

/** Anything at all: broken quoting, stray bytes, invalid UTF-8, hostile cells, huge fields. */
const chaosFile = fc
  .tuple(
    fc.constantFrom(IMPORT_COLUMNS.join(','), 'displayName,nameKind,organizations,region,channel,consent', 'a,b', '', '"unclosed'),
    fc.array(fc.oneof(hostileString, fc.constantFrom('"', '""', ',', '\n', '\r', 'party;youth_league', '440000', 'phone', 'yes')), { maxLength: 25 }),
    fc.option(fc.constantFrom(...INVALID_UTF8), { freq: 4 }),
  )
  .map(([header, cells, broken]) => {
    const text = Buffer.from(`${header}\n${cells.join(',').toWellFormed()}`, 'utf8');
    return broken ? Buffer.concat([text, Buffer.from(broken)]) : text;
  });

test('CSV import: any bytes at all are read or refused with line-numbered problems, never a throw', () => {
  fc.assert(
    fc.property(chaosFile, (content) => {
      const { drafts, problems } = parseImport(content);
      const lines = content.toString('utf8').split(/\r\n|\r|\n/).length;
      for (const p of problems) {
        assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line <= lines + 1, `line ${p.line} of ${lines}`);
        assert.ok(typeof p.message === 'string' && p.message.length > 0);
      }
      if (problems.length === 0) assert.ok(drafts.length > 0);
    }),
    fuzzOptions(0xc5f2),
  );
});

describeEachDialect('CSV import writes all rows or none (fuzzed files)', (dialect) => {
  let t: TestDatabase;
  let volunteer: TestStaff;
  before(async () => {
    t = await createTestDatabase(dialect);
    volunteer = await addStaff(t.database, 'fuzz-volunteer', 'volunteer');
  });
  after(() => t.cleanup());

  // A transaction per case: 150 files per database (each up to 6 rows) keep this to seconds.
  test('a file with any bad row writes nothing; a good file writes exactly its rows and one audit entry each', async () => {
    await fc.assert(
      fc.asyncProperty(knownFile, async ({ content, bad, rows }) => {
        const before = await tableCounts(t.database);
        try {
          const imported = await importCsv(t.database, content, volunteer.member);
          assert.equal(bad.length, 0);
          assert.equal(imported, rows);
          const { daily_count: cells = 0, daily_cell: crossCells = 0, submission_text_band: bands = 0, ...rest } = countChanges(before, await tableCounts(t.database));
          assert.ok(cells >= 0 && crossCells >= 0 && bands >= 0);
          assert.deepEqual(rest, { submission: rows, declarant: rows, audit_log: rows });
        } catch (error) {
          if (!(error instanceof ImportRejected)) throw error;
          assert.ok(bad.length > 0);
          assertNothingWritten(before, await tableCounts(t.database), 'rejected import');
        }
      }),
      fuzzOptions(0xc5f3, 150),
    );
  });
});
