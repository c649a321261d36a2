import { CHANNELS } from '../../../domain/channels.js';
import { LOCALES } from '../../../domain/locales.js';
import type { QueueFilters } from '../../../storage/review.repository.js';

/** The queue's filters and page as they travel in a query string (and back in hidden fields). */
export interface QueueQuery {
  channel: string;
  language: string;
  pow: '' | 'yes' | 'no';
  flagged: '' | 'yes' | 'no';
  page: number;
}

const MAX_PAGE = 100_000;

function yesNo(value: unknown): '' | 'yes' | 'no' {
  return value === 'yes' || value === 'no' ? value : '';
}

/** Reads the filters, dropping anything that is not one of the known values. */
export function readQueueQuery(source: Record<string, unknown> | undefined): QueueQuery {
  const q = source ?? {};
  const page = Number(q.page);
  return {
    channel: (CHANNELS as readonly unknown[]).includes(q.channel) ? (q.channel as string) : '',
    language: (LOCALES as readonly unknown[]).includes(q.language) ? (q.language as string) : '',
    pow: yesNo(q.pow),
    flagged: yesNo(q.flagged),
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** The filters in the repository's terms. */
export function queueFilters(q: QueueQuery): QueueFilters {
  const flag = (v: '' | 'yes' | 'no') => (v === '' ? undefined : v === 'yes');
  return { channel: q.channel || undefined, language: q.language || undefined, proofOfWork: flag(q.pow), flagged: flag(q.flagged) };
}

/** The query string of a queue address, with only the filters that are set (and `extra`). */
export function queueSearch(q: QueueQuery, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const key of ['channel', 'language', 'pow', 'flagged'] as const) if (q[key]) params.set(key, q[key]);
  if (q.page > 1) params.set('page', String(q.page));
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The queue's address for these filters. */
export function queueHref(q: QueueQuery, extra: Record<string, string | number> = {}): string {
  return `/staff/queue${queueSearch(q, extra)}`;
}
