import * as OpenCC from 'opencc-js';
import type { Locale } from './locales.js';

// OpenCC's standard character sets: 'cn' (Simplified, mainland) and 't' (Traditional, OpenCC
// standard, without regional vocabulary), so neither Taiwan nor Hong Kong usage is imposed.
const simplifiedToTraditional = OpenCC.Converter({ from: 'cn', to: 't' });
const traditionalToSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/**
 * The characters a dictionary can change: those at a differing position of an entry whose key
 * and value differ (every character of the key when the lengths differ). Text without any of
 * them cannot match a changing entry, so converting it would return it unchanged.
 */
function changingCharacters(group: unknown): Set<string> {
  const set = new Set<string>();
  for (const dictionaries of group as string[][]) {
    for (const dictionary of dictionaries) {
      for (const entry of dictionary.split('|')) {
        const [key, value] = entry.split(' ');
        if (!key || !value || key === value) continue;
        const k = [...key];
        const v = [...value];
        k.forEach((c, i) => {
          if (k.length !== v.length || c !== v[i]) set.add(c);
        });
      }
    }
  }
  return set;
}

const CHANGED_BY_TO_SIMPLIFIED = changingCharacters(OpenCC.Locale.to.cn);
const CHANGED_BY_TO_TRADITIONAL = changingCharacters(OpenCC.Locale.from.cn);

function mayChange(text: string, characters: Set<string>): boolean {
  for (const c of text) if (characters.has(c)) return true;
  return false;
}

/** Text in Simplified characters (Latin and other scripts unchanged). */
export function toSimplified(text: string): string {
  // Most Simplified text needs nothing; the scan costs far less than the converter.
  return mayChange(text, CHANGED_BY_TO_SIMPLIFIED) ? traditionalToSimplified(text) : text;
}

/** Text in Traditional characters (Latin and other scripts unchanged). */
export function toTraditional(text: string): string {
  return mayChange(text, CHANGED_BY_TO_TRADITIONAL) ? simplifiedToTraditional(text) : text;
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
