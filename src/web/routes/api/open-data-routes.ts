import { stringify } from 'csv-stringify/sync';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OpenDataMonths, type OpenData } from '../../../commands/open-data-reader.js';
import { openDataRange } from '../../../domain/open-data.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { AppContext } from '../../app-context.js';
import { PageCache, sendCached } from '../../page-cache.js';
import { OPEN_DATA_COLUMNS, presentOpenData, presentOpenDataRow } from '../../presenters/open-data-presenter.js';

/** How long proxies may keep a file: past days change only by a late decision. */
const OPEN_DATA_MAX_AGE = 300;
/**
 * Files kept in this process: a few (a year of rows is megabytes: 15 MB of JSON for 200,000
 * demo persons) for a minute each. Not dropped on publication like pages are: the files name
 * nobody, and a minute's lag is stated in docs/open-data.md.
 */
const CACHED_FILES = 6;
const CACHE_MS = 60_000;

type RangeQuery = { Querystring: { from?: string; to?: string } };

/**
 * Open data under /api/v1/open-data: persons per day × region × organisation × channel, small
 * cells withheld (docs/open-data.md). The same rows as CSV and as JSON.
 */
export function registerOpenDataApi(app: FastifyInstance, ctx: AppContext): void {
  const files = new PageCache(CACHED_FILES, CACHE_MS);
  const months = new OpenDataMonths(ctx.database, ctx.config.openDataMinCell);
  // One file put together at a time: a flood of different ranges waits here, in turn.
  let previous: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = previous.then(work, work);
    previous = next.catch(() => {});
    return next;
  };

  const serve = (request: FastifyRequest<RangeQuery>, reply: FastifyReply, file: string, render: (data: OpenData) => Promise<{ body: string; type: string }>) => {
    const today = new Date().toISOString().slice(0, 10);
    const asked = openDataRange(request.query.from, request.query.to, today);
    // The checked range with its end no later than today (days to come hold nothing), and the key
    // made of it alone: other parameters, or a later end, change nothing and cache nothing new.
    const range = { from: asked.from, to: asked.to < today ? asked.to : today };
    const key = `${file}?from=${range.from}&to=${range.to}`;
    if (!files.has(key)) limitOpenDataBuild(ctx, request.ip);
    return sendCached(files, request, reply, OPEN_DATA_MAX_AGE, () => oneAtATime(async () => render(await months.read(range, today))), key);
  };

  app.get<RangeQuery>('/open-data/daily.json', (request, reply) =>
    serve(request, reply, 'daily.json', async (data) => {
      // The document without its rows, then the rows spliced in chunk by chunk.
      const head = JSON.stringify(presentOpenData({ ...data, rows: [] })).slice(0, -2);
      const rows = await inSlices(data.rows, (slice) => slice.map((row) => JSON.stringify(presentOpenDataRow(row))).join(','));
      return { body: `${head}${rows.filter(Boolean).join(',')}]}`, type: 'application/json; charset=utf-8' };
    }),
  );

  app.get<RangeQuery>('/open-data/daily.csv', (request, reply) =>
    serve(request, reply, 'daily.csv', async (data) => {
      // A withheld count is an empty field; the `suppressed` column says which ones.
      const csv = (slice: OpenData['rows'], header: boolean) =>
        stringify(slice.map(presentOpenDataRow), { header, columns: [...OPEN_DATA_COLUMNS], record_delimiter: 'windows' });
      const chunks = await inSlices(data.rows, (slice, first) => csv(slice, first));
      return { body: data.rows.length === 0 ? csv([], true) : chunks.join(''), type: 'text/csv; charset=utf-8; header=present' };
    }),
  );
}

/** Rows per slice of a file's rendering: a few milliseconds each. */
const RENDER_SLICE = 2_000;

/** `render` over slices of `rows`, the event loop served between slices: a year of rows is 10 MB. */
async function inSlices<T>(rows: readonly T[], render: (slice: T[], first: boolean) => string): Promise<string[]> {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i += RENDER_SLICE) {
    parts.push(render(rows.slice(i, i + RENDER_SLICE), i === 0));
    await nextTurn();
  }
  return parts;
}

/**
 * A file that is not cached costs a rollup read and a rendering of up to a year of rows: counted
 * per client (by the limiter's HMAC of the address, promise 1); over the limit, 429. A cached
 * file costs nothing and is not counted.
 */
function limitOpenDataBuild(ctx: AppContext, address: string): void {
  const limits = ctx.config.rateLimits;
  if (!limits.enabled) return;
  const decision = ctx.limiter.hit('open-data', address, limits.openDataPerHour);
  if (!decision.allowed) throw new ServiceError({ code: 'rate_limited' }, { retryAfterSeconds: decision.retryAfterSeconds });
}
