import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { countMoves, mergeCountMoves, type CountMove } from '../../src/domain/count-moves.js';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { movesOfStatement } from '../../src/domain/recount.js';
import { expectedCounts, sortedCells, type ModelStatement } from '../support/count-model.js';

/** What merging must give: per cell (day, metric, dimension, value) the sum of the deltas, zero sums left out. */
function reference(moves: CountMove[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const m of moves) {
    const key = JSON.stringify([m.day, m.metric, m.dimension, m.value]);
    sums.set(key, (sums.get(key) ?? 0) + m.delta);
  }
  for (const [key, sum] of sums) if (sum === 0) sums.delete(key);
  return sums;
}

const asMap = (moves: CountMove[]) => new Map(moves.map((m) => [JSON.stringify([m.day, m.metric, m.dimension, m.value]), m.delta]));

// Few distinct values, so cells repeat; sizes on both sides of the switch from scanning to a map.
const move = fc.record({
  day: fc.constantFrom('2026-11-26', '2026-11-27'),
  metric: fc.constantFrom('persons_received', 'statements_received', 'persons_retracted'),
  dimension: fc.constantFrom('total', 'region', 'channel') as fc.Arbitrary<CountMove['dimension']>,
  value: fc.constantFrom('', '110000', '820000', 'web'),
  delta: fc.integer({ min: -3, max: 3 }),
});

test('merged moves: one per cell, deltas summed, cancelled cells left out — small and large sets alike', () => {
  fc.assert(
    fc.property(fc.array(move, { maxLength: 300 }), (moves) => {
      const before = JSON.stringify(moves);
      const merged = mergeCountMoves(moves);
      assert.deepEqual(asMap(merged), reference(moves));
      assert.equal(asMap(merged).size, merged.length, 'one move per cell');
      assert.ok(merged.every((m) => m.delta !== 0));
      assert.equal(JSON.stringify(moves), before, 'the moves given are not changed');
    }),
    { numRuns: 2000 },
  );
});

test('a submission of several people: each cell once, in the order first met', () => {
  const moves = countMoves('received', '2026-11-27', {
    channel: 'web',
    people: [
      { region: '110000', organizations: ['party'] },
      { region: '110000', organizations: ['party', 'youth_league'] },
    ],
    reason: null,
  });
  const merged = mergeCountMoves(moves);
  const region = merged.filter((m) => m.metric === 'persons_received' && m.dimension === 'region');
  assert.deepEqual(region.map((m) => [m.value, m.delta]), [['110000', 2]]);
  const party = merged.find((m) => m.dimension === 'organization' && m.value === 'party');
  assert.equal(party?.delta, 2);
  assert.deepEqual(
    merged.map((m) => `${m.metric}/${m.dimension}/${m.value}`),
    [...new Set(moves.map((m) => `${m.metric}/${m.dimension}/${m.value}`))],
  );
});

// The moves a statement's history implies (what the live path and the recount both apply),
// against the independent model of test/support/count-model.ts.
const ended = fc.oneof(
  fc.constantFrom(
    { status: 'pending' as const, wasPublished: false },
    { status: 'published' as const, wasPublished: true },
    { status: 'duplicate' as const, wasPublished: false },
    { status: 'retracted' as const, wasPublished: false },
    { status: 'retracted' as const, wasPublished: true },
  ),
  fc.record({ status: fc.constant('rejected' as const), wasPublished: fc.constant(false), reason: fc.constantFrom('spam', 'other', 'coercion') }),
);
const statement = fc.record({
  channel: fc.constantFrom('web', 'phone', 'mail'),
  people: fc.array(fc.record({ region: fc.constantFrom('110000', '440000', 'overseas'), organizations: fc.subarray([...ORGANIZATIONS], { minLength: 1 }) }), { minLength: 1, maxLength: 4 }),
  ended,
});

test('the moves of a statement\'s history equal the independent count model', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), (statements) => {
      const modelled: ModelStatement[] = statements.map((s) => ({ channel: s.channel, people: s.people, ...s.ended }));
      const moves = statements.flatMap((s) =>
        movesOfStatement({
          channel: s.channel,
          people: s.people,
          reason: 'reason' in s.ended ? s.ended.reason : null,
          status: s.ended.status,
          receivedAt: '2026-11-26T10:00:00Z',
          publishedAt: s.ended.wasPublished ? '2026-11-27T10:00:00Z' : null,
          updatedAt: '2026-11-28T10:00:00Z',
        }),
      );
      const cells: Record<string, number> = {};
      for (const m of mergeCountMoves(moves)) cells[`${m.metric} ${m.dimension} ${m.value}`] = (cells[`${m.metric} ${m.dimension} ${m.value}`] ?? 0) + m.delta;
      assert.deepEqual(sortedCells(cells), expectedCounts(modelled));
    }),
    { numRuns: 500, seed: 20261204 },
  );
});
