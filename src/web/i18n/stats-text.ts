import type { Locale } from '../../domain/locales.js';
import { statsEn, type StatsText } from './stats-en.js';
import { statsZhHans } from './stats-zh-hans.js';
import { statsZhHant } from './stats-zh-hant.js';

export type { StatsText };

/** The statistics and methodology pages' text, by the page's locale. */
export const STATS_TEXT: Record<Locale, StatsText> = { 'zh-hans': statsZhHans, 'zh-hant': statsZhHant, en: statsEn };
