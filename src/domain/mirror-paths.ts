import path from 'node:path/posix';
import { LOCALES } from './locales.js';

// Where each public address lives in a static mirror (`rcenter export-site`, docs/mirror.md), and
// how a page's links are rewritten to point there. A mirror works from any path prefix, from
// file:// and from an onion address, so every link names a file, relative to the page it is on:
// `/en/s/12` on `en/statements/2026-12-01.html` becomes `../s/12.html`.

const LOCALE = `(?:${LOCALES.join('|')})`;
/** HTML pages: `/{locale}/` and the named pages under it; `?page=N` gives another file of the same list. */
const HTML_PAGE = new RegExp(
  `^/${LOCALE}/(?:statements(?:/\\d{4}-\\d{2}-\\d{2})?|s/[1-9]\\d{0,9}|articles|categories(?:/[a-z]+/[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,99})?|stats|methodology|search|submit|receipt)$`,
);
const PAGED = /^\/[a-z-]+\/(?:statements|articles|categories\/)/;
const SAME_PATH = new RegExp(`^/(?:${LOCALE}/(?:articles/)?feed\\.atom|assets/[A-Za-z0-9_.-]+|log/(?:checkpoint|key|tile/[a-z0-9./]+)|pagefind/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*|api/v1/stats\\.xml|api/v1/open-data/daily\\.(?:json|csv))$`);

/**
 * The file (relative to the mirror's root) that holds `address` (a path with an optional query),
 * or undefined when a mirror has none (staff pages, the API's queries, anything unknown).
 */
export function mirrorFile(address: string): string | undefined {
  const [pathname = '', query = ''] = address.split('?', 2);
  if (pathname === '/') return 'index.html';
  // No empty, `.` or `..` segment: each address has one file, inside the mirror.
  const segments = pathname.slice(1).split('/');
  if (segments.some((part, i) => part === '.' || part === '..' || (part === '' && i < segments.length - 1))) return undefined;
  if (new RegExp(`^/${LOCALE}/$`).test(pathname)) return `${pathname.slice(1)}index.html`;
  if (HTML_PAGE.test(pathname)) {
    const page = PAGED.test(pathname) ? Number(/(?:^|&)page=([1-9]\d{0,3})(?:&|$)/.exec(query)?.[1] ?? '1') : 1;
    return page > 1 ? `${pathname.slice(1)}.page-${page}.html` : `${pathname.slice(1)}.html`;
  }
  if (pathname === '/api/v1/stats') return 'api/v1/stats.json';
  if (SAME_PATH.test(pathname) && !pathname.endsWith('/')) return pathname.slice(1);
  return undefined;
}

/** The file of one day's statements as the API gives them (all pages in one): what `rcenter verify DIR` reads. */
export function dayStatementsFile(day: string): string {
  return `api/v1/statements/${day}.json`;
}

/** The files of one statement's pages, one per locale. */
export function statementFiles(registrationNumber: number): string[] {
  return LOCALES.map((locale) => `${locale}/s/${registrationNumber}.html`);
}

/** A link from the file `from` to the file `to`, both relative to the mirror's root. */
export function relativeLink(from: string, to: string): string {
  const link = path.relative(path.dirname(from), to);
  return link === '' ? path.basename(to) : link;
}

const ATTRIBUTE_LINK = /(?<=\s)(href|src|action)="([^"]*)"/g;

/**
 * `body` (HTML or Atom, as the service wrote it) with every link to the service made relative to
 * `file`: root-relative links, and absolute ones to one of `origins` (the center's addresses as
 * the page may name them). A link to an address the mirror has no file for is left as it was.
 */
export function rewriteLinks(body: string, file: string, origins: readonly string[] = []): string {
  return body.replace(ATTRIBUTE_LINK, (whole, attribute: string, value: string) => {
    let address = value.replaceAll('&amp;', '&');
    const origin = origins.find((o) => address === o || address.startsWith(`${o}/`));
    if (origin !== undefined) address = address.slice(origin.length) || '/';
    if (!address.startsWith('/') || address.startsWith('//')) return whole;
    const hash = address.indexOf('#');
    const fragment = hash >= 0 ? address.slice(hash) : '';
    const target = mirrorFile(hash >= 0 ? address.slice(0, hash) : address);
    if (target === undefined) return whole;
    return `${attribute}="${relativeLink(file, target)}${fragment.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`;
  });
}
