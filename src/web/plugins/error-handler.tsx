import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, negotiateLocale, type Locale } from '../../domain/locales.js';
import { errorMessage, ServiceError, type FieldError } from '../../domain/service-error.js';
import { describeDatabaseError, isDatabaseUnavailable } from '../../storage/database-errors.js';
import { isConsolePath } from '../routes/staff/console-path.js';
import { ErrorPage } from '../views/error-page.js';
import { renderPage } from '../views/render.js';
import { StaffErrorPage } from '../views/staff/staff-error-page.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Fastify's own errors that are the client's doing, mapped to the catalog. */
const FASTIFY_CODES: Record<string, FieldError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_json', field: 'body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', field: 'body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', field: 'body' },
  // An address with broken percent-encoding (`/en/s/%FF`), and a path segment over the router's
  // limit: through `frameworkErrors` (app.ts), else Fastify answers with its own JSON body.
  FST_ERR_BAD_URL: { code: 'invalid_encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'not_found' },
};

/** What a client is told to wait when the database is unavailable (down, full, overloaded). */
const DATABASE_RETRY_AFTER_SECONDS = 5;
/** At most one log line per this many milliseconds about an unavailable database. */
const UNAVAILABLE_LOG_INTERVAL_MS = 5_000;

/**
 * One error path for the whole app. Known errors answer with their catalog code and status, as
 * JSON under /api/, as a console page under /staff (with a link to sign in when that is what is
 * missing) and as a localized page elsewhere; anything else is logged (without the request) and
 * answered with a generic `internal` error that reveals nothing.
 *
 * A database that cannot be used just now (database-errors.ts: PostgreSQL stopped or out of
 * connections, a lost connection, a timeout, SQLite's disk full) is `unavailable`, 503 with
 * `Retry-After`, on every route; it is logged at most once per 5 seconds, with the error's code
 * and message only, and how many more there were.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  const logUnavailable = unavailableLog(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toServiceError(error);
    if (known?.code === 'unavailable' && !(error instanceof ServiceError)) logUnavailable(error);
    else if (!known) request.log.error({ err: error }, 'unhandled error');
    send(request, reply, known ?? new ServiceError({ code: 'internal' }));
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, new ServiceError({ code: 'not_found' })));
}

/**
 * Fastify's `frameworkErrors`: errors raised before routing (a bad URL) are answered like any
 * other refusal, with a catalogued code, instead of Fastify's own body.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // No hook runs for these: the headers every response carries are set here.
  reply.headers(SECURITY_HEADERS).header('cache-control', 'no-store');
  send(request, reply, toServiceError(error) ?? new ServiceError({ code: 'internal' }));
}

function toServiceError(error: unknown): ServiceError | undefined {
  if (error instanceof ServiceError) return error;
  const code = (error as FastifyError).code;
  if (code && FASTIFY_CODES[code]) return new ServiceError(FASTIFY_CODES[code]);
  // A request that the client aborted or sent with an unusable body (e.g. bad Content-Length).
  const status = (error as FastifyError).statusCode;
  if (status === 400) return new ServiceError({ code: 'invalid_json', field: 'body' });
  if (status === 413) return new ServiceError({ code: 'payload_too_large' });
  if (status === 415) return new ServiceError({ code: 'unsupported_media_type' });
  if (isDatabaseUnavailable(error)) return new ServiceError({ code: 'unavailable' }, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  return undefined;
}

/** Logs an unavailable database without the request, at most once per interval, counting the rest. */
function unavailableLog(app: FastifyInstance): (error: unknown) => void {
  let last = 0;
  let unlogged = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < UNAVAILABLE_LOG_INTERVAL_MS) {
      unlogged++;
      return;
    }
    app.log.error({ database: describeDatabaseError(error), suppressed: unlogged }, 'database unavailable: answered 503');
    last = now;
    unlogged = 0;
  };
}

function send(request: FastifyRequest, reply: FastifyReply, error: ServiceError): void {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply.code(error.status);
  // The API and the transparency log (machines read both) answer errors in JSON.
  if (request.url.startsWith('/api/') || request.url.startsWith('/log/')) {
    const locale = negotiateLocale(request.headers['accept-language'], 'en');
    const view = (e: FieldError) => ({ code: e.code, message: errorMessage(e, locale), ...(e.field ? { field: e.field } : {}) });
    reply.send({ error: view(error.errors[0]!), errors: error.errors.map(view) });
    return;
  }
  if (isConsolePath(request.url)) {
    // Console pages: in the console's shell, and "sign in" leads to the sign-in page.
    const locale = negotiateLocale(request.headers['accept-language']);
    reply.type('text/html; charset=utf-8').send(renderPage(<StaffErrorPage locale={locale} error={error} />));
    return;
  }
  const locale = pageLocale(request);
  reply.type('text/html; charset=utf-8').send(errorPage(locale, error.errors[0]!));
}

/** The `unavailable` page per locale, rendered once: under a flood every refused form gets it. */
const unavailablePages = new Map<Locale, string>();

function errorPage(locale: Locale, error: FieldError): string {
  const render = () => renderPage(<ErrorPage locale={locale} message={errorMessage(error, locale)} />);
  if (error.code !== 'unavailable' || error.field !== undefined) return render();
  let page = unavailablePages.get(locale);
  if (page === undefined) unavailablePages.set(locale, (page = render()));
  return page;
}

function pageLocale(request: FastifyRequest): Locale {
  const first = request.url.split('/')[1];
  return isLocale(first) ? first : negotiateLocale(request.headers['accept-language']);
}
