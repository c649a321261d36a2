import { hash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface CachedPage {
  body: string;
  type: string;
  etag: string;
  expires: number;
  /** The body gzipped, made on the first request that accepts it (readers on slow links get a fifth of the bytes). */
  gzip?: Buffer;
}

/**
 * 4,096 slots (32 KiB) for `admitNumbered`: a page asked for again within a few thousand requests
 * is hot; with more slots, random pages of a large site come back by chance often enough that
 * admitting them (and pushing them out again) costs more than it saves.
 */
const SEEN_SLOTS_BITS = 12;

/** Bodies smaller than this are sent as they are: compressing them saves nothing worth the work. */
const GZIP_MIN_BYTES = 1024;

/**
 * Hot public pages kept in memory, by URL, under the publication log's head they were built at
 * (`head`, publication-head.ts): once the head moves on — a publication, retraction, featuring or
 * translation committed by any process — they are all dropped, at the next request. Entries also
 * expire after `ttlMs`, for what changes with the clock alone (a new UTC day on the counter and
 * the statistics). A cache without `head` (open data) has only its lifetime. Least recently used
 * entries go first.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  /**
   * Keys asked for once and not cached yet (a page is cached on its second request), in two
   * generations: when the newer one is full it becomes the older and the oldest is dropped whole.
   * Never "delete the oldest key" one at a time: a Map used as a queue keeps its deleted entries
   * at the front until it is rehashed, and finding the first live key walks them — tens of
   * microseconds a request once random pages (a crawl of old statements) stream through.
   */
  private seenOnce = new Set<string>();
  private seenBefore = new Set<string>();
  private readonly seenNumbers = new Float64Array(1 << SEEN_SLOTS_BITS);

  constructor(
    private readonly maxEntries = 5_000,
    private readonly ttlMs = 10_000,
    private readonly head?: () => number | Promise<number>,
  ) {}

  /**
   * The head the cached pages were built at. A page built from data read before the head moved
   * must not be kept after it (it may show what the move was for: a retraction): call `follow`
   * before reading, and pass what it returns to `set` — a page of an older head is not kept.
   */
  seq = 0;

  /**
   * Reads the publication log's head and drops every page built at an older one; returns the
   * head to build and `set` new pages at.
   */
  async follow(): Promise<number> {
    if (!this.head) return this.seq;
    const seq = await this.head();
    if (seq > this.seq) this.clear(seq);
    return this.seq;
  }

  get(key: string, now = Date.now()): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (page.expires <= now) {
      this.pages.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks it recently used.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /** Whether `key` is cached (and fresh), without marking it used. */
  has(key: string, now = Date.now()): boolean {
    const page = this.pages.get(key);
    return page !== undefined && page.expires > now;
  }

  set(key: string, body: string, type: string, now = Date.now(), seq = this.seq): CachedPage {
    const page = { body, type, etag: etagOf(body), expires: now + this.ttlMs };
    // Built from what was read before the head moved: answered, never kept.
    if (seq !== this.seq) return page;
    this.pages.delete(key);
    this.pages.set(key, page);
    if (this.pages.size > this.maxEntries) this.evictOldest();
    return page;
  }

  /**
   * Drops the least recently used tenth in one walk from the front (see `seenOnce` for why not
   * one key at a time).
   */
  private evictOldest(): void {
    let drop = this.pages.size - this.maxEntries + Math.floor(this.maxEntries / 10);
    for (const key of this.pages.keys()) {
      this.pages.delete(key);
      if (--drop <= 0) break;
    }
  }

  /**
   * Whether a page just built for `key` should be kept: only when it was asked for before, so a
   * stream of single-use pages (random old statements) cannot push the hot ones out and churn the
   * heap. Remembers between `maxEntries` × 2 and × 4 keys.
   */
  admit(key: string): boolean {
    if (this.seenOnce.delete(key) || this.seenBefore.delete(key)) return true;
    this.seenOnce.add(key);
    if (this.seenOnce.size >= this.maxEntries * 2) {
      this.seenBefore = this.seenOnce;
      this.seenOnce = new Set();
    }
    return false;
  }

  /**
   * `admit` for pages known by a number (a stored statement page: its page key), at no cost per
   * call: a direct-mapped table of the numbers seen last, no string, no allocation. A number that
   * shares its slot with another one seen since needs one request more to be admitted.
   */
  admitNumbered(id: number): boolean {
    const slot = Math.imul(id | 0, 0x9e3779b1) >>> (32 - SEEN_SLOTS_BITS);
    if (this.seenNumbers[slot] === id + 1) {
      this.seenNumbers[slot] = 0;
      return true;
    }
    this.seenNumbers[slot] = id + 1;
    return false;
  }

  /** Drops every page; the pages built from now on are kept under head `seq` (by default, the same). */
  clear(seq = this.seq): void {
    this.seq = seq;
    this.pages.clear();
    this.seenOnce.clear();
    this.seenBefore.clear();
    this.seenNumbers.fill(0);
  }

  get size(): number {
    return this.pages.size;
  }
}

/** A strong validator: the body's SHA-256, shortened. */
export function etagOf(body: string): string {
  return `"${hash('sha256', body, 'base64url').slice(0, 22)}"`;
}

/**
 * Answers a public GET from the cache, or builds the page, caches it and answers. Proxies and
 * mirrors may keep it for `maxAgeSeconds`; a matching `If-None-Match` gets 304 without a body.
 * `key` names the page by what the route read (`routeKey`), never by the raw URL.
 */
export async function sendCached(
  cache: PageCache,
  request: FastifyRequest,
  reply: FastifyReply,
  maxAgeSeconds: number,
  build: () => Promise<{ body: string; type: string }>,
  key: string,
  /** The head `cache.follow()` gave, when the caller asked already. */
  seq?: number,
): Promise<FastifyReply> {
  const at = seq ?? (await cache.follow());
  let page = cache.get(key);
  const hit = page !== undefined;
  if (!page) {
    const built = await build();
    page = cache.admit(key) ? cache.set(key, built.body, built.type, Date.now(), at) : { ...built, etag: etagOf(built.body), expires: 0 };
  }
  publicCaching(reply, maxAgeSeconds);
  // Compressed from the second request on: a page asked for once (a random old statement) is not
  // worth the work; one asked for again (home, lists, popular statements) is.
  if ((hit || page.gzip) && acceptsGzip(request.headers['accept-encoding']) && Buffer.byteLength(page.body) >= GZIP_MIN_BYTES) {
    page.gzip ??= gzipSync(page.body);
    return sendValidated(request, reply, gzipEtag(page.etag), page.type, page.gzip, true);
  }
  return sendValidated(request, reply, page.etag, page.type, page.body, false);
}

/**
 * Answers with a page stored gzipped (statement pages, statement-pages.tsx), as `sendCached`
 * answers a cached one: the same headers and validators (the gzipped body has the ETag of the
 * HTML with `-gz`), unzipped for the rare client that does not take gzip.
 */
export function sendStored(request: FastifyRequest, reply: FastifyReply, maxAgeSeconds: number, page: { etag: string; body: Buffer }): FastifyReply {
  publicCaching(reply, maxAgeSeconds);
  if (acceptsGzip(request.headers['accept-encoding'])) return sendValidated(request, reply, gzipEtag(page.etag), HTML, page.body, true);
  return sendValidated(request, reply, page.etag, HTML, gunzipSync(page.body), false);
}

const HTML = 'text/html; charset=utf-8';

/** Proxies and mirrors may keep a public page for `maxAgeSeconds`, per encoding. */
function publicCaching(reply: FastifyReply, maxAgeSeconds: number): void {
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`).header('vary', 'accept-encoding');
}

/** Each representation has its own strong validator (RFC 9110 §8.8.3): the gzipped one ends in `-gz`. */
function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}-gz"`;
}

/** Sends one representation under its ETag, or 304 without a body when `If-None-Match` has it. */
function sendValidated(request: FastifyRequest, reply: FastifyReply, etag: string, type: string, body: string | Buffer, gzipped: boolean): FastifyReply {
  reply.header('etag', etag);
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.type(type);
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.send(body);
}

/** Whether `Accept-Encoding` allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * The cache key of a page: its path as the route read it and the parameters it read, already
 * checked and normalised, in the order given; a parameter at its default (`undefined`, page 1,
 * an empty search) is left out, so `/en/statements` and `/en/statements?page=1&junk=x` are one
 * entry. Built from the values the route parsed, never from the raw URL: an unknown or repeated
 * parameter cannot make a new entry, and a malformed one is refused before any page is built.
 */
export function routeKey(path: string, params: Record<string, string | number | undefined> = {}): string {
  const kept = Object.entries(params).filter(([name, value]) => value !== undefined && value !== '' && !(name === 'page' && value === 1));
  return kept.length === 0 ? path : `${path}?${new URLSearchParams(kept.map(([n, v]) => [n, String(v)])).toString()}`;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}
