import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cumulativeDays, monthlyFigures, recentDays } from '../../src/domain/daily-series.js';
import { crossTabulate, openDataRange } from '../../src/domain/open-data.js';
import { ServiceError } from '../../src/domain/service-error.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.errors[0]!.code, 'invalid_parameter');
    return error.errors[0]!.field;
  }
  assert.fail('no error');
};

test('the open-data range defaults to the last 31 days and refuses bad, reversed or over-long ranges naming the field', () => {
  assert.deepEqual(openDataRange(undefined, undefined, '2026-03-31'), { from: '2026-03-01', to: '2026-03-31' });
  assert.deepEqual(openDataRange('2025-01-01', '2025-12-31', '2026-03-31'), { from: '2025-01-01', to: '2025-12-31' });
  assert.deepEqual(openDataRange('2024-01-01', '2024-12-31', '2026-03-31'), { from: '2024-01-01', to: '2024-12-31' }, '366 days of a leap year');
  assert.equal(fieldOf(() => openDataRange('2025-02-30', undefined, '2026-03-31')), 'from');
  assert.equal(fieldOf(() => openDataRange(undefined, 'yesterday', '2026-03-31')), 'to');
  assert.equal(fieldOf(() => openDataRange('2025-03-02', '2025-03-01', '2026-03-31')), 'from');
  assert.equal(fieldOf(() => openDataRange('2024-01-01', '2025-01-01', '2026-03-31')), 'to');
  assert.equal(fieldOf(() => openDataRange(['2025-01-01'], undefined, '2026-03-31')), 'from');
});

test('a person renouncing two organisations counts once under each, and events of one combination share a row', () => {
  const rows = crossTabulate([
    { measure: 'received', day: '2026-01-01', region: '440000', channel: 'web', party: 1, youth_league: 1, young_pioneers: 0, n: 2 },
    { measure: 'published', day: '2026-01-01', region: '440000', channel: 'web', party: 1, youth_league: 0, young_pioneers: 0, n: 1 },
    { measure: 'received', day: '2025-12-31', region: '110000', channel: 'phone', party: 0, youth_league: 0, young_pioneers: 1, n: 1 },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.day, r.region, r.organization, r.channel, r.counts.received, r.counts.published]),
    [
      ['2025-12-31', '110000', 'young_pioneers', 'phone', 1, 0],
      ['2026-01-01', '440000', 'party', 'web', 2, 1],
      ['2026-01-01', '440000', 'youth_league', 'web', 2, 0],
    ],
  );
});

test('the per-day series fills quiet days with zero and its 28-day average reaches back before the window', () => {
  const moves = [
    { day: '2025-12-01', published: 28, retracted: 0 },
    { day: '2026-01-10', published: 56, retracted: 2 },
  ];
  const days = recentDays(moves, '2026-01-10');
  assert.equal(days.length, 365);
  assert.equal(days.at(-1)!.day, '2026-01-10');
  assert.equal(days.at(-1)!.average, 2, '56 over 28 days; 2025-12-01 is outside the last 28 days');
  assert.equal(days.at(-1)!.net, 54);
  assert.equal(days.find((d) => d.day === '2025-12-01')!.average, 1);
  assert.equal(days.find((d) => d.day === '2025-12-28')!.average, 1, 'the 28th day still holds 2025-12-01');
  assert.equal(days.find((d) => d.day === '2025-12-29')!.average, 0);
});

test('the running total and the months add up to published less retracted', () => {
  const moves = [
    { day: '2026-01-30', published: 5, retracted: 0 },
    { day: '2026-02-02', published: 3, retracted: 1 },
  ];
  const cumulative = cumulativeDays(moves, '2026-02-03');
  assert.equal(cumulative[0]!.day, '2026-01-30');
  assert.equal(cumulative.at(-1)!.day, '2026-02-03');
  assert.equal(cumulative.at(-1)!.cumulative, 7);
  assert.deepEqual(monthlyFigures(moves), [
    { month: '2026-01', net: 5, cumulative: 5 },
    { month: '2026-02', net: 2, cumulative: 7 },
  ]);
  assert.deepEqual(cumulativeDays([], '2026-02-03'), []);
});
