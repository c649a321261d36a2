import { gzipSync } from 'node:zlib';
import { LOCALES, type Locale } from '../domain/locales.js';
import type { Database } from '../storage/database.js';
import { findPublishedMany, highestRegistrationNumber, translationsOf, type PublishedRecord } from '../storage/publication/published-reading.repository.js';
import type { StatementTranslationTable } from '../storage/schema.js';
import { latestEventOf } from '../storage/publication/publication-log.repository.js';
import { saveStatementPages, statementsNeedingPages } from '../storage/publication/statement-page.repository.js';
import { pageBuild } from './page-build.js';
import { etagOf } from './page-cache.js';
import { presentForReader } from './presenters/statement-presenter.js';
import { StatementPage } from './views/public/statement-page.js';
import { renderPage } from './views/render.js';

/** A statement's page as a reader of `locale` gets it, rendered now. */
function renderStatementPage(record: PublishedRecord, translation: StatementTranslationTable | undefined, locale: Locale): string {
  return renderPage(<StatementPage locale={locale} statement={presentForReader({ record, translation }, locale)} />);
}

/** One page to store: which statement, in which locale. */
export interface WantedPage {
  registrationNumber: number;
  locale: Locale;
}

/**
 * Renders the wanted pages from what the database holds now and stores them, each under the seq
 * of its statement's latest publication event, read before the statement itself: a change that
 * commits after that read appends a later event, so a page that may miss it is never served
 * (statement-page.repository.ts) — no lock, no trigger. Statements no longer published are left
 * out (their pages are never served either). Returns how many pages were stored.
 */
export async function storeStatementPages(
  database: Database,
  wanted: readonly WantedPage[],
  build = pageBuild(),
  /** For the concurrency test: runs after the pages are rendered, before they are saved. */
  beforeSave?: () => Promise<void>,
): Promise<number> {
  if (wanted.length === 0) return 0;
  const numbers = [...new Set(wanted.map((w) => w.registrationNumber))].sort((a, b) => a - b);
  return database.db.transaction().execute(async (trx) => {
    // First the events, then what they are of (on PostgreSQL each statement reads newer data).
    const latest = await latestEventOf(trx, numbers);
    const records = new Map((await findPublishedMany(trx, numbers)).map((r) => [Number(r.submission.registration_number), r]));
    const ids = [...records.values()].map((r) => r.submission.id);
    const translations = new Map<Locale, Map<string, StatementTranslationTable>>();
    const pages = [];
    for (const { registrationNumber, locale } of wanted) {
      const record = records.get(registrationNumber);
      const seq = latest.get(registrationNumber);
      if (!record || seq === undefined) continue;
      let forLocale = translations.get(locale);
      if (!forLocale) translations.set(locale, (forLocale = await translationsOf(trx, ids, locale)));
      const html = renderStatementPage(record, forLocale.get(record.submission.id), locale);
      pages.push({ registrationNumber, locale, build, seq, etag: etagOf(html), body: gzipSync(html) });
    }
    await beforeSave?.();
    await saveStatementPages(trx, pages);
    return pages.length;
  });
}

/**
 * Stores every published statement's page in every locale that is missing or of another build,
 * `batch` statements per transaction, in the order of their numbers. `onProgress` gets the
 * number reached and the highest one. Returns what was stored.
 */
export async function storeMissingStatementPages(
  database: Database,
  options: { batch?: number; build?: string; onProgress?: (reached: number, highest: number) => void } = {},
): Promise<{ statements: number; pages: number; build: string }> {
  const build = options.build ?? pageBuild();
  const batch = options.batch ?? 100;
  const highest = await highestRegistrationNumber(database.db);
  let after = 0;
  let statements = 0;
  let pages = 0;
  for (;;) {
    const numbers = await statementsNeedingPages(database.db, build, after, batch);
    if (numbers.length === 0) break;
    pages += await storeStatementPages(database, numbers.flatMap((registrationNumber) => LOCALES.map((locale) => ({ registrationNumber, locale }))), build);
    statements += numbers.length;
    after = numbers[numbers.length - 1]!;
    options.onProgress?.(Math.min(after, highest), highest);
  }
  options.onProgress?.(highest, highest);
  return { statements, pages, build };
}
