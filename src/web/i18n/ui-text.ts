import type { Locale } from '../../domain/locales.js';
import { en, type UiText } from './en.js';
import { zhHans } from './zh-hans.js';
import { zhHant } from './zh-hant.js';

export type { UiText };

export const UI_TEXT: Record<Locale, UiText> = { 'zh-hans': zhHans, 'zh-hant': zhHant, en };
