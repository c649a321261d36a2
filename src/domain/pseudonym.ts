import { randomInt } from 'node:crypto';

/**
 * Characters for suggested pseudonyms, written for this project. Every one is spelled the same
 * in Simplified and Traditional Chinese, so a suggestion never needs converting between scripts.
 */
const SURNAMES = [...'王李林周徐朱胡高何郭梁宋唐曹彭曾田董袁潘蔡余杜程魏丁任沈姚姜崔汪范金石廖夏方白孟熊秦邱江尹薛段雷侯史陶黎毛郝邵武戴莫孔向'];
const GIVEN = [...'明文安平思清晨春秋冬雪山川海月星光和心正仁信德慧欣怡嘉佳宇志立新永泉松竹梅青若言子天雨秀英美玉芳辰逸舟森朗涵晴恒敏健康宏博波浩然益'];

/** A source of random integers in [0, max), injectable for tests. */
export type RandomInt = (max: number) => number;

/**
 * A synthetic Chinese pseudonym for someone who wants one: a common surname and one or two
 * given-name characters (never two of the same), e.g. 林思晨. It names nobody in particular.
 */
export function suggestPseudonym(random: RandomInt = randomInt): string {
  const surname = SURNAMES[random(SURNAMES.length)]!;
  const first = GIVEN[random(GIVEN.length)]!;
  if (random(3) === 0) return surname + first;
  let second = GIVEN[random(GIVEN.length)]!;
  if (second === first) second = GIVEN[(GIVEN.indexOf(first) + 1) % GIVEN.length]!;
  return surname + first + second;
}

/** Exposed for tests: the characters a suggestion is made of. */
export const PSEUDONYM_CHARACTERS = { surnames: SURNAMES, given: GIVEN } as const;
