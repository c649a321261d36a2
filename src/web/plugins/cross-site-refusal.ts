import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../../domain/service-error.js';

/**
 * `Sec-Fetch-Site` values of requests this site's own pages (`same-origin`) or the person
 * (`none`: typed, bookmarked) started. `same-site` is refused too: a page on another subdomain
 * is still another site's page. https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header
 */
const OWN_REQUEST = new Set(['same-origin', 'none']);

/**
 * True when the browser says another site's page sent this request. Without the header (older
 * browsers, curl, scripts, every non-browser client of the API) nothing is known, and the
 * request is let through: the header is what browsers add, never what a client must send.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && !OWN_REQUEST.has(String(site));
}

/**
 * An `onRequest` hook for public routes that write (submit, receipt look-up, retraction): a form
 * any web page can post would let that page fill the review queue through its visitors'
 * browsers. Refused before the body is read, with `cross_site_refused` (a localized page, or
 * JSON under /api/).
 */
export async function refuseCrossSite(request: FastifyRequest): Promise<void> {
  if (isCrossSite(request)) throw new ServiceError({ code: 'cross_site_refused' });
}
