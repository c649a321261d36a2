import type { ErrorCode } from './error-catalog.js';

/**
 * Characters refused everywhere: C0/C1 controls (tab and newline are allowed in multi-line
 * text only), bidirectional overrides, embeddings, isolates and marks (the "Trojan Source"
 * class, CVE-2021-42574), invisible separators and the byte-order mark, and noncharacters.
 */
const ALWAYS_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF\uFFFE\uFFFF]/u;
/**
 * Invisible and blank-looking characters, refused in single-line fields (names, titles) where they
 * hide differences or make a name look blank: every Unicode `Default_Ignorable_Code_Point`
 * (zero-width characters, the soft hyphen, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the
 * combining grapheme joiner, variation selectors, tag characters, U+206A–206F, …; V8 knows the
 * property, so no table of ours can fall behind Unicode) and the braille blank U+2800, which
 * Unicode counts as a symbol but which shows as nothing.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
/** A character that shows: neither white space nor invisible nor blank-looking. */
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}\u2800]/u;
const LINE_BREAKS = /[\n\t\r]/u;

export type TextResult = { ok: true; value: string } | { ok: false; code: ErrorCode; max?: number };

export interface TextRule {
  max: number;
  multiline: boolean;
}

/**
 * Normalises one user-written text: NFC, trimmed, line endings unified, then checks it.
 * An empty result (nothing but white space) is returned as `''`; the caller decides whether
 * empty is allowed. A text of only invisible or blank-looking characters is refused.
 */
export function checkText(input: string, rule: TextRule): TextResult {
  if (!input.isWellFormed()) return { ok: false, code: 'invalid_characters' };
  const value = input.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (ALWAYS_FORBIDDEN.test(value)) return { ok: false, code: 'invalid_characters' };
  if (!rule.multiline && (INVISIBLE.test(value) || LINE_BREAKS.test(value))) {
    return { ok: false, code: 'invalid_characters' };
  }
  // Multi-line text may hold joiners and variation selectors (emoji, some scripts) but not
  // consist of them: a statement that would be published looking blank is refused.
  // (A search that stops at the first visible character: no copy of a 20,000-character text.)
  if (value !== '' && !VISIBLE.test(value)) return { ok: false, code: 'looks_blank' };
  if (countCharacters(value) > rule.max) return { ok: false, code: 'too_long', max: rule.max };
  return { ok: true, value };
}

/** Length in Unicode code points, which is what a person counts as characters. */
export function countCharacters(value: string): number {
  // A code point outside the BMP is two UTF-16 units, the first a high surrogate; most texts
  // have none, and then the length is the count (a lone surrogate counts as one, as for-of does).
  if (!HIGH_SURROGATE.test(value)) return value.length;
  let count = 0;
  for (const _ of value) count++;
  return count;
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;
