import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaPath, downsample, evenIndices, horizontalBars, linePath, niceTicks, scaleLinear, seriesPoints } from '../../src/web/views/stats/chart-geometry.js';

test('axis ticks are round, start at zero, reach the largest value and never step below one person', () => {
  assert.deepEqual(niceTicks(0), { max: 1, ticks: [0, 1] });
  assert.deepEqual(niceTicks(3), { max: 3, ticks: [0, 1, 2, 3] });
  assert.deepEqual(niceTicks(37), { max: 40, ticks: [0, 10, 20, 30, 40] });
  assert.deepEqual(niceTicks(1_234_567).ticks, [0, 500_000, 1_000_000, 1_500_000]);
  for (const max of [1, 7, 99, 101, 2_500, 987_654]) {
    const { max: top, ticks } = niceTicks(max);
    assert.ok(top >= max && ticks[0] === 0 && ticks.at(-1) === top, String(max));
    assert.ok(ticks.length >= 2 && ticks.length <= 8, `${max}: ${ticks.length} ticks`);
    assert.ok(ticks.every((v) => Number.isInteger(v)), String(max));
  }
});

test('a linear scale maps the ends of the domain to the ends of the range, upside down for the y axis', () => {
  const y = scaleLinear(0, 100, 200, 0);
  assert.equal(y(0), 200);
  assert.equal(y(100), 0);
  assert.equal(y(25), 150);
  assert.equal(scaleLinear(5, 5, 10, 20)(5), 10);
});

test('a line runs through its points in order and an area closes on the baseline', () => {
  assert.equal(linePath([]), '');
  assert.equal(linePath([{ x: 0, y: 10 }, { x: 5.26, y: 2 }]), 'M0 10 L5.3 2');
  assert.equal(areaPath([{ x: 0, y: 10 }, { x: 5, y: 2 }], 20), 'M0 10 L5 2 L5 20 L0 20 Z');
});

test('a long series is thinned evenly to the room the chart has, keeping the first and last day', () => {
  const days = Array.from({ length: 2000 }, (_, i) => i);
  const thinned = downsample(days, 300);
  assert.equal(thinned.length, 300);
  assert.equal(thinned[0], 0);
  assert.equal(thinned.at(-1), 1999);
  assert.deepEqual(downsample([1, 2, 3], 300), [1, 2, 3]);
  assert.deepEqual(evenIndices(365, 3), [0, 182, 364]);
  assert.deepEqual(evenIndices(1, 3), [0]);
  assert.deepEqual(evenIndices(0, 3), []);
});

test('series points span the plot and bars are proportional, a non-zero bar never vanishes', () => {
  const plot = { left: 10, top: 0, width: 100, height: 50 };
  assert.deepEqual(seriesPoints([0, 10], plot, 10), [{ x: 10, y: 50 }, { x: 110, y: 0 }]);
  const bars = horizontalBars([100, 50, 0, 0.01], 5, 20, 200, 100);
  assert.deepEqual(bars.map((b) => b.width), [200, 100, 0, 1]);
  assert.deepEqual(bars.map((b) => b.y), [5, 25, 45, 65]);
});
