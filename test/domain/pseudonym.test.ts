import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PSEUDONYM_CHARACTERS, suggestPseudonym } from '../../src/domain/pseudonym.js';
import { validateSubmission } from '../../src/domain/submission.js';

test('a suggested pseudonym is a surname and one or two different given-name characters, valid as a display name', () => {
  const surnames = new Set(PSEUDONYM_CHARACTERS.surnames);
  const given = new Set(PSEUDONYM_CHARACTERS.given);
  for (let i = 0; i < 500; i++) {
    const name = suggestPseudonym();
    const chars = [...name];
    assert.ok(chars.length === 2 || chars.length === 3, name);
    assert.ok(surnames.has(chars[0]!), name);
    assert.ok(chars.slice(1).every((c) => given.has(c)), name);
    if (chars.length === 3) assert.notEqual(chars[1], chars[2], name);
    const declarant = { displayName: name, nameKind: 'pseudonym', organizations: ['party'], region: 'undisclosed' };
    assert.ok(validateSubmission({ language: 'zh-hans', declarants: [declarant] }, false).ok, name);
  }
});

test('the character lists have no repeats, and the suggestion follows the random source given', () => {
  for (const list of Object.values(PSEUDONYM_CHARACTERS)) assert.equal(new Set(list).size, list.length);
  assert.equal(suggestPseudonym(() => 0), PSEUDONYM_CHARACTERS.surnames[0]! + PSEUDONYM_CHARACTERS.given[0]!);
  // Two draws of the same character: the second becomes the next one in the list.
  const draws = [1, 0, 1, 0];
  assert.equal(suggestPseudonym(() => draws.shift()!), PSEUDONYM_CHARACTERS.surnames[1]! + PSEUDONYM_CHARACTERS.given[0]! + PSEUDONYM_CHARACTERS.given[1]!);
});
