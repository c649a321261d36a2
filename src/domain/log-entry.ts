import { createHash } from 'node:crypto';
import { isLocale, type Locale } from './locales.js';
import { ORGANIZATIONS, type Organization } from './organizations.js';
import { REGIONS } from './regions.js';

// The entries of the center's transparency log (docs/log.md): one per publication event, in the
// order of the publication log (entry i is event i + 1). This file is the whole contract between
// the center, its mirrors and `rcenter verify`: the entry encoding, version 1, byte for byte; the
// commitment to a statement's published fields; and the count recomputed from the entries. It is
// versioned and never changed in place: a change is a new version beside this one.

export const LOG_ENTRY_VERSION = 'rc-log/v1';

export const LOG_ENTRY_KINDS = ['published', 'amended', 'featured', 'unfeatured', 'translated', 'retracted'] as const;
export type LogEntryKind = (typeof LOG_ENTRY_KINDS)[number];

export const CHANNEL_KINDS = ['self_submitted', 'volunteer_recorded', 'imported'] as const;
export type LogChannelKind = (typeof CHANNEL_KINDS)[number];

/** One person as the log names them: the organisations they renounced and their region. */
export interface LogPerson {
  organizations: Organization[];
  region: string;
}

/** A log entry, decoded. Fields that a kind does not have are absent. */
export type LogEntry =
  | { event: number; kind: 'published' | 'amended'; number: number; day: string; channel: LogChannelKind; commitment: Uint8Array; persons: LogPerson[] }
  | { event: number; kind: 'retracted'; number: number; day: string; persons: LogPerson[] }
  | { event: number; kind: 'translated'; number: number; day: string; locale: Locale }
  | { event: number; kind: 'featured' | 'unfeatured'; number: number; day: string };

/** Largest entry (tlog-tiles bundles give each entry a 16-bit length). */
export const MAX_LOG_ENTRY_BYTES = 65_535;
/** Most persons in one entry: far more than a statement can hold (20), far fewer than fill an entry. */
export const MAX_LOG_ENTRY_PERSONS = 1_000;

const REGION_CODES: ReadonlySet<string> = new Set(REGIONS.map(([code]) => code));
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DECIMAL = /^(0|[1-9]\d{0,15})$/;
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

export class LogEntryError extends Error {
  constructor(detail: string) {
    super(`malformed log entry: ${detail}`);
    this.name = 'LogEntryError';
  }
}

/**
 * The entry's bytes (docs/log.md, "Entries"): ASCII lines, each ended by one LF, no other
 * whitespace than one space between a key and its value:
 *
 *     rc-log/v1
 *     event <sequence number, from 1>
 *     kind <published|amended|featured|unfeatured|translated|retracted>
 *     number <registration number>
 *     day <UTC day, YYYY-MM-DD>
 *     channel <self_submitted|volunteer_recorded|imported>     published, amended
 *     commitment <base64 of 32 bytes>                         published, amended
 *     locale <zh-hans|zh-hant|en>                             translated
 *     person <organisation>[,<organisation>…] <region>        published, amended, retracted: one line a person, ≥ 1
 */
export function encodeLogEntry(entry: LogEntry): Uint8Array {
  checkEntry(entry);
  const bytes = Buffer.from(entryText(entry), 'ascii');
  if (bytes.length > MAX_LOG_ENTRY_BYTES) throw new LogEntryError(`longer than ${MAX_LOG_ENTRY_BYTES} bytes`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The entry's encoding as text (ASCII), once checkEntry has passed. */
function entryText(entry: LogEntry): string {
  let text = `${LOG_ENTRY_VERSION}\nevent ${entry.event}\nkind ${entry.kind}\nnumber ${entry.number}\nday ${entry.day}\n`;
  if (entry.kind === 'published' || entry.kind === 'amended') {
    text += `channel ${entry.channel}\ncommitment ${Buffer.from(entry.commitment.buffer, entry.commitment.byteOffset, entry.commitment.length).toString('base64')}\n`;
  }
  if (entry.kind === 'translated') text += `locale ${entry.locale}\n`;
  if (entry.kind === 'published' || entry.kind === 'amended' || entry.kind === 'retracted') {
    for (const person of entry.persons) text += `person ${canonicalOrganizations(person.organizations).join(',')} ${person.region}\n`;
  }
  return text;
}

/** Decodes an entry, refusing anything that `encodeLogEntry` would not have written byte for byte. */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  if (bytes.length === 0 || bytes.length > MAX_LOG_ENTRY_BYTES) throw new LogEntryError('empty or too long');
  // latin1 maps each byte to one character, so the test below sees every byte as it is.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  if (!PRINTABLE.test(text)) throw new LogEntryError('a byte that is not printable ASCII or LF');
  if (!text.endsWith('\n')) throw new LogEntryError('does not end with LF');
  const lines = text.slice(0, -1).split('\n');
  let at = 0;
  const field = (key: string): string => fieldOf(lines, at++, key);
  if (lines[at++] !== LOG_ENTRY_VERSION) throw new LogEntryError(`first line is not ${LOG_ENTRY_VERSION}`);
  const event = decimal(field('event'), 'event');
  const kind = field('kind') as LogEntryKind;
  if (!LOG_ENTRY_KINDS.includes(kind)) throw new LogEntryError('unknown kind');
  const number = decimal(field('number'), 'number');
  const day = field('day');
  let entry: LogEntry;
  if (kind === 'published' || kind === 'amended') {
    const channel = field('channel') as LogChannelKind;
    const commitment = field('commitment');
    if (!BASE64_32.test(commitment)) throw new LogEntryError('commitment is not base64 of 32 bytes');
    entry = { event, kind, number, day, channel, commitment: new Uint8Array(Buffer.from(commitment, 'base64')), persons: persons(lines, at) };
  } else if (kind === 'retracted') {
    entry = { event, kind, number, day, persons: persons(lines, at) };
  } else if (kind === 'translated') {
    entry = { event, kind, number, day, locale: field('locale') as Locale };
    if (at !== lines.length) throw new LogEntryError('lines after the last field');
  } else {
    entry = { event, kind, number, day };
    if (at !== lines.length) throw new LogEntryError('lines after the last field');
  }
  checkEntry(entry);
  // Canonical: the same entry encodes to exactly these bytes (organisations in order, no repeats).
  if (entryText(entry) !== text) throw new LogEntryError('not in canonical form');
  return entry;
}

const PRINTABLE = /^[\x20-\x7e\n]*$/;

/** Line `at` (0-based) as `<key> <value>`: the value. */
function fieldOf(lines: readonly string[], at: number, key: string): string {
  const line = lines[at];
  if (line === undefined || line.length <= key.length || line.charCodeAt(key.length) !== 0x20 || !line.startsWith(key)) {
    throw new LogEntryError(`line ${at + 1}: expected "${key} …"`);
  }
  return line.slice(key.length + 1);
}

const PERSON_LINE = /^person ([a-z_,]+) ([0-9a-z]+)$/;

function persons(lines: string[], from: number): LogPerson[] {
  const list: LogPerson[] = [];
  for (let i = from; i < lines.length; i++) {
    const match = PERSON_LINE.exec(lines[i]!);
    if (!match) throw new LogEntryError(`line ${i + 1}: expected "person <organisations> <region>"`);
    list.push({ organizations: match[1]!.split(',') as Organization[], region: match[2]! });
  }
  return list;
}

function decimal(value: string, name: string): number {
  if (!DECIMAL.test(value)) throw new LogEntryError(`${name} is not a decimal number without leading zeros`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new LogEntryError(`${name} is too large`);
  return n;
}

function checkEntry(entry: LogEntry): void {
  if (!Number.isSafeInteger(entry.event) || entry.event < 1) throw new LogEntryError('event must be a whole number from 1');
  if (!Number.isSafeInteger(entry.number) || entry.number < 1) throw new LogEntryError('number must be a whole number from 1');
  if (!isUtcDay(entry.day)) throw new LogEntryError('day is not a UTC day YYYY-MM-DD');
  if (entry.kind === 'published' || entry.kind === 'amended') {
    if (!CHANNEL_KINDS.includes(entry.channel)) throw new LogEntryError('unknown channel kind');
    if (entry.commitment.length !== 32) throw new LogEntryError('commitment must be 32 bytes');
  }
  if (entry.kind === 'translated' && !isLocale(entry.locale)) throw new LogEntryError('unknown locale');
  if (entry.kind === 'published' || entry.kind === 'amended' || entry.kind === 'retracted') {
    if (entry.persons.length === 0) throw new LogEntryError('no person');
    if (entry.persons.length > MAX_LOG_ENTRY_PERSONS) throw new LogEntryError('too many persons');
    for (const person of entry.persons) {
      if (!REGION_CODES.has(person.region)) throw new LogEntryError(`unknown region ${JSON.stringify(person.region)}`);
      if (person.organizations.length === 0) throw new LogEntryError('a person with no organisation');
      for (const o of person.organizations) if (!ORGANIZATIONS.includes(o)) throw new LogEntryError(`unknown organisation ${JSON.stringify(o)}`);
      if (new Set(person.organizations).size !== person.organizations.length) throw new LogEntryError('an organisation named twice');
    }
  }
}

/** Days already found to be real calendar days (a log has a few thousand: the check runs per entry). */
const knownDays = new Set<string>();

function isUtcDay(day: string): boolean {
  if (knownDays.has(day)) return true;
  if (!DAY.test(day) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) return false;
  if (knownDays.size < 100_000) knownDays.add(day);
  return true;
}

/** Organisations in the order of ORGANIZATIONS, the only order an entry may list them in. */
function canonicalOrganizations(organizations: readonly Organization[]): Organization[] {
  return ORGANIZATIONS.filter((o) => organizations.includes(o));
}

// ---------------------------------------------------------------------------------------------
// Commitments

/** The published fields of a statement that its commitment covers (the statement API's names). */
export interface CommittedStatement {
  registrationNumber: number;
  publishedOn: string;
  language: string;
  title: string | null;
  text: string | null;
  declarants: readonly {
    displayName: string;
    nameKind: string;
    organizations: readonly string[];
    region: string;
    occupation: string | null;
  }[];
}

const COMMITMENT_PREFIX = Buffer.from('rc-commitment/v1\n', 'ascii');
export const COMMITMENT_SALT_BYTES = 32;

/**
 * SHA-256( "rc-commitment/v1\n" ‖ salt (32 bytes) ‖ fields ), where fields are, in this order,
 * each as a 4-byte big-endian length followed by its UTF-8 bytes (a null as the length
 * 0xFFFFFFFF and nothing): registration number (decimal), publishedOn, language, title, text,
 * the number of declarants (decimal), then per declarant displayName, nameKind, organisations
 * (joined by ","), region, occupation. The salt is random per statement, published with it while
 * it is published and erased when it is retracted: a mirror can check what it holds, and nobody
 * can later confirm a guessed text of a retracted statement.
 */
export function statementCommitment(salt: Uint8Array, statement: CommittedStatement): Uint8Array {
  if (salt.length !== COMMITMENT_SALT_BYTES) throw new Error(`a commitment salt is ${COMMITMENT_SALT_BYTES} bytes`);
  const fields: (string | null)[] = [String(statement.registrationNumber), statement.publishedOn, statement.language, statement.title, statement.text, String(statement.declarants.length)];
  for (const d of statement.declarants) fields.push(d.displayName, d.nameKind, d.organizations.join(','), d.region, d.occupation);
  // One buffer, hashed at once: prefix, salt, then each field as its length and its UTF-8 bytes.
  let size = COMMITMENT_PREFIX.length + salt.length;
  for (const field of fields) size += 4 + (field === null ? 0 : Buffer.byteLength(field, 'utf8'));
  const bytes = Buffer.allocUnsafe(size);
  let at = COMMITMENT_PREFIX.copy(bytes, 0);
  bytes.set(salt, at);
  at += salt.length;
  for (const field of fields) {
    if (field === null) {
      at = bytes.writeUInt32BE(0xffffffff, at);
      continue;
    }
    const length = bytes.write(field, at + 4, 'utf8');
    bytes.writeUInt32BE(length, at);
    at += 4 + length;
  }
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

// ---------------------------------------------------------------------------------------------
// The count, recomputed from the entries

/** Persons counted, net of retractions, in total and by each breakdown the center publishes. */
export interface LogTally {
  /** Entries read. */
  size: number;
  total: number;
  byOrganization: Record<string, number>;
  byRegion: Record<string, number>;
  byChannel: Record<string, number>;
  /** Per UTC day: persons published and persons retracted that day (by the entries' days). */
  byDay: Record<string, { published: number; retracted: number }>;
  /** Statements published now (registration number → the persons counted for it). */
  statements: Map<number, { channel: LogChannelKind; persons: LogPerson[]; commitment: Uint8Array }>;
}

export function emptyTally(): LogTally {
  return { size: 0, total: 0, byOrganization: {}, byRegion: {}, byChannel: {}, byDay: {}, statements: new Map() };
}

/**
 * Adds one entry to `tally`, checking that it makes sense after the entries before it (event
 * numbers in order from 1; a number published once; amended, featured, translated and retracted
 * only while published; a retraction removes persons the statement has). Throws LogEntryError
 * otherwise. Counting rules (docs/log.md, "The count"):
 * - published: its persons are counted (each person once in total, once in each of their
 *   organisations, once in their region, once in the statement's channel kind) on its day;
 * - amended: the statement's persons are replaced by the entry's (the difference counted on its day);
 * - retracted: the persons named leave the count on its day; when none remain the statement is no
 *   longer published;
 * - featured, unfeatured, translated: no change to the count.
 */
export function tallyEntry(tally: LogTally, entry: LogEntry): void {
  if (entry.event !== tally.size + 1) throw new LogEntryError(`entry ${tally.size} says it is event ${entry.event}`);
  const current = tally.statements.get(entry.number);
  const where = `event ${entry.event} (number ${entry.number})`;
  switch (entry.kind) {
    case 'published':
      if (current) throw new LogEntryError(`${where}: published while already published`);
      move(tally, entry.day, entry.channel, entry.persons, +1);
      tally.statements.set(entry.number, { channel: entry.channel, persons: [...entry.persons], commitment: entry.commitment });
      break;
    case 'amended':
      if (!current) throw new LogEntryError(`${where}: amended while not published`);
      move(tally, entry.day, current.channel, current.persons, -1);
      move(tally, entry.day, entry.channel, entry.persons, +1);
      tally.statements.set(entry.number, { channel: entry.channel, persons: [...entry.persons], commitment: entry.commitment });
      break;
    case 'retracted': {
      if (!current) throw new LogEntryError(`${where}: retracted while not published`);
      const left = [...current.persons];
      for (const person of entry.persons) {
        const i = left.findIndex((p) => samePerson(p, person));
        if (i < 0) throw new LogEntryError(`${where}: retracts a person the statement does not have`);
        left.splice(i, 1);
      }
      move(tally, entry.day, current.channel, entry.persons, -1);
      if (left.length === 0) tally.statements.delete(entry.number);
      else current.persons = left;
      break;
    }
    default:
      if (!current) throw new LogEntryError(`${where}: ${entry.kind} while not published`);
  }
  tally.size++;
}

function samePerson(a: LogPerson, b: LogPerson): boolean {
  return a.region === b.region && canonicalOrganizations(a.organizations).join(',') === canonicalOrganizations(b.organizations).join(',');
}

function move(tally: LogTally, day: string, channel: LogChannelKind, persons: readonly LogPerson[], sign: 1 | -1): void {
  const add = (record: Record<string, number>, key: string, n: number) => {
    record[key] = (record[key] ?? 0) + n;
  };
  const today = (tally.byDay[day] ??= { published: 0, retracted: 0 });
  for (const person of persons) {
    tally.total += sign;
    for (const o of person.organizations) add(tally.byOrganization, o, sign);
    add(tally.byRegion, person.region, sign);
    add(tally.byChannel, channel, sign);
    if (sign > 0) today.published++;
    else today.retracted++;
  }
}
