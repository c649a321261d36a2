import { confusableSkeleton } from './confusable-skeleton.js';

/**
 * A display name reduced to what makes two names "the same" for a duplicate hint:
 * compatibility-normalised (full-width → ASCII), case-folded, folded to its UTS #39 skeleton so
 * that look-alikes from other scripts match ("Аlice" with a Cyrillic А, "0scar", "A|ice"),
 * without spaces, punctuation, symbols or invisible characters.
 *
 * Lower-cased before the skeleton (so that "ALICE" and "alice" fold alike) and after it (the
 * skeleton maps some characters to capitals: "0" → "O"); punctuation and symbols go last,
 * because some of them are look-alikes of letters ("|" of "l").
 */
export function nameKey(displayName: string): string {
  const folded = displayName.normalize('NFKC').toLowerCase();
  return confusableSkeleton(folded).toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}
