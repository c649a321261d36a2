import type { FastifyInstance } from 'fastify';
import { readLoggedCount } from '../../../commands/log/logged-count-reader.js';
import { readDayList, readLatest, readStatement } from '../../../commands/publication/published-reader.js';
import type { PublicCount } from '../../../domain/public-count.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { AppContext } from '../../app-context.js';
import { routeKey, sendCached } from '../../page-cache.js';
import { presentStatement } from '../../presenters/statement-presenter.js';
import { readDay as readDayParam, readPage, readRegistrationNumber } from '../public/reading-params.js';

/** How long proxies may keep the counter: widgets poll it. */
const COUNTER_MAX_AGE = 30;
const LIST_MAX_AGE = 60;
const PAGE_SIZE = 100;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Public JSON API of the published record, under /api/v1: the counter and the statements. */
export function registerReadingApi(app: FastifyInstance, ctx: AppContext): void {
  const { database } = ctx;

  // The counter is the tally of the latest checkpoint (docs/log.md): cached under the log's size
  // as well as the publication head, since the log catches up after the head has moved.
  app.get('/stats', async (request, reply) => {
    const latest = await ctx.log.head.current();
    return sendCached(ctx.pages, request, reply, COUNTER_MAX_AGE, async () => ({ body: JSON.stringify(await readLoggedCount(database, ctx.log.identity.origin, latest)), type: JSON_TYPE }), routeKey('/api/v1/stats', { log: latest?.size ?? 0 }));
  });

  app.get('/stats.xml', async (request, reply) => {
    const latest = await ctx.log.head.current();
    return sendCached(ctx.pages, request, reply, COUNTER_MAX_AGE, async () => ({ body: counterXml(await readLoggedCount(database, ctx.log.identity.origin, latest)), type: 'application/xml; charset=utf-8' }), routeKey('/api/v1/stats.xml', { log: latest?.size ?? 0 }));
  });

  app.get<{ Querystring: { date?: string; page?: string } }>('/statements', (request, reply) => {
    const date = request.query.date === undefined ? undefined : readDayParam(request.query.date);
    const page = readPage(request.query.page);
    return sendCached(ctx.pages, request, reply, LIST_MAX_AGE, async () => {
      // The original text, unconverted: API clients choose their own script.
      const slice = date ? await readDayList(database, 'en', date, page, PAGE_SIZE) : await readLatest(database, 'en', page, PAGE_SIZE);
      const statements = slice.items.map((i) => presentStatement(i.record));
      return { body: JSON.stringify({ ...(date ? { date } : {}), page, hasMore: slice.hasMore, statements }), type: JSON_TYPE };
    }, routeKey('/api/v1/statements', { date, page }));
  });

  app.get<{ Params: { number: string } }>('/statements/:number', (request, reply) => {
    const registrationNumber = readRegistrationNumber(request.params.number);
    return sendCached(ctx.pages, request, reply, LIST_MAX_AGE, async () => {
      const found = await readStatement(database, 'en', registrationNumber);
      if (!found) throw new ServiceError({ code: 'not_found' });
      return { body: JSON.stringify(presentStatement(found.record)), type: JSON_TYPE };
    }, routeKey(`/api/v1/statements/${registrationNumber}`));
  });
}

/** The counter as the XML that existing counter widgets read: upper-case elements, one figure each. */
export function counterXml(count: PublicCount & { log?: { size: number; rootHash: string } }): string {
  const element = (name: string, value: string | number) => `  <${name}>${value}</${name}>\n`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<STATS>\n' +
    element('TOTAL', count.total) +
    element('TODAY', count.today) +
    element('YESTERDAY', count.yesterday) +
    element('THISWEEK', count.thisWeek) +
    element('THISMONTH', count.thisMonth) +
    // An ISO 8601 time (only digits, '-', ':', 'T', '.', 'Z': nothing to escape), empty before the first publication.
    element('LASTUPDATE', count.lastUpdate ?? '') +
    // The checkpoint the figures are from (docs/log.md): after the elements widgets already read.
    // A size is digits and a root hash base64 (A–Z, a–z, 0–9, +, /, =): nothing to escape.
    (count.log ? element('LOGSIZE', count.log.size) + element('LOGROOTHASH', count.log.rootHash) : '') +
    '</STATS>\n'
  );
}
