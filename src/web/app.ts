import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { negotiateLocale } from '../domain/locales.js';
import type { Database } from '../storage/database.js';
import { createSubmissionWriter } from '../storage/submission-writer.js';
import type { AppContext } from './app-context.js';
import { registerBodyParsers } from './plugins/body-parsers.js';
import { answerFrameworkError, registerErrorHandling } from './plugins/error-handler.js';
import { ProofOfWork } from './plugins/proof-of-work.js';
import { RateLimiter } from './plugins/rate-limiter.js';
import { AccountThrottle } from './plugins/account-throttle.js';
import { registerRequestLog } from './plugins/request-log.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerLoadShedder } from './plugins/load-shedder.js';
import { registerWorkBudget, WorkBudget } from './plugins/work-budget.js';
import { registerIntakeApi } from './routes/api/intake-routes.js';
import { registerReadingApi } from './routes/api/reading-routes.js';
import { registerStaffApi } from './routes/api/staff-routes.js';
import { registerAssets } from './routes/public/assets.js';
import { registerIntakePages } from './routes/public/intake-pages.js';
import { registerReadingPages } from './routes/public/reading-pages.js';
import { registerFindingPages } from './routes/public/finding-pages.js';
import { registerFeeds } from './routes/public/feeds.js';
import { registerStatsPages } from './routes/public/stats-pages.js';
import { registerOpenDataApi } from './routes/api/open-data-routes.js';
import { publicationHeadOf } from '../commands/publication/publication-head.js';
import { StatementPageFiller } from './statement-page-filler.js';
import { PageCache } from './page-cache.js';
import { registerStaffConsole } from './routes/staff/staff-console.js';
import { registerLogRoutes, type LogContext } from './routes/public/log-routes.js';
import { keyName, logIdentity, logOrigin, type LogKey } from '../commands/log/log-identity.js';
import { LogHead } from '../commands/log/log-head.js';
import { createLogSequencer, type LogSequencer, type LogSequencerSchedule } from '../commands/log/log-sequencer-job.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  roles: readonly string[] | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
    /** Resolves once the statement pages read so far are stored (tests await background work). */
    statementPagesIdle(): Promise<void>;
    /**
     * Empties the in-memory page caches, for tests that change rows by hand (no publication event)
     * and must see the next answer come from the database.
     */
    forgetCachedPages(): void;
    /** The transparency log's sequencer: started by `serve`, drained by tests (log-sequencer-job.ts). */
    logSequencer: LogSequencer;
  }
}

export interface BuildAppOptions {
  /** Where log lines go; defaults to stdout. Tests pass a stream to read every line. */
  logStream?: NodeJS.WritableStream;
  /** The in-memory limits to use (tests flood them directly); new ones by default. */
  limits?: { limiter?: RateLimiter; accounts?: AccountThrottle; work?: WorkBudget; holdRefusalMs?: number };
  /** The transparency log's key, named by its origin (`logOrigin`); an ephemeral one when absent. */
  logKey?: LogKey;
  /** Witness cosignature lines to serve after a checkpoint's own signature (none by default). */
  logCosignatures?: LogContext['cosignatures'];
  /** How the log sequencer paces itself once started. */
  logSequencer?: LogSequencerSchedule;
}

/** Largest request body: 20 people and 20,000 characters of text fit well inside. */
const BODY_LIMIT = 256 * 1024;

/** Builds the whole service without listening, so tests can `inject()` requests. */
export async function buildApp(config: Config, database: Database, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // The defaults would log the client address and port (promise 1): only method and path.
      serializers: { req: () => ({}), res: () => ({}) },
    },
    // Fastify's own request lines carry the client address; ours (request-log.ts) do not.
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count N trusts the N nearest proxies, as proxy-addr does.
    trustProxy:
      typeof config.trustProxy === 'number' ? (_address: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    bodyLimit: BODY_LIMIT,
    // Slow-loris: a request must arrive whole within this time. Node looks for overdue requests
    // every `connectionsCheckingInterval` (30 s by default, which would double the allowance).
    requestTimeout: config.requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs) },
    connectionTimeout: 60_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    frameworkErrors: answerFrameworkError,
  });

  const writer = createSubmissionWriter(database, config.groupCommit);
  // Cached pages follow the publication log: whatever any process publishes, they are dropped.
  const head = publicationHeadOf(database);
  const followHead = () => head.current();
  const ctx: AppContext = {
    config,
    database,
    writer,
    limiter: options.limits?.limiter ?? new RateLimiter(),
    accounts: options.limits?.accounts ?? new AccountThrottle(),
    proofOfWork: new ProofOfWork({ hmacKey: config.altchaHmacKey, maxNumber: config.altchaMaxNumber }),
    pages: new PageCache(5_000, 10_000, followHead),
    searches: new PageCache(2_000, 10_000, followHead),
    statementPages: new StatementPageFiller(database, app.log),
    log: {
      // A given key names the log (rcenter log keygen --name); an ephemeral one follows PUBLIC_URL.
      identity: logIdentity(options.logKey ? keyName(options.logKey) : logOrigin(config.publicUrl), options.logKey),
      head: new LogHead(database),
      cosignatures: options.logCosignatures ?? (() => ''),
    },
  };
  const logSequencer = createLogSequencer(
    database,
    ctx.log.identity,
    { failed: (error) => app.log.error({ err: error }, 'transparency log: integration failed; tried again shortly') },
    options.logSequencer,
  );
  app.decorate('logSequencer', logSequencer);
  app.addHook('onClose', async () => {
    await logSequencer.stop();
    await ctx.statementPages.close();
  });

  // Every route as registered, for the authorization matrix test: no route escapes it.
  const registeredRoutes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url, roles: route.config?.roles });
    }
  });
  app.decorate('registeredRoutes', registeredRoutes);
  app.decorate('statementPagesIdle', () => ctx.statementPages.idle());
  app.decorate('forgetCachedPages', () => {
    ctx.pages.clear();
    ctx.searches.clear();
  });

  registerRequestLog(app);
  registerSecurityHeaders(app);
  registerErrorHandling(app);
  if (config.rateLimits.enabled) {
    const work = options.limits?.work ?? new WorkBudget({ msPerSecond: config.rateLimits.workMsPerSecond, burstMs: config.rateLimits.workBurstMs });
    registerWorkBudget(app, work, { holdRefusalMs: options.limits?.holdRefusalMs });
  }
  registerLoadShedder(app, {
    maxInFlight: config.maxPostsInFlight,
    intake: { maxQueue: config.groupCommit.maxQueue, pending: () => writer.pending },
  });
  registerBodyParsers(app, { bodyTimeoutMs: config.requestTimeoutMs });
  registerAssets(app);

  app.get('/', async (request, reply) =>
    reply.header('vary', 'accept-language').redirect(`/${negotiateLocale(request.headers['accept-language'])}/`, 303),
  );
  app.get('/healthz', async () => ({ ok: true }));
  registerReadingPages(app, ctx);
  registerFindingPages(app, ctx);
  registerFeeds(app, ctx);
  registerStatsPages(app, ctx);
  registerIntakePages(app, ctx);
  registerLogRoutes(app, ctx);
  await app.register(async (api) => registerIntakeApi(api, ctx), { prefix: '/api/v1' });
  await app.register(async (api) => registerReadingApi(api, ctx), { prefix: '/api/v1' });
  await app.register(async (api) => registerOpenDataApi(api, ctx), { prefix: '/api/v1' });
  await registerStaffApi(app, ctx);
  await registerStaffConsole(app, ctx);
  return app;
}
