import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readPublicCount } from '../../../commands/count-reader.js';
import { readArticles, readDay, readLatest, readStatement, readStoredStatementPage } from '../../../commands/publication/published-reader.js';
import { ServiceError } from '../../../domain/service-error.js';
import { pageKey } from '../../../storage/publication/statement-page.repository.js';
import type { AppContext } from '../../app-context.js';
import { pageBuild } from '../../page-build.js';
import { routeKey, sendCached, sendStored } from '../../page-cache.js';
import { presentForReader } from '../../presenters/statement-presenter.js';
import { HomePage } from '../../views/home-page.js';
import { ArticlesPage } from '../../views/public/articles-page.js';
import { DayPage, LatestPage } from '../../views/public/statement-list-page.js';
import { StatementPage } from '../../views/public/statement-page.js';
import { renderPage } from '../../views/render.js';
import { localeOf } from './locale-param.js';
import { readDay as readDayParam, readPage, readRegistrationNumber } from './reading-params.js';

type LocaleParams = { Params: { locale: string }; Querystring: { page?: string } };

/** How long proxies and mirrors may keep a public page: short, so a retraction leaves them soon. */
export const PAGE_MAX_AGE = 60;

/** The reading pages under /{locale}/: home, latest, one day, one statement, articles. */
export function registerReadingPages(app: FastifyInstance, ctx: AppContext): void {
  const { database } = ctx;

  app.get<LocaleParams>('/:locale/', async (request, reply) => {
    const locale = localeOf(request.params);
    return page(ctx, request, reply, routeKey(`/${locale}/`), async () => {
      const [count, latest, featured] = await Promise.all([
        readPublicCount(database),
        readLatest(database, locale, 1, 10),
        readArticles(database, locale, 1, 5),
      ]);
      const present = (items: typeof latest.items) => items.map((i) => presentForReader(i, locale));
      return <HomePage locale={locale} count={count} latest={present(latest.items)} featured={present(featured.items)} />;
    });
  });

  app.get<LocaleParams>('/:locale/statements', async (request, reply) => {
    const locale = localeOf(request.params);
    const pageNumber = readPage(request.query.page);
    return page(ctx, request, reply, routeKey(`/${locale}/statements`, { page: pageNumber }), async () => {
      const slice = await readLatest(database, locale, pageNumber, 50);
      const statements = slice.items.map((i) => presentForReader(i, locale));
      return <LatestPage locale={locale} statements={statements} page={pageNumber} hasMore={slice.hasMore} />;
    });
  });

  app.get<LocaleParams & { Params: { day: string } }>('/:locale/statements/:day', async (request, reply) => {
    const locale = localeOf(request.params);
    const day = readDayParam(request.params.day);
    const pageNumber = readPage(request.query.page);
    return page(ctx, request, reply, routeKey(`/${locale}/statements/${day}`, { page: pageNumber }), async () => {
      const found = await readDay(database, locale, day, pageNumber, 50);
      const statements = found.items.map((i) => presentForReader(i, locale));
      return (
        <DayPage locale={locale} day={day} statements={statements} count={found.count} previous={found.previous} next={found.next} page={pageNumber} hasMore={found.hasMore} />
      );
    });
  });

  // One statement: from the page cache when it is hot; else as stored in the database
  // (statement-pages.tsx: served only while the statement is published, only pages rendered after
  // its latest publication event, and only pages of this build) — and kept in the page cache from its second request on, like any page; else rendered
  // now, and stored in the background for the next reader.
  app.get<LocaleParams & { Params: { number: string } }>('/:locale/s/:number', async (request, reply) => {
    const locale = localeOf(request.params);
    const registrationNumber = readRegistrationNumber(request.params.number);
    const key = routeKey(`/${locale}/s/${registrationNumber}`);
    const seq = await ctx.pages.follow();
    if (!ctx.pages.has(key)) {
      const stored = await readStoredStatementPage(database, registrationNumber, locale, pageBuild()).catch((error: unknown) => {
        // The store is only faster: if it cannot answer, the page is rendered as before.
        request.log.warn({ err: error }, 'stored statement page: look-up failed; rendered instead');
        return undefined;
      });
      if (stored) {
        if (ctx.pages.admitNumbered(pageKey(registrationNumber, locale))) {
          // Kept with the gzipped body it came with: the cache never compresses it again.
          const cached = ctx.pages.set(key, gunzipSync(stored.body).toString('utf8'), 'text/html; charset=utf-8', Date.now(), seq);
          cached.gzip = stored.body;
        }
        return sendStored(request, reply, PAGE_MAX_AGE, stored);
      }
    }
    return page(ctx, request, reply, key, async () => {
      const found = await readStatement(database, locale, registrationNumber);
      // Never published, or retracted (promise 6): the same 404 as any unknown address.
      if (!found) throw new ServiceError({ code: 'not_found' });
      ctx.statementPages.want(registrationNumber, locale);
      return <StatementPage locale={locale} statement={presentForReader(found, locale)} />;
    }, ctx.pages, seq);
  });

  app.get<LocaleParams>('/:locale/articles', async (request, reply) => {
    const locale = localeOf(request.params);
    const pageNumber = readPage(request.query.page);
    return page(ctx, request, reply, routeKey(`/${locale}/articles`, { page: pageNumber }), async () => {
      const slice = await readArticles(database, locale, pageNumber, 10);
      const articles = slice.items.map((i) => presentForReader(i, locale));
      return <ArticlesPage locale={locale} articles={articles} page={pageNumber} hasMore={slice.hasMore} />;
    });
  });
}

/** A cached HTML page under `key` (`routeKey`), in `cache`: the pages' by default. */
export function page(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: () => Promise<Parameters<typeof renderPage>[0]>,
  cache = ctx.pages,
  /** The head `cache.follow()` gave, when the caller asked already. */
  seq?: number,
) {
  return sendCached(cache, request, reply, PAGE_MAX_AGE, async () => ({ body: renderPage(await build()), type: 'text/html; charset=utf-8' }), key, seq);
}
