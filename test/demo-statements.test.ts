// The synthetic statements of `rcenter demo` (src/domain/demo-statements.ts): exactly the persons
// asked for, in publication order, repeatable from the seed, within the limits real statements
// obey, and containing the search terms the read benchmark types.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNELS } from '../src/domain/channels.js';
import { demoStatements, planDays, type DemoStatement } from '../src/domain/demo-statements.js';
import { DEMO_SEARCH_TERMS } from '../src/domain/demo-vocabulary.js';
import { OCCUPATION_CODES } from '../src/domain/occupations.js';
import { REGION_CODES } from '../src/domain/regions.js';
import { countCharacters } from '../src/domain/text-rules.js';
import { LIMITS } from '../src/domain/submission.js';

const NOW = new Date('2026-11-27T15:42:10Z');
const all = (people: number, seed = 1): DemoStatement[] => [...demoStatements({ people, seed, now: NOW })];
const persons = (statements: DemoStatement[]) => statements.reduce((n, s) => n + s.declarants.length, 0);

describe('demo statements', () => {
  it('hold exactly the number of persons asked for', () => {
    for (const people of [1, 2, 7, 300, 12_345]) assert.equal(persons(all(people)), people, `people ${people}`);
  });

  it('the day plan adds up to the persons and ends today, later days busier', () => {
    const days = planDays(100_000, 3, NOW);
    assert.equal(days.reduce((n, d) => n + d.persons, 0), 100_000);
    assert.equal(days.at(-1)!.day, '2026-11-27');
    assert.ok(days[0]!.day < '2021-01-01', `first day ${days[0]!.day}`);
    const firstYear = days.filter((d) => d.day < '2021-11-27').reduce((n, d) => n + d.persons, 0);
    const lastYear = days.filter((d) => d.day > '2025-11-27').reduce((n, d) => n + d.persons, 0);
    assert.ok(lastYear > 3 * firstYear, `last year ${lastYear}, first year ${firstYear}`);
  });

  it('the same seed gives the same statements, another seed others', () => {
    assert.deepEqual(all(500, 42), all(500, 42));
    assert.notDeepEqual(all(500, 42), all(500, 43));
  });

  it('come in publication order, received before published on the same day, nothing after now', () => {
    const statements = all(5000);
    for (const [i, s] of statements.entries()) {
      if (i > 0) assert.ok(statements[i - 1]!.publishedAt <= s.publishedAt);
      assert.ok(s.receivedAt <= s.publishedAt && s.publishedAt <= s.updatedAt);
      assert.equal(s.receivedAt.slice(0, 10), s.day);
      assert.equal(s.publishedAt.slice(0, 10), s.day);
      assert.ok(new Date(s.updatedAt) <= NOW);
      assert.match(s.publishedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    }
  });

  it('obey the limits of real statements: 1–5 declarants, valid organisations, regions, occupations, names, texts', () => {
    const statements = all(20_000, 9);
    const sizes = new Set<number>();
    for (const s of statements) {
      sizes.add(s.declarants.length);
      assert.ok(CHANNELS.includes(s.channel));
      assert.ok(countCharacters(s.text) >= 20 && countCharacters(s.text) <= 5000, `${countCharacters(s.text)} characters`);
      if (countCharacters(s.text) > 300) assert.ok(s.title !== null, 'a long article has a title');
      if (s.featured) assert.ok(countCharacters(s.text) >= 1000, 'only long articles are featured');
      if (s.title !== null) assert.ok(countCharacters(s.title) <= LIMITS.title.max);
      for (const d of s.declarants) {
        assert.ok(d.organizations.length > 0);
        assert.ok(REGION_CODES.has(d.region));
        assert.ok(d.occupation === null || OCCUPATION_CODES.has(d.occupation));
        assert.ok(d.displayName.length > 0 && countCharacters(d.displayName) <= LIMITS.displayName.max);
      }
    }
    assert.deepEqual([...sizes].sort(), [1, 2, 3, 4, 5]);
    const single = statements.filter((s) => s.declarants.length === 1).length;
    assert.ok(single > statements.length * 0.6, 'mostly one declarant');
  });

  it('mix languages, name kinds, long articles and a few featured ones', () => {
    const statements = all(30_000, 5);
    const share = (test: (s: DemoStatement) => boolean) => statements.filter(test).length / statements.length;
    assert.ok(share((s) => s.language === 'zh-hans') > 0.5);
    assert.ok(share((s) => s.language === 'zh-hant') > 0.1);
    assert.ok(share((s) => s.language === 'en') > 0.05);
    assert.ok(share((s) => countCharacters(s.text) <= 300) > 0.9, 'mostly short');
    const articles = share((s) => countCharacters(s.text) >= 1000);
    assert.ok(articles > 0.005 && articles < 0.05, `articles ${articles}`);
    const featured = share((s) => s.featured);
    assert.ok(featured > 0 && featured < articles);
    const names = statements.flatMap((s) => s.declarants);
    assert.ok(names.some((d) => d.nameKind === 'real') && names.some((d) => d.nameKind === 'pseudonym'));
    assert.ok(names.some((d) => /^[A-Za-z]/.test(d.displayName)), 'some names in Latin script');
    const occupations = names.filter((d) => d.occupation !== null).length / names.length;
    assert.ok(occupations > 0.4 && occupations < 0.6, `occupation ${occupations}`);
  });

  it('contain every search term the read benchmark types', () => {
    const corpus = all(20_000, 11)
      .map((s) => `${s.title ?? ''} ${s.text} ${s.declarants.map((d) => d.displayName).join(' ')}`)
      .join('\n')
      .toLowerCase();
    for (const term of Object.values(DEMO_SEARCH_TERMS).flat()) assert.ok(corpus.includes(term), `"${term}" never occurs`);
  });
});
