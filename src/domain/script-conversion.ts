import * as OpenCC from 'opencc-js';
import type { Locale } from './locales.js';

// OpenCC's standard character sets: 'cn' (Simplified, mainland) and 't' (Traditional, OpenCC
// standard, without regional vocabulary), so neither Taiwan nor Hong Kong usage is imposed.
const simplifiedToTraditional = OpenCC.Converter({ from: 'cn', to: 't' });
const traditionalToSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Text in Simplified characters (Latin and other scripts unchanged). */
export function toSimplified(text: string): string {
  return traditionalToSimplified(text);
}

/** Text in Traditional characters (Latin and other scripts unchanged). */
export function toTraditional(text: string): string {
  return simplifiedToTraditional(text);
}

/**
 * User text as a reader of `locale` should see it: Chinese converted to the reader's script
 * (zh-hans ⇄ zh-hant); English readers and English text are left as written.
 */
export function inReadersScript(text: string, locale: Locale): string {
  if (locale === 'zh-hans') return toSimplified(text);
  if (locale === 'zh-hant') return toTraditional(text);
  return text;
}
