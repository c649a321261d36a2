import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import { inReadersScript, toSimplified, toTraditional } from '../../src/domain/script-conversion.js';

const fullToSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const fullToTraditional = OpenCC.Converter({ from: 'cn', to: 't' });

// Characters that are the same in both scripts, that differ, and that start multi-character entries.
const ALPHABET = [...'我们們一家三口声聲明退出发發表干乾幹后後里裏头頭发髮面麵了瞭党黨团團队隊的是在不人有这這中国國共产產青年少先，。！ a1'];

test('Simplified and Traditional conversion of user text', () => {
  assert.equal(toTraditional('我们一家三口声明退出，发表声明。'), '我們一家三口聲明退出，發表聲明。');
  assert.equal(toSimplified('發表聲明，頭髮'), '发表声明，头发');
  assert.equal(inReadersScript('声明', 'zh-hant'), '聲明');
  assert.equal(inReadersScript('聲明', 'zh-hans'), '声明');
  assert.equal(inReadersScript('聲明 and words', 'en'), '聲明 and words', 'English readers see text as written');
});

test('skipping text that has nothing to convert never changes the result', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((chars) => chars.join('')), (text) => {
      assert.equal(toSimplified(text), fullToSimplified(text));
      assert.equal(toTraditional(text), fullToTraditional(text));
    }),
    { numRuns: 3000, seed: 20261127 },
  );
});
