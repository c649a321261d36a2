import type { Locale } from './locales.js';

type Names = Record<Locale, string>;

/**
 * Province-level regions by GB/T 2260 code (the 31 mainland divisions, Hong Kong, Macau),
 * plus `overseas` and `undisclosed`. Only the province level is ever asked for or published:
 * anything finer could single a person out.
 */
export const REGIONS: ReadonlyArray<readonly [code: string, names: Names]> = [
  ['110000', { 'zh-hans': '北京', 'zh-hant': '北京', en: 'Beijing' }],
  ['120000', { 'zh-hans': '天津', 'zh-hant': '天津', en: 'Tianjin' }],
  ['130000', { 'zh-hans': '河北', 'zh-hant': '河北', en: 'Hebei' }],
  ['140000', { 'zh-hans': '山西', 'zh-hant': '山西', en: 'Shanxi' }],
  ['150000', { 'zh-hans': '内蒙古', 'zh-hant': '內蒙古', en: 'Inner Mongolia' }],
  ['210000', { 'zh-hans': '辽宁', 'zh-hant': '遼寧', en: 'Liaoning' }],
  ['220000', { 'zh-hans': '吉林', 'zh-hant': '吉林', en: 'Jilin' }],
  ['230000', { 'zh-hans': '黑龙江', 'zh-hant': '黑龍江', en: 'Heilongjiang' }],
  ['310000', { 'zh-hans': '上海', 'zh-hant': '上海', en: 'Shanghai' }],
  ['320000', { 'zh-hans': '江苏', 'zh-hant': '江蘇', en: 'Jiangsu' }],
  ['330000', { 'zh-hans': '浙江', 'zh-hant': '浙江', en: 'Zhejiang' }],
  ['340000', { 'zh-hans': '安徽', 'zh-hant': '安徽', en: 'Anhui' }],
  ['350000', { 'zh-hans': '福建', 'zh-hant': '福建', en: 'Fujian' }],
  ['360000', { 'zh-hans': '江西', 'zh-hant': '江西', en: 'Jiangxi' }],
  ['370000', { 'zh-hans': '山东', 'zh-hant': '山東', en: 'Shandong' }],
  ['410000', { 'zh-hans': '河南', 'zh-hant': '河南', en: 'Henan' }],
  ['420000', { 'zh-hans': '湖北', 'zh-hant': '湖北', en: 'Hubei' }],
  ['430000', { 'zh-hans': '湖南', 'zh-hant': '湖南', en: 'Hunan' }],
  ['440000', { 'zh-hans': '广东', 'zh-hant': '廣東', en: 'Guangdong' }],
  ['450000', { 'zh-hans': '广西', 'zh-hant': '廣西', en: 'Guangxi' }],
  ['460000', { 'zh-hans': '海南', 'zh-hant': '海南', en: 'Hainan' }],
  ['500000', { 'zh-hans': '重庆', 'zh-hant': '重慶', en: 'Chongqing' }],
  ['510000', { 'zh-hans': '四川', 'zh-hant': '四川', en: 'Sichuan' }],
  ['520000', { 'zh-hans': '贵州', 'zh-hant': '貴州', en: 'Guizhou' }],
  ['530000', { 'zh-hans': '云南', 'zh-hant': '雲南', en: 'Yunnan' }],
  ['540000', { 'zh-hans': '西藏', 'zh-hant': '西藏', en: 'Tibet' }],
  ['610000', { 'zh-hans': '陕西', 'zh-hant': '陝西', en: 'Shaanxi' }],
  ['620000', { 'zh-hans': '甘肃', 'zh-hant': '甘肅', en: 'Gansu' }],
  ['630000', { 'zh-hans': '青海', 'zh-hant': '青海', en: 'Qinghai' }],
  ['640000', { 'zh-hans': '宁夏', 'zh-hant': '寧夏', en: 'Ningxia' }],
  ['650000', { 'zh-hans': '新疆', 'zh-hant': '新疆', en: 'Xinjiang' }],
  ['810000', { 'zh-hans': '香港', 'zh-hant': '香港', en: 'Hong Kong' }],
  ['820000', { 'zh-hans': '澳门', 'zh-hant': '澳門', en: 'Macau' }],
  ['overseas', { 'zh-hans': '海外', 'zh-hant': '海外', en: 'Overseas' }],
  ['undisclosed', { 'zh-hans': '不透露', 'zh-hant': '不透露', en: 'Not disclosed' }],
];

export const REGION_CODES: ReadonlySet<string> = new Set(REGIONS.map(([code]) => code));

/** The region's name in a locale, or the code itself when it is unknown. */
export function regionName(code: string, locale: Locale): string {
  return REGIONS.find(([c]) => c === code)?.[1][locale] ?? code;
}
