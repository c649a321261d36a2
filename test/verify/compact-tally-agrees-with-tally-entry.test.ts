// The verifier's compact tally must count exactly as the contract's tallyEntry (the reference,
// src/domain/log-entry.ts): same figures after every entry, same statements, and the same entry
// refused — on random histories that include nonsense (amending or retracting what is not
// published, publishing twice, retracting a person the statement lacks, events out of order).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompactTally } from '../../src/domain/compact-tally.js';
import { demoRandom } from '../../src/domain/demo-random.js';
import { CHANNEL_KINDS, emptyTally, tallyEntry, type LogEntry, type LogPerson, type LogTally } from '../../src/domain/log-entry.js';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { REGIONS } from '../../src/domain/regions.js';

type Random = ReturnType<typeof demoRandom>;
const person = (r: Random): LogPerson => {
  const organizations = ORGANIZATIONS.filter(() => r.chance(0.5));
  return { organizations: organizations.length ? organizations : ['youth_league'], region: r.pick(REGIONS.slice(0, 4))[0] };
};

/** Mostly entries that make sense after `reference` (on published numbers), sometimes nonsense. */
function randomEntry(r: Random, event: number, reference: LogTally): LogEntry {
  const live = [...reference.statements.keys()];
  const sensible = r.chance(0.9);
  const kind = live.length === 0 && sensible ? 'published' : r.pick(['published', 'published', 'published', 'amended', 'retracted', 'retracted', 'featured', 'unfeatured', 'translated'] as const);
  // Published: mostly a new, higher number; sometimes a lower one (new, retracted before, or live).
  const number = kind === 'published' ? (sensible ? (r.chance(0.7) ? 1000 + 2 * event : r.int(900, 1000 + 2 * event)) : live.length ? r.pick(live) : 1) : sensible && live.length ? r.pick(live) : r.int(1, 2000);
  const day = `2026-0${r.int(1, 3)}-1${r.int(0, 9)}`;
  const persons = () => Array.from({ length: r.int(1, 3) }, () => person(r));
  if (kind === 'published' || kind === 'amended') {
    return { event, kind, number, day, channel: r.pick(CHANNEL_KINDS), commitment: new Uint8Array(32).fill(r.int(0, 255)), persons: persons() };
  }
  if (kind === 'retracted') {
    // Some or all of the statement's persons; sometimes one it lacks.
    const had = reference.statements.get(number)?.persons ?? persons();
    const some = sensible ? had.filter(() => r.chance(0.6)) : [person(r)];
    return { event, kind, number, day, persons: some.length ? some : had };
  }
  if (kind === 'translated') return { event, kind, number, day, locale: 'en' };
  return { event, kind, number, day };
}

const normal = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).filter(([, n]) => n !== 0).sort());

test('the compact tally counts and refuses exactly as tallyEntry, entry by entry', () => {
  let refused = 0;
  let entries = 0;
  let republished = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const r = demoRandom(seed);
    const reference = emptyTally();
    const compact = new CompactTally();
    for (let i = 0; i < 300; i++) {
      const entry = randomEntry(r, reference.size + (r.chance(0.01) ? 3 : 1), reference);
      const wasRetracted = compact.retracted.has(entry.number);
      let expected: unknown;
      let actual: unknown;
      try {
        tallyEntry(reference, entry);
      } catch (error) {
        expected = (error as Error).message;
      }
      try {
        compact.add(entry);
      } catch (error) {
        actual = (error as Error).message;
      }
      assert.equal(actual, expected, `seed ${seed} entry ${i}`);
      // A refused entry changes neither tally (both throw before counting), so the history goes on.
      if (expected !== undefined) refused++;
      else entries++;
      if (expected === undefined && entry.kind === 'published' && wasRetracted) republished++;
      const figures = compact.snapshot();
      assert.equal(figures.size, reference.size);
      assert.equal(figures.total, reference.total);
      assert.deepEqual(normal(figures.byOrganization), normal(reference.byOrganization));
      assert.deepEqual(normal(figures.byRegion), normal(reference.byRegion));
      assert.deepEqual(normal(figures.byChannel), normal(reference.byChannel));
      assert.deepEqual(Object.fromEntries([...figures.byDay].sort()), Object.fromEntries(Object.entries(reference.byDay).sort()));
      assert.equal(compact.published, reference.statements.size);
      for (const [number, s] of reference.statements) {
        const mine = compact.statement(number)!;
        assert.equal(mine.channel, s.channel);
        assert.deepEqual(mine.commitment, s.commitment);
        assert.deepEqual(mine.persons, s.persons.map((p) => ({ organizations: ORGANIZATIONS.filter((o) => p.organizations.includes(o)), region: p.region })));
      }
    }
  }
  assert.ok(republished > 30, `retracted numbers are published again (${republished})`);
  assert.ok(refused > 800 && entries > 15_000, `the random histories are long and reach nonsense often enough (${refused} refused, ${entries} entries)`);
});

test('a statement keeps the day of its published entry as its publication day through amendments', () => {
  const compact = new CompactTally();
  const persons: LogPerson[] = [{ organizations: ['party'], region: '110000' }];
  compact.add({ event: 1, kind: 'published', number: 7, day: '2026-01-01', channel: 'imported', commitment: new Uint8Array(32), persons });
  compact.add({ event: 2, kind: 'amended', number: 7, day: '2026-02-01', channel: 'imported', commitment: new Uint8Array(32).fill(1), persons });
  assert.equal(compact.statement(7)!.publishedOn, '2026-01-01');
  assert.deepEqual([...compact.publishedByDay()], [['2026-01-01', [7]]]);
  compact.add({ event: 3, kind: 'retracted', number: 7, day: '2026-03-01', persons });
  assert.equal(compact.statement(7), undefined);
  assert.equal(compact.retracted.has(7), true);
});
