import type { FastifyInstance } from 'fastify';
import { readCategory, readStatements } from '../../../commands/publication/published-reader.js';
import { liveFigures } from '../../../commands/ended-days.js';
import { searchStatements } from '../../../commands/statement-search.js';
import type { Locale } from '../../../domain/locales.js';
import { OCCUPATIONS } from '../../../domain/occupations.js';
import { REGIONS } from '../../../domain/regions.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { Category } from '../../../storage/publication/published-reading.repository.js';
import type { AppContext } from '../../app-context.js';
import { routeKey } from '../../page-cache.js';
import { presentForReader } from '../../presenters/statement-presenter.js';
import { CategoriesPage, CategoryPage, combinationSlug, ORGANIZATION_COMBINATIONS } from '../../views/public/categories-page.js';
import { SearchPage } from '../../views/public/search-page.js';
import { organizationsText } from '../../views/public/statement-parts.js';
import { localeOf } from './locale-param.js';
import { page } from './reading-pages.js';
import { readPage, readSearchQuery } from './reading-params.js';

type Params = { Params: { locale: string; kind: string; value: string }; Querystring: { page?: string; q?: string } };

/** Ways to find statements under /{locale}/: categories and full-text search. */
export function registerFindingPages(app: FastifyInstance, ctx: AppContext): void {
  const { database } = ctx;

  app.get<Params>('/:locale/categories', async (request, reply) => {
    const locale = localeOf(request.params);
    return page(ctx, request, reply, routeKey(`/${locale}/categories`), async () => <CategoriesPage locale={locale} regionCounts={(await liveFigures(database, new Date().toISOString().slice(0, 10))).net('region')} />);
  });

  app.get<Params>('/:locale/categories/:kind/:value', async (request, reply) => {
    const locale = localeOf(request.params);
    const { category, name } = readCategoryParams(request.params.kind, request.params.value, locale);
    const pageNumber = readPage(request.query.page);
    const path = `/categories/${request.params.kind}/${request.params.value}`;
    return page(ctx, request, reply, routeKey(`/${locale}${path}`, { page: pageNumber }), async () => {
      const slice = await readCategory(database, locale, category, pageNumber, 50);
      const statements = slice.items.map((i) => presentForReader(i, locale));
      return <CategoryPage locale={locale} name={name} path={path} statements={statements} page={pageNumber} hasMore={slice.hasMore} />;
    });
  });

  app.get<Params>('/:locale/search', async (request, reply) => {
    const locale = localeOf(request.params);
    const q = readSearchQuery(request.query.q);
    const pageNumber = readPage(request.query.page);
    return page(ctx, request, reply, routeKey(`/${locale}/search`, { q, page: pageNumber }), async () => {
      const found = await searchStatements(database, q, pageNumber, 20);
      const results = found.empty ? null : (await readStatements(database, locale, found.numbers)).map((i) => presentForReader(i, locale));
      return <SearchPage locale={locale} q={q} results={results} highlight={found.highlight} page={pageNumber} hasMore={found.hasMore} />;
    }, ctx.searches);
  });
}

/** The category a path names, with its name in the reader's language; unknown ones are 404. */
function readCategoryParams(kind: string, value: string, locale: Locale): { category: Category; name: string } {
  if (kind === 'regions') {
    const region = REGIONS.find(([code]) => code === value);
    if (region) return { category: { kind: 'region', region: value }, name: region[1][locale] };
  } else if (kind === 'occupations') {
    const occupation = OCCUPATIONS.find(([code]) => code === value);
    if (occupation) return { category: { kind: 'occupation', occupation: value }, name: occupation[1][locale] };
  } else if (kind === 'organizations') {
    const combination = ORGANIZATION_COMBINATIONS.find((c) => combinationSlug(c) === value);
    if (combination) return { category: { kind: 'organizations', organizations: combination }, name: organizationsText(combination, locale) };
  }
  throw new ServiceError({ code: 'not_found' });
}

