/** The organisations a declarant can renounce, in their stable API spelling. */
export const ORGANIZATIONS = ['party', 'youth_league', 'young_pioneers'] as const;

export type Organization = (typeof ORGANIZATIONS)[number];

export const ORGANIZATION_NAMES: Record<Organization, { 'zh-hans': string; 'zh-hant': string; en: string }> = {
  party: { 'zh-hans': '中国共产党', 'zh-hant': '中國共產黨', en: 'Chinese Communist Party' },
  youth_league: { 'zh-hans': '共青团', 'zh-hant': '共青團', en: 'Communist Youth League' },
  young_pioneers: { 'zh-hans': '少先队', 'zh-hant': '少先隊', en: 'Young Pioneers' },
};
