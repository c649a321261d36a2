import type { FastifyInstance } from 'fastify';
import { readStatistics } from '../../../commands/statistics-reader.js';
import type { AppContext } from '../../app-context.js';
import { routeKey } from '../../page-cache.js';
import { MethodologyPage } from '../../views/stats/methodology-page.js';
import { StatsPage } from '../../views/stats/stats-page.js';
import { localeOf } from './locale-param.js';
import { page } from './reading-pages.js';

type LocaleParams = { Params: { locale: string } };

/** The statistics page (charts drawn on the server, no script) and the methodology page. */
export function registerStatsPages(app: FastifyInstance, ctx: AppContext): void {
  app.get<LocaleParams>('/:locale/stats', async (request, reply) => {
    const locale = localeOf(request.params);
    return page(ctx, request, reply, routeKey(`/${locale}/stats`), async () => <StatsPage locale={locale} stats={await readStatistics(ctx.database)} />);
  });

  app.get<LocaleParams>('/:locale/methodology', async (request, reply) => {
    const locale = localeOf(request.params);
    return page(ctx, request, reply, routeKey(`/${locale}/methodology`), async () => <MethodologyPage locale={locale} minCell={ctx.config.openDataMinCell} />);
  });
}
