import type { Locale } from './locales.js';

/** Optional, coarse occupation categories: broad enough that none identifies a person. */
export const OCCUPATIONS: ReadonlyArray<readonly [code: string, names: Record<Locale, string>]> = [
  ['student', { 'zh-hans': '学生', 'zh-hant': '學生', en: 'Student' }],
  ['education', { 'zh-hans': '教育', 'zh-hant': '教育', en: 'Education' }],
  ['government', { 'zh-hans': '政府机关', 'zh-hant': '政府機關', en: 'Government' }],
  ['military_police', { 'zh-hans': '军警', 'zh-hant': '軍警', en: 'Military or police' }],
  ['state_enterprise', { 'zh-hans': '国有企业', 'zh-hant': '國有企業', en: 'State-owned enterprise' }],
  ['private_business', { 'zh-hans': '私营企业', 'zh-hant': '私營企業', en: 'Private business' }],
  ['worker', { 'zh-hans': '工人', 'zh-hant': '工人', en: 'Worker' }],
  ['agriculture', { 'zh-hans': '农业', 'zh-hant': '農業', en: 'Agriculture' }],
  ['healthcare', { 'zh-hans': '医疗卫生', 'zh-hant': '醫療衛生', en: 'Healthcare' }],
  ['science_technology', { 'zh-hans': '科技', 'zh-hant': '科技', en: 'Science and technology' }],
  ['culture_media', { 'zh-hans': '文化传媒', 'zh-hant': '文化傳媒', en: 'Culture and media' }],
  ['retired', { 'zh-hans': '退休', 'zh-hant': '退休', en: 'Retired' }],
  ['other', { 'zh-hans': '其他', 'zh-hant': '其他', en: 'Other' }],
];

export const OCCUPATION_CODES: ReadonlySet<string> = new Set(OCCUPATIONS.map(([code]) => code));
