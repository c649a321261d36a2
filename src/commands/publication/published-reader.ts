import type { Locale } from '../../domain/locales.js';
import { isRegistrationNumber } from '../../domain/registration-number.js';
import type { Database } from '../../storage/database.js';
import {
  adjacentPublicationDays,
  countPublishedOnDay,
  findPublished,
  findPublishedMany,
  listCategory,
  listFeatured,
  listLatestPublished,
  listPublishedOnDay,
  anyTranslation,
  translationsOf,
  type Category,
  type PublishedRecord,
  type Slice,
} from '../../storage/publication/published-reading.repository.js';
import type { StatementTranslationTable } from '../../storage/schema.js';
import { findStatementPage } from '../../storage/publication/statement-page.repository.js';
import { publicationHeadOf } from './publication-head.js';

/** A published record with the translator's version for the reader's locale, if any. */
export interface ReaderRecord {
  record: PublishedRecord;
  translation: StatementTranslationTable | undefined;
}

/**
 * Whether translations exist, remembered until the publication log's head moves on (a translation
 * added or changed appends a `translated` event): until translators start, every page would
 * otherwise pay a look-up that finds nothing.
 */
const translationsKnown = new WeakMap<Database, { any: boolean; seq: number }>();

async function translationsMayExist(database: Database): Promise<boolean> {
  const seq = await publicationHeadOf(database).current();
  const known = translationsKnown.get(database);
  if (known && known.seq === seq) return known.any;
  const any = await anyTranslation(database.db);
  translationsKnown.set(database, { any, seq });
  return any;
}

async function withTranslations(database: Database, records: PublishedRecord[], locale: Locale): Promise<ReaderRecord[]> {
  if (records.length === 0 || !(await translationsMayExist(database))) return records.map((record) => ({ record, translation: undefined }));
  const translations = await translationsOf(database.db, records.map((r) => r.submission.id), locale);
  return records.map((record) => ({ record, translation: translations.get(record.submission.id) }));
}

async function sliceFor(database: Database, slice: Slice<PublishedRecord>, locale: Locale): Promise<Slice<ReaderRecord>> {
  return { items: await withTranslations(database, slice.items, locale), hasMore: slice.hasMore };
}

/** Latest published statements, one page (1-based). */
export async function readLatest(database: Database, locale: Locale, page: number, pageSize: number): Promise<Slice<ReaderRecord>> {
  return sliceFor(database, await listLatestPublished(database.db, pageSize, (page - 1) * pageSize), locale);
}

/** One page of one day's list, without the count and the days around it (the JSON API's). */
export async function readDayList(database: Database, locale: Locale, day: string, page: number, pageSize: number): Promise<Slice<ReaderRecord>> {
  return sliceFor(database, await listPublishedOnDay(database.db, day, pageSize, (page - 1) * pageSize), locale);
}

/** One day's list with its count and the days around it. */
export async function readDay(database: Database, locale: Locale, day: string, page: number, pageSize: number) {
  const [slice, count, around] = await Promise.all([
    listPublishedOnDay(database.db, day, pageSize, (page - 1) * pageSize),
    countPublishedOnDay(database.db, day),
    adjacentPublicationDays(database.db, day),
  ]);
  return { ...(await sliceFor(database, slice, locale)), count, ...around };
}

/** One published statement, or undefined. */
export async function readStatement(database: Database, locale: Locale, registrationNumber: number): Promise<ReaderRecord | undefined> {
  if (!isRegistrationNumber(registrationNumber)) return undefined;
  const record = await findPublished(database.db, registrationNumber);
  return record && (await withTranslations(database, [record], locale))[0];
}

/**
 * A statement's page as stored for `build` (src/web/statement-pages.tsx), or undefined: none
 * stored, another build's, or the statement is not published now.
 */
export async function readStoredStatementPage(database: Database, registrationNumber: number, locale: Locale, build: string) {
  if (!isRegistrationNumber(registrationNumber)) return undefined;
  return findStatementPage(database, registrationNumber, locale, build);
}

/** Published statements by number, in that order (search results). */
export async function readStatements(database: Database, locale: Locale, numbers: number[]): Promise<ReaderRecord[]> {
  return withTranslations(database, await findPublishedMany(database.db, numbers), locale);
}

/** Featured articles, one page. */
export async function readArticles(database: Database, locale: Locale, page: number, pageSize: number): Promise<Slice<ReaderRecord>> {
  return sliceFor(database, await listFeatured(database.db, pageSize, (page - 1) * pageSize), locale);
}

/** One category, one page. */
export async function readCategory(database: Database, locale: Locale, category: Category, page: number, pageSize: number): Promise<Slice<ReaderRecord>> {
  return sliceFor(database, await listCategory(database.db, category, pageSize, (page - 1) * pageSize), locale);
}
