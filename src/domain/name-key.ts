/**
 * A display name reduced to what makes two names "the same" for a duplicate hint:
 * compatibility-normalised (full-width → ASCII), case-folded, without spaces or punctuation.
 */
export function nameKey(displayName: string): string {
  return displayName.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}
