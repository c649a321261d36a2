import { parseSearchQuery } from '../domain/search-tokens.js';
import type { Database } from '../storage/database.js';
import { searchStatementNumbers } from '../storage/search.repository.js';

/** Results per page are clamped to 1…this. */
export const MAX_SEARCH_PAGE_SIZE = 100;
/** Pages past this one are empty: deep offsets cost a scan of every match before them. */
export const MAX_SEARCH_PAGE = 100;

/** One page of search results: registration numbers, newest first. */
export interface SearchResults {
  /** The query had no usable term: show a hint, not an error. */
  empty: boolean;
  numbers: number[];
  /** Another page follows. There is no total: counting every match of a common term is too slow. */
  hasMore: boolean;
  /** Strings to highlight in the results, as typed and in both Chinese scripts, longest first. */
  highlight: string[];
}

/**
 * Searches published statements for `q` (all terms must match), newest first. Any input is
 * safe: unusable queries come back `empty`, and a page number out of range gives no results.
 */
export async function searchStatements(database: Database, q: string, page: number, pageSize: number): Promise<SearchResults> {
  const query = parseSearchQuery(q);
  if (query.terms.length === 0) return { empty: true, numbers: [], hasMore: false, highlight: [] };
  const size = Number.isInteger(pageSize) ? Math.min(Math.max(pageSize, 1), MAX_SEARCH_PAGE_SIZE) : 20;
  if (!Number.isInteger(page) || page < 1 || page > MAX_SEARCH_PAGE) return { empty: false, numbers: [], hasMore: false, highlight: query.highlight };
  const found = await searchStatementNumbers(database.db, database.dialect, query, size + 1, (page - 1) * size);
  return { empty: false, numbers: found.slice(0, size), hasMore: found.length > size, highlight: query.highlight };
}
