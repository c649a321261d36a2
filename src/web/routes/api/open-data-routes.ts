import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance } from 'fastify';
import { readOpenData } from '../../../commands/open-data-reader.js';
import { openDataRange } from '../../../domain/open-data.js';
import type { AppContext } from '../../app-context.js';
import { sendCached } from '../../page-cache.js';
import { OPEN_DATA_COLUMNS, presentOpenData, presentOpenDataRow } from '../../presenters/open-data-presenter.js';

/** How long proxies may keep a file: the figures of past days change only by a late decision. */
const OPEN_DATA_MAX_AGE = 300;

type RangeQuery = { Querystring: { from?: string; to?: string } };

/**
 * Open data under /api/v1/open-data: persons per day × region × organisation × channel, small
 * cells withheld (docs/open-data.md). The same rows as CSV and as JSON.
 */
export function registerOpenDataApi(app: FastifyInstance, ctx: AppContext): void {
  const read = (query: RangeQuery['Querystring']) => {
    const range = openDataRange(query.from, query.to, new Date().toISOString().slice(0, 10));
    return () => readOpenData(ctx.database, range, ctx.config.openDataMinCell);
  };

  app.get<RangeQuery>('/open-data/daily.json', (request, reply) => {
    const load = read(request.query);
    return sendCached(ctx.pages, request, reply, OPEN_DATA_MAX_AGE, async () => ({
      body: JSON.stringify(presentOpenData(await load())),
      type: 'application/json; charset=utf-8',
    }));
  });

  app.get<RangeQuery>('/open-data/daily.csv', (request, reply) => {
    const load = read(request.query);
    return sendCached(ctx.pages, request, reply, OPEN_DATA_MAX_AGE, async () => {
      const rows = (await load()).rows.map(presentOpenDataRow);
      // A withheld count is an empty field; the `suppressed` column says which ones.
      const body = stringify(rows, { header: true, columns: [...OPEN_DATA_COLUMNS], cast: { number: String }, record_delimiter: 'windows' });
      return { body, type: 'text/csv; charset=utf-8; header=present' };
    });
  });
}
