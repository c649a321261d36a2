import { toSimplified, toTraditional } from './script-conversion.js';

// Full-text search tokens, made by the application so that SQLite (FTS5) and PostgreSQL
// (tsvector) index exactly the same tokens and answer the same queries.
//
// Chinese has no spaces between words, so every run of CJK characters is cut into overlapping
// bigrams plus the run's last character: 退出中共 → 退出 出中 中共 共. A query of n ≥ 2 characters
// is then the phrase of its n − 1 bigrams at adjacent positions, which matches exactly the texts
// that contain it (a unigram only ever ends a run, so a chain of adjacent bigrams never crosses
// from one run into the next). A one-character query is the prefix `c*`: it matches the bigrams
// that start with c and the unigram that ends a run with c, so every occurrence of c.
//
// Tokens contain only letters, digits and (outside Latin, Greek and Cyrillic) combining marks,
// so both FTS5's unicode61 tokenizer and PostgreSQL's default parser keep each one whole: one
// token per space-separated word, at consecutive positions (checked by the storage tests).

/** Characters of a query that are read; the rest is ignored. */
export const MAX_QUERY_CHARACTERS = 100;
/** Terms of a query that are used (all must match); the rest is ignored. */
export const MAX_QUERY_TERMS = 8;
/**
 * Longest indexed word, in characters: longer words are cut, in the index and in queries alike
 * (PostgreSQL refuses lexemes over 2 KiB; a cut word still matches as a prefix).
 */
export const MAX_WORD_CHARACTERS = 40;

/** One term of a query: a phrase of adjacent tokens, or a token prefix. */
export type SearchTerm = { kind: 'phrase'; tokens: string[] } | { kind: 'prefix'; token: string };

/** A parsed search query: every term must match (AND). */
export interface SearchQuery {
  /** Empty when the query has no usable term: the page shows a hint, not an error. */
  terms: SearchTerm[];
  /** What to highlight in results: each piece as typed, and in Simplified and Traditional. */
  highlight: string[];
}

// Scripts written without spaces between words, cut into bigrams. Script_Extensions, so that the
// katakana long vowel mark ー (script Common) stays inside its word.
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const WORD_PIECE = /[\p{L}\p{N}\p{M}]+/gu;
// Accents on Latin, Greek and Cyrillic letters are dropped (café = cafe), like FTS5's
// remove_diacritics; marks of other scripts are part of their letters and kept.
const LATIN_ACCENTS = /([\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}])\p{Mn}+/gu;

type Run = { cjk: boolean; chars: string[] };

/**
 * Text as it is indexed and searched: NFKC (full-width letters and compatibility ideographs to
 * their usual forms), case-folded, Latin accents dropped, Traditional characters Simplified.
 */
export function normalizeForSearch(text: string): string {
  const folded = text.normalize('NFKC').toUpperCase().toLowerCase().replaceAll('ς', 'σ');
  const unaccented = folded.normalize('NFD').replace(LATIN_ACCENTS, '$1').normalize('NFC');
  return toSimplified(unaccented);
}

/** Splits normalised text into runs of CJK characters and runs of other letters and digits. */
function runsOf(normalized: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (const char of normalized) {
    if (!LETTER_OR_DIGIT.test(char)) {
      // A mark belongs to the word it follows; anything else separates.
      if (current && !current.cjk && MARK.test(char)) current.chars.push(char);
      else current = undefined;
      continue;
    }
    const cjk = CJK.test(char);
    if (!current || current.cjk !== cjk) runs.push((current = { cjk, chars: [] }));
    current.chars.push(char);
  }
  return runs;
}

function bigramsOf(chars: readonly string[]): string[] {
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
  return bigrams;
}

function wordOf(chars: readonly string[]): string {
  return chars.slice(0, MAX_WORD_CHARACTERS).join('');
}

/** The tokens of a text, in order: CJK bigrams with each run's last character, and words. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const run of runsOf(normalizeForSearch(text))) {
    if (run.cjk) tokens.push(...bigramsOf(run.chars), run.chars[run.chars.length - 1]!);
    else tokens.push(wordOf(run.chars));
  }
  return tokens;
}

/**
 * The token string to index for a statement: its title, its text and the display names of all
 * its declarants, space-separated. Missing parts are skipped.
 */
export function searchTokens(parts: readonly (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .map((part) => tokenize(part).join(' '))
    .filter((tokens) => tokens !== '')
    .join(' ');
}

/**
 * Reads what a reader typed into the search box: at most {@link MAX_QUERY_CHARACTERS}
 * characters; punctuation, symbols and control characters separate terms and are otherwise
 * ignored; all terms must match. Never throws: anything unusable gives an empty query.
 */
export function parseSearchQuery(q: unknown): SearchQuery {
  if (typeof q !== 'string') return { terms: [], highlight: [] };
  const input = Array.from(q.trim()).slice(0, MAX_QUERY_CHARACTERS).join('');
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const run of runsOf(normalizeForSearch(input))) {
    const term: SearchTerm =
      run.cjk && run.chars.length >= 2 ? { kind: 'phrase', tokens: bigramsOf(run.chars) } : { kind: 'prefix', token: run.cjk ? run.chars[0]! : wordOf(run.chars) };
    const key = term.kind === 'phrase' ? `p:${term.tokens.join(' ')}` : `*:${term.token}`;
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return { terms, highlight: terms.length === 0 ? [] : highlightTerms(input) };
}

/** True when a query has nothing to search for. */
export function isEmptySearch(query: SearchQuery): boolean {
  return query.terms.length === 0;
}

/**
 * Each piece of the query as typed, and its NFKC, Simplified and Traditional forms, longest first
 * (pieces of the NFKC form too: ⼀ and ⒜ only become letters there).
 */
function highlightTerms(input: string): string[] {
  const forms = new Set<string>();
  const pieces = [...input.matchAll(WORD_PIECE), ...input.normalize('NFKC').matchAll(WORD_PIECE)].map(([piece]) => piece);
  for (const piece of pieces) {
    if (!LETTER_OR_DIGIT.test(piece)) continue;
    const compatible = piece.normalize('NFKC');
    for (const form of [piece, compatible, toSimplified(compatible), toTraditional(compatible)]) forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
