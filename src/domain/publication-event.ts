import type { Locale } from './locales.js';
import type { LogEntry } from './log-entry.js';
import { ORGANIZATIONS, type Organization } from './organizations.js';

// The events of the publication log (DESIGN "Publication is one ordered log"): one per change of
// what the public sees, in the transaction of that change, numbered without gaps. Caches, stored
// pages and other processes follow the log; the transparency log (docs/log.md: entry i is event
// i + 1, `logEntryOfEvent`) and mirror exports are derived from it. So an event carries what those need and nothing that
// retention erases: never a name, a text, a title, a submission id, a receipt, or a time finer
// than a UTC day. The log is append-only, and a payload, once written, means what it says forever
// (`v` names its version).

/**
 * What happened to the statement with the event's registration number:
 * - `published`: an editor approved it (or `rcenter demo` wrote it published); it is on the site.
 * - `amended`: a published statement's public fields changed (no command does this yet).
 * - `featured` / `unfeatured`: it started or stopped being shown as an article.
 * - `translated`: a translator's version in one locale was added, changed or removed (no command
 *   writes translations yet).
 * - `retracted`: it left every page and feed, and its persons left the count.
 */
export const PUBLICATION_EVENT_KINDS = ['published', 'amended', 'featured', 'unfeatured', 'translated', 'retracted'] as const;

export type PublicationEventKind = (typeof PUBLICATION_EVENT_KINDS)[number];

/** How a statement reached the center, as the transparency log will name it. */
export type ChannelKind = 'self_submitted' | 'volunteer_recorded' | 'imported';

/** One person as the log names them: what they renounced and where they are, nothing else. */
export interface PublicPerson {
  organizations: Organization[];
  region: string;
}

/**
 * `published` and `amended`: who, by which kind of channel, whether shown as an article, and the
 * commitment to the published fields (base64 of `statementCommitment`, docs/log.md).
 */
export interface PublishedPayload {
  v: 1;
  channelKind: ChannelKind;
  featured: boolean;
  persons: PublicPerson[];
  commitment: string;
}

/** `retracted`: the persons who left the count. */
export interface RetractedPayload {
  v: 1;
  persons: PublicPerson[];
}

/** `translated`: the locale whose translation changed. */
export interface TranslatedPayload {
  v: 1;
  locale: string;
}

/** `featured` and `unfeatured` say everything by their kind. */
export interface EmptyPayload {
  v: 1;
}

/** An event to append: its sequence number is given by the log when it is appended. */
export type NewPublicationEvent =
  | { kind: 'published' | 'amended'; registrationNumber: number; day: string; payload: PublishedPayload }
  | { kind: 'retracted'; registrationNumber: number; day: string; payload: RetractedPayload }
  | { kind: 'translated'; registrationNumber: number; day: string; payload: TranslatedPayload }
  | { kind: 'featured' | 'unfeatured'; registrationNumber: number; day: string; payload: EmptyPayload };

/** A statement as the events need it: its channel and its persons' organisation flags and region. */
export interface PublicStatementFacts {
  channel: string;
  /** 1 when it came in a volunteer's CSV import. */
  imported?: number | undefined;
  featured: number;
  declarants: readonly ({ region: string } & Record<Organization, number>)[];
}

/** `web` is self-submitted; any other channel a volunteer recorded, by hand or in an import. */
export function channelKindOf(channel: string, imported: number | undefined): ChannelKind {
  if (channel === 'web') return 'self_submitted';
  return imported === 1 ? 'imported' : 'volunteer_recorded';
}

/** The persons of a statement, in their order, as the log names them. */
export function publicPersons(declarants: PublicStatementFacts['declarants']): PublicPerson[] {
  return declarants.map((d) => ({ organizations: ORGANIZATIONS.filter((o) => d[o] === 1), region: d.region }));
}

/**
 * The `published` event of a statement given `registrationNumber` on `day` (UTC, YYYY-MM-DD),
 * with its commitment (32 bytes, `statementCommitment`).
 */
export function publishedEvent(statement: PublicStatementFacts, registrationNumber: number, day: string, commitment: Uint8Array): NewPublicationEvent {
  return {
    kind: 'published',
    registrationNumber,
    day,
    payload: {
      v: 1,
      channelKind: channelKindOf(statement.channel, statement.imported),
      featured: statement.featured === 1,
      persons: publicPersons(statement.declarants),
      commitment: Buffer.from(commitment).toString('base64'),
    },
  };
}

/** The `retracted` event of a published statement: all of its persons leave the count. */
export function retractedEvent(statement: PublicStatementFacts, registrationNumber: number, day: string): NewPublicationEvent {
  return { kind: 'retracted', registrationNumber, day, payload: { v: 1, persons: publicPersons(statement.declarants) } };
}

/** The `featured` or `unfeatured` event. */
export function featuringEvent(featured: boolean, registrationNumber: number, day: string): NewPublicationEvent {
  return { kind: featured ? 'featured' : 'unfeatured', registrationNumber, day, payload: { v: 1 } };
}

/** The `translated` event: the translation of a published statement into `locale` changed. */
export function translatedEvent(locale: string, registrationNumber: number, day: string): NewPublicationEvent {
  return { kind: 'translated', registrationNumber, day, payload: { v: 1, locale } };
}

/** A stored event: its seq, kind, statement, day and JSON payload. */
export interface StoredPublicationEvent {
  seq: number;
  kind: string;
  registration_number: number;
  day: string;
  payload: string;
}

/**
 * The transparency log's entry of an event (docs/log.md: entry i is event i + 1): published and
 * amended name the channel kind, the commitment and the persons; retracted the persons;
 * translated the locale; featured and unfeatured nothing more. `encodeLogEntry` checks the rest.
 */
export function logEntryOfEvent(event: StoredPublicationEvent): LogEntry {
  const base = { event: event.seq, number: event.registration_number, day: event.day };
  const payload = JSON.parse(event.payload) as Partial<PublishedPayload & RetractedPayload & TranslatedPayload>;
  switch (event.kind) {
    case 'published':
    case 'amended':
      if (typeof payload.commitment !== 'string') throw new Error(`event ${event.seq} has no commitment`);
      return { ...base, kind: event.kind, channel: payload.channelKind!, commitment: new Uint8Array(Buffer.from(payload.commitment, 'base64')), persons: payload.persons! };
    case 'retracted':
      return { ...base, kind: 'retracted', persons: payload.persons! };
    case 'translated':
      return { ...base, kind: 'translated', locale: payload.locale as Locale };
    case 'featured':
    case 'unfeatured':
      return { ...base, kind: event.kind };
    default:
      throw new Error(`event ${event.seq} has an unknown kind ${JSON.stringify(event.kind)}`);
  }
}
