import type { Locale } from '../../../domain/locales.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';

/**
 * What a review action reports after its redirect (POST → 303 → GET): which action, and for an
 * approval the registration numbers assigned. Only these known values are ever shown.
 */
export type ReviewDone =
  | { done: 'approved'; first: number; last: number }
  | { done: 'rejected'; count: number }
  | { done: 'duplicate' | 'edited' | 'featured' | 'unfeatured' };

/** The query parameters that carry a result through the redirect. */
export function noticeParams(result: ReviewDone): Record<string, string | number> {
  return { ...result };
}

/** The confirmation to show for the query of a page reached by that redirect, or null. */
export function noticeText(query: Record<string, unknown> | undefined, locale: Locale): string | null {
  const t = STAFF_TEXT[locale];
  const count = (v: unknown) => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null);
  switch (query?.done) {
    case 'approved': {
      const first = count(query.first);
      const last = count(query.last);
      if (first === null || last === null || last < first) return null;
      return t.noticeApproved.replace('{numbers}', first === last ? String(first) : `${first}–${last}`);
    }
    case 'rejected': {
      const n = count(query.count);
      return n === null ? null : t.noticeRejected.replace('{n}', String(n));
    }
    case 'duplicate':
      return t.noticeDuplicate;
    case 'edited':
      return t.noticeEdited;
    case 'featured':
      return t.noticeFeatured;
    case 'unfeatured':
      return t.noticeUnfeatured;
    default:
      return null;
  }
}
