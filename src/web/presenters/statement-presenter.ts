import type { Locale } from '../../domain/locales.js';
import { ORGANIZATIONS, type Organization } from '../../domain/organizations.js';
import { inReadersScript } from '../../domain/script-conversion.js';
import type { PublishedDeclarant, PublishedRecord } from '../../storage/publication/published-reading.repository.js';
import type { StatementTranslationTable } from '../../storage/schema.js';

/**
 * A published person as the public sees it. Promise 4: these fields and no others — the name
 * chosen (and whether it is a pseudonym), the organisations, the province-level region and the
 * optional occupation category. Every field is named here, so a private column added to the
 * row can never reach a page, a feed or the API by accident.
 */
export interface PublicDeclarant {
  displayName: string;
  nameKind: 'real' | 'pseudonym';
  organizations: Organization[];
  region: string;
  occupation: string | null;
}

/** A published statement as the public sees it (promise 4), in the language it was written in. */
export interface PublicStatement {
  registrationNumber: number;
  /** UTC day of publication, `YYYY-MM-DD`. */
  publishedOn: string;
  /** UTC day of the last change the center made to it (a translation, featuring), `YYYY-MM-DD`. */
  updatedOn: string;
  language: string;
  title: string | null;
  text: string | null;
  featured: boolean;
  declarants: PublicDeclarant[];
  /**
   * Base64 of the 32-byte salt of the statement's commitment in the transparency log
   * (docs/log.md, "Commitments"): with the fields above it recomputes the commitment.
   */
  commitmentSalt: string | null;
}

/** The same statement as a reader of one locale sees it: converted script, or a translator's version. */
export interface ReadableStatement extends PublicStatement {
  /** The locale of a translator's version shown instead of the original, or null. */
  translatedInto: Locale | null;
}

/** Maps a stored, published record to its public shape. */
export function presentStatement(record: PublishedRecord): PublicStatement {
  const { submission } = record;
  return {
    registrationNumber: submission.registration_number!,
    publishedOn: submission.published_at!.slice(0, 10),
    updatedOn: (submission.updated_at > submission.published_at! ? submission.updated_at : submission.published_at!).slice(0, 10),
    language: submission.language,
    title: submission.title,
    text: submission.text,
    featured: submission.featured === 1,
    declarants: record.declarants.map(presentDeclarant),
    commitmentSalt: submission.commitment_salt ?? null,
  };
}

function presentDeclarant(row: PublishedDeclarant): PublicDeclarant {
  return {
    displayName: row.display_name,
    nameKind: row.name_kind === 'real' ? 'real' : 'pseudonym',
    organizations: ORGANIZATIONS.filter((o) => row[o] === 1),
    region: row.region,
    occupation: row.occupation,
  };
}

/**
 * The statement for a reader of `locale`: a translator's version when there is one (marked as
 * such), otherwise the original with Chinese shown in the reader's script.
 */
export function forReader(statement: PublicStatement, locale: Locale, translation?: StatementTranslationTable): ReadableStatement {
  const names = statement.declarants.map((d) => ({ ...d, displayName: inReadersScript(d.displayName, locale) }));
  if (translation && translation.locale === locale && translation.locale !== statement.language) {
    const updatedOn = translation.updated_at.slice(0, 10) > statement.updatedOn ? translation.updated_at.slice(0, 10) : statement.updatedOn;
    return { ...statement, title: translation.title, text: translation.text, declarants: names, updatedOn, translatedInto: locale };
  }
  const convert = (value: string | null) => (value === null ? null : inReadersScript(value, locale));
  return { ...statement, title: convert(statement.title), text: convert(statement.text), declarants: names, translatedInto: null };
}

/** A record with its translation, as the reader of `locale` sees it. */
export function presentForReader(item: { record: PublishedRecord; translation: StatementTranslationTable | undefined }, locale: Locale): ReadableStatement {
  return forReader(presentStatement(item.record), locale, item.translation);
}
