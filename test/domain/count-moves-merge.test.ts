import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { countMoves, mergeCountMoves, type CountMove } from '../../src/domain/count-moves.js';

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
