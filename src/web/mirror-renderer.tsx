import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { LogKey } from '../commands/log/log-identity.js';
import type { SiteRenderer, Rendered } from '../commands/mirror/site-exporter.js';
import { cosignatureLines } from '../commands/witness-collector.js';
import type { Locale } from '../domain/locales.js';
import type { Database } from '../storage/database.js';
import { buildApp } from './app.js';
import { MIRROR_TEXT } from './i18n/mirror-text.js';
import { assetNames } from './routes/public/assets.js';
import { fill } from './views/public/statement-parts.js';
import { MirrorOfflinePage, MirrorRootPage, MirrorSearchPage } from './views/mirror/mirror-pages.js';
import { renderPage } from './views/render.js';

/** The host name a mirror's pages are asked for with: absolute links to it are made relative. */
const MIRROR_HOST = 'rcenter-mirror.invalid';

/**
 * The public site as `rcenter export-site` reads it: the service itself (buildApp, never
 * listening), asked page by page with `inject`, so that a mirror holds what a reader gets. Its
 * limits are off (the exporter is the only client) and it never starts the log's sequencer.
 */
export async function mirrorRenderer(config: Config, database: Database, logKey: LogKey): Promise<SiteRenderer> {
  const exportConfig: Config = { ...config, rateLimits: { ...config.rateLimits, enabled: false } };
  const app: FastifyInstance = await buildApp(exportConfig, database, {
    logKey,
    logStream: process.stderr,
    logCosignatures: (note, size) => cosignatureLines(database, note, size),
  });
  await app.ready();
  const origins = [`http://${MIRROR_HOST}`, ...(config.publicUrl ? [new URL(config.publicUrl).origin] : [])];
  return {
    origins,
    assets: assetNames(),
    async get(address: string): Promise<Rendered> {
      const response = await app.inject({ method: 'GET', url: address, headers: { host: MIRROR_HOST, 'accept-encoding': 'identity' } });
      return { status: response.statusCode, body: response.rawPayload, type: String(response.headers['content-type'] ?? '') };
    },
    page(kind, locale) {
      if (kind === 'root') return renderPage(<MirrorRootPage />);
      if (kind === 'search') return renderPage(<MirrorSearchPage locale={locale!} />);
      return renderPage(<MirrorOfflinePage locale={locale!} path={`/${kind}`} centerUrl={config.publicUrl} />);
    },
    note(locale: Locale, size: number, exportedAt: string, rootHash: string) {
      const text = fill(MIRROR_TEXT[locale].note, { size: size.toLocaleString('en'), date: exportedAt.slice(0, 16).replace('T', ' ') });
      return `<p class="mirror-note" data-checkpoint="${size} ${rootHash}">${escapeText(text)}</p>`;
    },
    close: async () => {
      await app.statementPagesIdle();
      await app.close();
    },
  };
}

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
