import type { Locale } from '../../domain/locales.js';
import { staffEn, type StaffText } from './staff-en.js';
import { staffZhHans } from './staff-zh-hans.js';
import { staffZhHant } from './staff-zh-hant.js';

export type { StaffText };

/** The staff console's interface text; the console picks the locale from Accept-Language. */
export const STAFF_TEXT: Record<Locale, StaffText> = { 'zh-hans': staffZhHans, 'zh-hant': staffZhHant, en: staffEn };
