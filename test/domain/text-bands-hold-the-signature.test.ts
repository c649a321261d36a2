// Duplicate hints compare stored texts from their bands alone (a queue view never looks at the
// texts): the similarity read from two texts' bands must be the one of their MinHash signatures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandSimilarity, minHashSignature, textBands } from '../../src/domain/text-fingerprint.js';

const BASE =
  '我在一九九八年读中学时加入了共青团，当时并不明白那意味着什么，只是老师说每个人都要入。后来工作了，单位里又有人劝我入党，' +
  '我没有答应，但团员的身份一直挂在那里。这些年我看到了很多事情，也想了很多，今天我用这个化名郑重声明退出共青团和少先队。';
const VARIANTS = [
  BASE,
  BASE.replace('一九九八', '一九九九'),
  BASE.replace('单位里', '公司里').replace('这些年', '这几年'),
  BASE.slice(20),
  '小时候在村里的学校戴过红领巾，长大以后外出打工，在工地上干了十几年活。去年听朋友说起可以声明退出，我想了很久，终于决定写下这几句话。',
];

/** The reference: the fraction of the 32 signature positions where the two texts agree. */
function signatureAgreement(a: string, b: string): number {
  const [sa, sb] = [minHashSignature(a)!, minHashSignature(b)!];
  return sa.filter((v, k) => v === sb[k]).length / sa.length;
}

test('the similarity read from two texts’ bands is that of their MinHash signatures', () => {
  for (const a of VARIANTS) {
    for (const b of VARIANTS) assert.equal(bandSimilarity(textBands(a), textBands(b)), signatureAgreement(a, b), `${a.slice(0, 8)} / ${b.slice(0, 8)}`);
  }
  assert.equal(bandSimilarity(textBands(BASE), textBands(BASE)), 1);
  const near = bandSimilarity(textBands(VARIANTS[0]!), textBands(VARIANTS[1]!));
  assert.ok(near > 0.6 && near < 1, String(near));
});

test('a text too short to compare, or bands that are not one whole set, are like nothing', () => {
  const bands = textBands(BASE);
  assert.equal(bandSimilarity([], bands), 0);
  assert.equal(bandSimilarity(textBands('我声明退出。'), bands), 0);
  assert.equal(bandSimilarity(bands.slice(1), bands), 0, 'a band missing');
  assert.equal(bandSimilarity([...bands.slice(1), bands[1]!], bands), 0, 'a band twice, another missing');
  assert.equal(bandSimilarity([bands[0]!.replace(':', ';'), ...bands.slice(1)], bands), 0, 'a malformed band');
});
