import { CHANNEL_KINDS, LogEntryError, type LogChannelKind, type LogEntry, type LogPerson, type LogTally } from './log-entry.js';
import { ORGANIZATIONS, type Organization } from './organizations.js';
import { REGIONS } from './regions.js';
import { StatementTable } from './statement-table.js';

// The count of docs/log.md ("The count") as `tallyEntry` computes it, kept small enough for a
// log of millions of entries: the published statements are slots of typed arrays (channel, day of
// the `published` entry, the 32 commitment bytes, two bytes a person: statement-table.ts) instead
// of objects, so `rcenter verify` holds 700,000 statements in some 35 MB. The rules are
// tallyEntry's, check for check; test/verify/compact-tally-agrees-with-tally-entry.test.ts holds
// them equal.

const REGION_INDEX = new Map(REGIONS.map(([code], i) => [code, i]));
const CHANNEL_INDEX = new Map(CHANNEL_KINDS.map((c, i) => [c, i]));

/** The figures of LogTally (entries counted, total, breakdowns), by day in a Map, as of some number of entries. */
export interface TallyFigures extends Pick<LogTally, 'size' | 'total' | 'byOrganization' | 'byRegion' | 'byChannel'> {
  /** Per UTC day, persons published and retracted (by the entries' days). */
  byDay: Map<string, { published: number; retracted: number }>;
  /** The latest day of an entry counted ('' before the first). */
  lastDay: string;
}

/** A published statement as the tally knows it. */
export interface TalliedStatement {
  channel: LogChannelKind;
  /** The day of its `published` entry: the statement's publishedOn. */
  publishedOn: string;
  /** The commitment of its latest `published` or `amended` entry. */
  commitment: Uint8Array;
  persons: LogPerson[];
}

export class CompactTally {
  private figures: TallyFigures = { size: 0, total: 0, byOrganization: {}, byRegion: {}, byChannel: {}, byDay: new Map(), lastDay: '' };
  private readonly statements = new StatementTable();
  /** Every day that has an entry, whatever its kind. */
  readonly entryDays = new Set<string>();
  /** Registration numbers whose every person was retracted (not published again since). */
  readonly retracted = new Set<number>();

  get size(): number {
    return this.figures.size;
  }

  /** Persons counted now. */
  get total(): number {
    return this.figures.total;
  }

  /** How many statements are published now. */
  get published(): number {
    return this.statements.size;
  }

  /** Adds one entry (from decodeLogEntry); throws LogEntryError when it makes no sense after the ones before (as tallyEntry). */
  add(entry: LogEntry): void {
    const figures = this.figures;
    if (entry.event !== figures.size + 1) throw new LogEntryError(`entry ${figures.size} says it is event ${entry.event}`);
    const table = this.statements;
    const slot = table.find(entry.number);
    const where = `event ${entry.event} (number ${entry.number})`;
    switch (entry.kind) {
      case 'published':
        if (slot >= 0) throw new LogEntryError(`${where}: published while already published`);
        this.move(entry.day, entry.channel, encodePersons(entry.persons), +1);
        table.set(entry.number, CHANNEL_INDEX.get(entry.channel)!, dayNumber(entry.day), entry.commitment, encodePersons(entry.persons));
        this.retracted.delete(entry.number);
        break;
      case 'amended':
        if (slot < 0) throw new LogEntryError(`${where}: amended while not published`);
        this.move(entry.day, CHANNEL_KINDS[table.channel(slot)]!, table.persons(slot), -1);
        this.move(entry.day, entry.channel, encodePersons(entry.persons), +1);
        table.set(entry.number, CHANNEL_INDEX.get(entry.channel)!, table.day(slot), entry.commitment, encodePersons(entry.persons));
        break;
      case 'retracted': {
        if (slot < 0) throw new LogEntryError(`${where}: retracted while not published`);
        let left = table.persons(slot);
        const leaving = encodePersons(entry.persons);
        for (let i = 0; i < leaving.length; i += 2) {
          const at = indexOfPerson(left, leaving.slice(i, i + 2));
          if (at < 0) throw new LogEntryError(`${where}: retracts a person the statement does not have`);
          left = left.slice(0, at) + left.slice(at + 2);
        }
        this.move(entry.day, CHANNEL_KINDS[table.channel(slot)]!, leaving, -1);
        if (left === '') {
          table.unpublish(slot);
          this.retracted.add(entry.number);
        } else table.setPersons(slot, left);
        break;
      }
      default:
        if (slot < 0) throw new LogEntryError(`${where}: ${entry.kind} while not published`);
    }
    figures.size++;
    if (entry.day > figures.lastDay) figures.lastDay = entry.day;
    this.entryDays.add(entry.day);
  }

  /** A copy of the figures as they stand (for the count as of the stats' `log.size`). */
  snapshot(): TallyFigures {
    const f = this.figures;
    return {
      ...f,
      byOrganization: { ...f.byOrganization },
      byRegion: { ...f.byRegion },
      byChannel: { ...f.byChannel },
      byDay: new Map([...f.byDay].map(([day, moves]) => [day, { ...moves }])),
    };
  }

  /** A published statement, or undefined. */
  statement(number: number): TalliedStatement | undefined {
    const slot = this.statements.find(number);
    if (slot < 0) return undefined;
    const t = this.statements;
    return { channel: CHANNEL_KINDS[t.channel(slot)]!, publishedOn: dayText(t.day(slot)), commitment: t.commitment(slot).slice(), persons: decodePersons(t.persons(slot)) };
  }

  /** The commitment of a published statement (a view: copy it to keep it) and its publication day. */
  commitmentAndDay(number: number): { commitment: Uint8Array; publishedOn: string } | undefined {
    const slot = this.statements.find(number);
    return slot < 0 ? undefined : { commitment: this.statements.commitment(slot), publishedOn: dayText(this.statements.day(slot)) };
  }

  /** The registration numbers published now, by the day of their `published` entry. */
  publishedByDay(): Map<string, number[]> {
    const byDayNumber = new Map<number, number[]>();
    for (const [number, slot] of this.statements.published()) {
      const day = this.statements.day(slot);
      const list = byDayNumber.get(day);
      if (list) list.push(number);
      else byDayNumber.set(day, [number]);
    }
    return new Map([...byDayNumber].map(([day, numbers]) => [dayText(day), numbers]));
  }

  private move(day: string, channel: LogChannelKind, persons: string, sign: 1 | -1): void {
    const f = this.figures;
    let moves = f.byDay.get(day);
    if (!moves) f.byDay.set(day, (moves = { published: 0, retracted: 0 }));
    for (let i = 0; i < persons.length; i += 2) {
      const mask = persons.charCodeAt(i);
      f.total += sign;
      ORGANIZATIONS.forEach((o, bit) => {
        if (mask & (1 << bit)) f.byOrganization[o] = (f.byOrganization[o] ?? 0) + sign;
      });
      const region = REGIONS[persons.charCodeAt(i + 1)]![0];
      f.byRegion[region] = (f.byRegion[region] ?? 0) + sign;
      f.byChannel[channel] = (f.byChannel[channel] ?? 0) + sign;
      if (sign > 0) moves.published++;
      else moves.retracted++;
    }
  }
}

/** Days since 1970-01-01 (UTC), and back. */
function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

function dayText(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Two characters a person: the organisations as a bit mask, the region's index in REGIONS. */
function encodePersons(persons: readonly LogPerson[]): string {
  let out = '';
  for (const person of persons) {
    let mask = 0;
    for (const o of person.organizations) mask |= 1 << ORGANIZATIONS.indexOf(o);
    out += String.fromCharCode(mask, REGION_INDEX.get(person.region)!);
  }
  return out;
}

function decodePersons(encoded: string): LogPerson[] {
  const persons: LogPerson[] = [];
  for (let i = 0; i < encoded.length; i += 2) {
    const mask = encoded.charCodeAt(i);
    const organizations = ORGANIZATIONS.filter((_, bit) => mask & (1 << bit)) as Organization[];
    persons.push({ organizations, region: REGIONS[encoded.charCodeAt(i + 1)]![0] });
  }
  return persons;
}

/** The position (even) of a two-character person code in an encoded list, or -1. */
function indexOfPerson(encoded: string, person: string): number {
  for (let i = 0; i < encoded.length; i += 2) if (encoded.startsWith(person, i)) return i;
  return -1;
}
