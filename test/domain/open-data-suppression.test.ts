import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OPEN_DATA_MEASURES, type OpenDataCounts, type OpenDataMeasure, type OpenDataRow } from '../../src/domain/open-data.js';
import { dayGroups, suppressSmallCells } from '../../src/domain/suppression.js';

function row(day: string, region: string, organization: string, channel: string, counts: Partial<Record<OpenDataMeasure, number>>): OpenDataCounts {
  const all = Object.fromEntries(OPEN_DATA_MEASURES.map((m) => [m, counts[m] ?? 0])) as Record<OpenDataMeasure, number>;
  return { day, region, organization, channel, counts: all };
}

/** What someone holding the day's published totals can work out: total − published cells, per group. */
function recoverable(original: OpenDataCounts[], published: OpenDataRow[], measure: OpenDataMeasure): { group: number[]; value: number }[] {
  const found: { group: number[]; value: number }[] = [];
  const days = [...new Set(original.map((r) => r.day))];
  for (const day of days) {
    const indices = original.flatMap((r, i) => (r.day === day ? [i] : []));
    for (const local of dayGroups(indices.map((i) => original[i]!))) {
      const group = local.map((l) => indices[l]!);
      const total = group.reduce((sum, i) => sum + original[i]!.counts[measure], 0);
      const hidden = group.filter((i) => published[i]!.counts[measure] === null);
      const known = group.reduce((sum, i) => sum + (published[i]!.counts[measure] ?? 0), 0);
      if (hidden.length === 1 && group.length > 1) found.push({ group, value: total - known });
    }
  }
  return found;
}

test('a count below the threshold is withheld and marked, a zero and counts at the threshold are published', () => {
  const rows = [row('2026-01-01', '110000', 'party', 'web', { published: 3, received: 10 }), row('2026-01-01', '120000', 'party', 'web', { published: 12, received: 12 }), row('2026-01-01', '130000', 'party', 'web', { published: 40, received: 40 })];
  const published = suppressSmallCells(rows, 10);
  assert.equal(published[0]!.counts.published, null);
  assert.deepEqual(published[0]!.suppressed, ['published']);
  assert.equal(published[0]!.counts.received, 10);
  assert.equal(published[0]!.counts.rejected, 0);
  assert.equal(published[2]!.counts.published, 40);
});

test('a lone withheld cell of a day gets the smallest other cell withheld with it, so the day total gives back only their sum', () => {
  const rows = [row('2026-01-01', '110000', 'party', 'web', { published: 3 }), row('2026-01-01', '120000', 'party', 'web', { published: 25 }), row('2026-01-01', '130000', 'party', 'web', { published: 40 })];
  const published = suppressSmallCells(rows, 10);
  assert.deepEqual(published.map((r) => r.counts.published), [null, null, 40]);
  // The day's total (68) minus what is published (40) is 28: the two withheld cells together, not either one.
  assert.deepEqual(recoverable(rows, published, 'published'), []);
});

test('a zero of a row that exists for another event is withheld as the partner when no other count is left', () => {
  const rows = [row('2026-01-02', '110000', 'party', 'web', { published: 4 }), row('2026-01-02', '120000', 'party', 'web', { received: 30 })];
  const published = suppressSmallCells(rows, 10);
  assert.equal(published[0]!.counts.published, null);
  assert.equal(published[1]!.counts.published, null, 'the zero is withheld too');
  assert.equal(published[1]!.counts.received, 30);
});

test('a threshold of 1 withholds nothing', () => {
  const rows = [row('2026-01-01', '110000', 'party', 'web', { published: 1 })];
  assert.deepEqual(suppressSmallCells(rows, 1)[0]!.suppressed, []);
});

const arbitraryRows = fc
  .array(
    fc.record({
      day: fc.constantFrom('2026-01-01', '2026-01-02', '2026-01-03'),
      region: fc.constantFrom('110000', '310000', '440000', 'overseas'),
      organization: fc.constantFrom('party', 'youth_league', 'young_pioneers'),
      channel: fc.constantFrom('web', 'phone', 'letter'),
      counts: fc.record(Object.fromEntries(OPEN_DATA_MEASURES.map((m) => [m, fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 200 }))])) as Record<OpenDataMeasure, fc.Arbitrary<number>>),
    }),
    { maxLength: 60 },
  )
  .map((rows) => {
    // One row per combination, as the cross-tabulation gives.
    const seen = new Map(rows.map((r) => [`${r.day}|${r.region}|${r.organization}|${r.channel}`, r]));
    return [...seen.values()].filter((r) => OPEN_DATA_MEASURES.some((m) => r.counts[m] > 0));
  });

test('no published cell is below the threshold, published cells are exact, and no withheld cell can be recovered by subtraction', () => {
  fc.assert(
    fc.property(arbitraryRows, fc.integer({ min: 2, max: 15 }), (rows, minCell) => {
      const published = suppressSmallCells(rows, minCell);
      published.forEach((p, i) => {
        for (const m of OPEN_DATA_MEASURES) {
          const value = p.counts[m];
          if (value === null) assert.ok(p.suppressed.includes(m));
          else {
            assert.ok(value === 0 || value >= minCell, `${m}=${value} published below ${minCell}`);
            assert.equal(value, rows[i]!.counts[m]);
            assert.ok(!p.suppressed.includes(m));
          }
        }
      });
      for (const m of OPEN_DATA_MEASURES) assert.deepEqual(recoverable(rows, published, m), [], `${m}: a single withheld cell in a group`);
    }),
    { numRuns: 300 },
  );
});
