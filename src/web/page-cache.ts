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

/** Bodies smaller than this are sent as they are: compressing them saves nothing worth the work. */
const GZIP_MIN_BYTES = 1024;

/**
 * Hot public pages kept in memory, by URL. Dropped whole when a publication changes what the
 * public sees (publication-events.ts); entries also expire after `ttlMs`, which bounds how stale
 * a page can be when another process published. Least recently used entries go first.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  /** Keys asked for once and not cached yet: a page is cached on its second request. */
  private readonly seenOnce = new Map<string, true>();

  constructor(
    private readonly maxEntries = 5_000,
    private readonly ttlMs = 10_000,
  ) {}

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

  set(key: string, body: string, type: string, now = Date.now()): CachedPage {
    const page = { body, type, etag: etagOf(body), expires: now + this.ttlMs };
    this.pages.delete(key);
    this.pages.set(key, page);
    while (this.pages.size > this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
    return page;
  }

  /**
   * Whether a page just built for `key` should be kept: only when it was asked for before, so a
   * stream of single-use pages (random old statements) cannot push the hot ones out and churn the
   * heap. Remembers at most `maxEntries` × 4 keys.
   */
  admit(key: string): boolean {
    if (this.seenOnce.delete(key)) return true;
    this.seenOnce.set(key, true);
    if (this.seenOnce.size > this.maxEntries * 4) this.seenOnce.delete(this.seenOnce.keys().next().value!);
    return false;
  }

  clear(): void {
    this.pages.clear();
    this.seenOnce.clear();
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
 */
export async function sendCached(
  cache: PageCache,
  request: FastifyRequest,
  reply: FastifyReply,
  maxAgeSeconds: number,
  build: () => Promise<{ body: string; type: string }>,
  key = cacheKey(request.url),
): Promise<FastifyReply> {
  let page = cache.get(key);
  const hit = page !== undefined;
  if (!page) {
    const built = await build();
    page = cache.admit(key) ? cache.set(key, built.body, built.type) : { ...built, etag: etagOf(built.body), expires: 0 };
  }
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`).header('vary', 'accept-encoding');
  // Compressed from the second request on: a page asked for once (a random old statement) is not
  // worth the work; one asked for again (home, lists, popular statements) is.
  if ((hit || page.gzip) && acceptsGzip(request.headers['accept-encoding']) && Buffer.byteLength(page.body) >= GZIP_MIN_BYTES) {
    page.gzip ??= gzipSync(page.body);
    // Each representation has its own strong validator (RFC 9110 §8.8.3).
    const etag = `${page.etag.slice(0, -1)}-gz"`;
    reply.header('etag', etag);
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(page.type).header('content-encoding', 'gzip').send(page.gzip);
  }
  reply.header('etag', page.etag);
  if (matches(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  return reply.type(page.type).send(page.body);
}

/**
 * Answers with a page stored gzipped (statement pages, statement-pages.tsx), as `sendCached`
 * answers a cached one: the same headers and validators (the gzipped body has the ETag of the
 * HTML with `-gz`), unzipped for the rare client that does not take gzip.
 */
export function sendStored(request: FastifyRequest, reply: FastifyReply, maxAgeSeconds: number, page: { etag: string; body: Buffer }): FastifyReply {
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`).header('vary', 'accept-encoding');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    const etag = `${page.etag.slice(0, -1)}-gz"`;
    reply.header('etag', etag);
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').header('content-encoding', 'gzip').send(page.body);
  }
  reply.header('etag', page.etag);
  if (matches(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  return reply.type('text/html; charset=utf-8').send(gunzipSync(page.body));
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
 * The parameters public pages read. Others change nothing on a page, so they are left out of
 * the key: junk parameters cannot fill the cache or push hot pages out of it. A route that reads
 * another parameter must add it here.
 */
export const CACHE_KEY_PARAMETERS = ['date', 'page', 'q'] as const;

/** The path and the known parameters, in a fixed order. */
export function cacheKey(url: string): string {
  const [path = '', query = ''] = url.split('?', 2);
  if (!query) return path;
  const params = new URLSearchParams(query);
  const kept = CACHE_KEY_PARAMETERS.flatMap((name) => params.getAll(name).map((value) => [name, value]));
  return kept.length === 0 ? path : `${path}?${new URLSearchParams(kept).toString()}`;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}
