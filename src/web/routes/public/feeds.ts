import type { FastifyInstance } from 'fastify';
import { readArticles, readLatest } from '../../../commands/publication/published-reader.js';
import { lastPublicationChange } from '../../../storage/publication/published-reading.repository.js';
import type { AppContext } from '../../app-context.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import { routeKey, sendCached } from '../../page-cache.js';
import { statementsFeed } from '../../presenters/feed-presenter.js';
import { presentForReader } from '../../presenters/statement-presenter.js';
import { localeOf } from './locale-param.js';
import { PAGE_MAX_AGE } from './reading-pages.js';

const ATOM = 'application/atom+xml; charset=utf-8';

/** Atom feeds per locale: `/{locale}/feed.atom` (latest statements) and `/{locale}/articles/feed.atom`. */
export function registerFeeds(app: FastifyInstance, ctx: AppContext): void {
  const { database } = ctx;
  const feeds = [
    { path: 'feed.atom', title: (t: (typeof UI_TEXT)['en']) => t.latestTitle, read: readLatest, size: 50 },
    { path: 'articles/feed.atom', title: (t: (typeof UI_TEXT)['en']) => t.featuredTitle, read: readArticles, size: 20 },
  ];
  for (const feed of feeds) {
    app.get<{ Params: { locale: string } }>(`/:locale/${feed.path}`, async (request, reply) => {
      const locale = localeOf(request.params);
      const base = ctx.config.publicUrl ?? requestOrigin(request.protocol, request.host);
      return sendCached(ctx.pages, request, reply, PAGE_MAX_AGE, async () => {
        const [slice, last] = await Promise.all([feed.read(database, locale, 1, feed.size), lastPublicationChange(database.db)]);
        const statements = slice.items.map((i) => presentForReader(i, locale));
        const settings = { locale, base, path: `/${locale}/${feed.path}`, title: feed.title(UI_TEXT[locale]), updated: new Date(last ?? 0) };
        return { body: statementsFeed(settings, statements), type: ATOM };
      }, `${base}${routeKey(`/${locale}/${feed.path}`)}`);
    });
  }
}

/**
 * Without PUBLIC_URL, links are made absolute with the address the reader used (so readers of an
 * onion service get onion links). The cache key includes it, so one reader's Host header never
 * reaches another's feed; anything that is not a plain host name becomes localhost.
 */
function requestOrigin(protocol: string, host: string): string {
  const safeHost = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/i.test(host) || /^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host) ? host.toLowerCase() : 'localhost';
  return `${protocol === 'https' ? 'https' : 'http'}://${safeHost}`;
}
