// A synthetic center for `rcenter verify` tests: statements with salts and commitments, their
// rc-log/v1 entries, the tiles and bundles of the tree (made with the tlog library), a signed and
// optionally cosigned checkpoint, the count and the day lists — as the files of a mirror DIR,
// which fake-mirror.ts writes to disk or serves over node:http with the contract's paths.
// The count is the fake's own bookkeeping of who it published and retracted, not a tally of the
// entries, so it is an independent reference for the verifier's.
import { randomBytes } from 'node:crypto';
import { demoRandom } from '../../src/domain/demo-random.js';
import { CHANNEL_KINDS, encodeLogEntry, statementCommitment, type LogChannelKind, type LogEntry } from '../../src/domain/log-entry.js';
import { ORGANIZATIONS, type Organization } from '../../src/domain/organizations.js';
import { summarizeCount } from '../../src/domain/public-count.js';
import { REGIONS } from '../../src/domain/regions.js';
import {
  cosigner,
  encodeEntryBundle,
  entryBundlePath,
  formatCheckpoint,
  generateKey,
  hashReaderFromArray,
  noteSigner,
  readTileData,
  signNote,
  storedHashes,
  tilePath,
  tilesForSize,
  treeHash,
  TILE_WIDTH,
  type Hash,
} from '../../src/tlog/index.js';

export interface FakePerson {
  organizations: Organization[];
  region: string;
}

/** A statement as the statement API serves it, salt included. */
export interface FakeStatement {
  registrationNumber: number;
  publishedOn: string;
  updatedOn: string;
  language: string;
  title: string | null;
  text: string;
  featured: boolean;
  declarants: { displayName: string; nameKind: string; organizations: string[]; region: string; occupation: string | null }[];
  commitmentSalt: string;
}

/** The files of a mirror DIR, by relative path. */
export type FakeFiles = Map<string, Uint8Array>;

interface Move {
  day: string;
  channel: LogChannelKind;
  persons: FakePerson[];
  sign: 1 | -1;
}

export class FakeLog {
  readonly signerKey: string;
  readonly verifierKey: string;
  readonly entries: LogEntry[] = [];
  /** The statements published now. */
  readonly statements = new Map<number, FakeStatement>();
  private readonly channels = new Map<number, LogChannelKind>();
  private readonly moves: Move[][] = [];
  private nextNumber = 1001;

  constructor(readonly origin = 'verify.test/log') {
    ({ signerKey: this.signerKey, verifierKey: this.verifierKey } = generateKey(origin));
  }

  /** Publishes a statement with these persons on `day`; returns its registration number. */
  publish(day: string, persons: FakePerson[], options: { channel?: LogChannelKind; text?: string; number?: number } = {}): number {
    const number = options.number ?? this.nextNumber++;
    const channel = options.channel ?? 'self_submitted';
    const statement: FakeStatement = {
      registrationNumber: number,
      publishedOn: day,
      updatedOn: day,
      language: 'zh-hans',
      title: null,
      text: options.text ?? `声明 ${number}：退出。`,
      featured: false,
      declarants: persons.map((p, i) => ({ displayName: `化名${number}-${i}`, nameKind: 'pseudonym', organizations: [...p.organizations], region: p.region, occupation: null })),
      commitmentSalt: randomBytes(32).toString('base64'),
    };
    this.statements.set(number, statement);
    this.channels.set(number, channel);
    this.append({ event: 0, kind: 'published', number, day, channel, commitment: commit(statement), persons }, [{ day, channel, persons, sign: 1 }]);
    return number;
  }

  /** Changes a published statement's text (and persons, if given): an `amended` entry. */
  amend(number: number, day: string, change: { text?: string; persons?: FakePerson[] }): void {
    const statement = this.statements.get(number)!;
    const channel = this.channels.get(number)!;
    const before = personsOf(statement);
    if (change.text !== undefined) statement.text = change.text;
    if (change.persons) statement.declarants = change.persons.map((p, i) => ({ ...statement.declarants[0]!, displayName: `改名${number}-${i}`, organizations: [...p.organizations], region: p.region }));
    statement.updatedOn = day;
    const persons = personsOf(statement);
    this.append({ event: 0, kind: 'amended', number, day, channel, commitment: commit(statement), persons }, [
      { day, channel, persons: before, sign: -1 },
      { day, channel, persons, sign: 1 },
    ]);
  }

  /** Retracts every person of a statement: it leaves every page. */
  retract(number: number, day: string): void {
    const statement = this.statements.get(number)!;
    const persons = personsOf(statement);
    this.statements.delete(number);
    this.append({ event: 0, kind: 'retracted', number, day, persons }, [{ day, channel: this.channels.get(number)!, persons, sign: -1 }]);
  }

  feature(number: number, day: string): void {
    this.statements.get(number)!.featured = true;
    this.append({ event: 0, kind: 'featured', number, day }, []);
  }

  translate(number: number, day: string): void {
    this.append({ event: 0, kind: 'translated', number, day, locale: 'en' }, []);
  }

  /** A log of `statements` random statements over `days` days from 2026-01-01, with some retracted, amended, featured. */
  static random(statements: number, options: { days?: number; seed?: number } = {}): FakeLog {
    const random = demoRandom(options.seed ?? 7);
    const log = new FakeLog();
    const days = options.days ?? 30;
    const perDay = Math.max(1, Math.ceil(statements / days));
    for (let i = 0; i < statements; i++) {
      const day = dayAfter('2026-01-01', Math.floor(i / perDay));
      const persons = Array.from({ length: random.int(1, 3) }, () => randomPerson(random));
      const number = log.publish(day, persons, { channel: random.pick(CHANNEL_KINDS) });
      const earlier = random.int(1001, number);
      if (random.chance(0.03) && log.statements.has(earlier)) log.retract(earlier, day);
      else if (random.chance(0.02)) log.amend(number, day, { text: `修改 ${number}` });
      else if (random.chance(0.02)) log.feature(number, day);
      else if (random.chance(0.01)) log.translate(number, day);
    }
    return log;
  }

  /**
   * The mirror's files: key, checkpoint (of `size` entries, default all; cosigned by `witnesses`,
   * signer keys of type 0x04), tiles and bundles of that tree, the count of the first `statsSize`
   * entries (default `size`) dated `day` (default the last entry's), and the day lists.
   */
  async files(options: { size?: number; statsSize?: number; day?: string; witnesses?: readonly string[]; signerKey?: string } = {}): Promise<FakeFiles> {
    const size = options.size ?? this.entries.length;
    const encoded = this.entries.slice(0, size).map(encodeLogEntry);
    const { stored, reader } = await storeTree(encoded);
    const files: FakeFiles = new Map();
    files.set('log/key', text(`${this.verifierKey}\n`));
    for (const tile of tilesForSize(size)) {
      files.set(`log/${tilePath(tile)}`, await readTileData(tile, reader));
      if (tile.level === 0) files.set(`log/${entryBundlePath(tile)}`, encodeEntryBundle(encoded.slice(tile.index * TILE_WIDTH, tile.index * TILE_WIDTH + tile.width)));
    }
    const checkpoint = formatCheckpoint({ origin: this.origin, size, rootHash: await treeHash(size, reader), extensions: [] });
    const signers = [noteSigner(options.signerKey ?? this.signerKey), ...(options.witnesses ?? []).map((w) => cosigner(w))];
    files.set('log/checkpoint', text(signNote({ text: checkpoint }, signers)));
    const statsSize = options.statsSize ?? size;
    const day = options.day ?? this.entries[this.entries.length - 1]?.day ?? '2026-01-01';
    files.set('api/v1/stats.json', json(this.count(statsSize, day, await treeHash(statsSize, hashReaderFromArray(stored)))));
    const byDay = new Map<string, FakeStatement[]>();
    for (const s of [...this.statements.values()].sort((a, b) => a.registrationNumber - b.registrationNumber)) {
      const list = byDay.get(s.publishedOn);
      if (list) list.push(s);
      else byDay.set(s.publishedOn, [s]);
    }
    for (const [date, statements] of byDay) files.set(`api/v1/statements/${date}.json`, json({ date, statements }));
    return files;
  }

  /** The stats document for the first `size` entries, from the fake's own moves. */
  private count(size: number, day: string, root: Hash): unknown {
    const byOrganization = new Map<string, number>(ORGANIZATIONS.map((o) => [o, 0]));
    const byRegion: Record<string, number> = Object.fromEntries(REGIONS.map(([code]) => [code, 0]));
    const byChannel: Record<string, number> = Object.fromEntries(CHANNEL_KINDS.map((c) => [c, 0]));
    const days = new Map<string, { day: string; published: number; retracted: number }>();
    let total = 0;
    for (const move of this.moves.slice(0, size).flat()) {
      const d = days.get(move.day) ?? { day: move.day, published: 0, retracted: 0 };
      days.set(move.day, d);
      for (const person of move.persons) {
        total += move.sign;
        for (const o of person.organizations) byOrganization.set(o, byOrganization.get(o)! + move.sign);
        byRegion[person.region]! += move.sign;
        byChannel[move.channel]! += move.sign;
        if (move.sign > 0) d.published++;
        else d.retracted++;
      }
    }
    const summary = summarizeCount(new Date(`${day}T12:00:00Z`), total, [...days.values()], byOrganization, `${day}T10:00:00.000Z`);
    return { ...summary, byRegion, byChannel, day, log: { origin: this.origin, size, rootHash: Buffer.from(root).toString('base64') } };
  }

  private append(entry: LogEntry, moves: Move[]): void {
    this.entries.push({ ...entry, event: this.entries.length + 1 } as LogEntry);
    this.moves.push(moves);
  }
}

/** The stored hashes of a tree of these records, and a reader over them. */
export async function storeTree(records: readonly Uint8Array[]): Promise<{ stored: Hash[]; reader: ReturnType<typeof hashReaderFromArray> }> {
  const stored: Hash[] = [];
  const reader = hashReaderFromArray(stored);
  for (let n = 0; n < records.length; n++) stored.push(...(await storedHashes(n, records[n]!, reader)));
  return { stored, reader };
}

export function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function randomPerson(random: ReturnType<typeof demoRandom>): FakePerson {
  const organizations = ORGANIZATIONS.filter(() => random.chance(0.5));
  return { organizations: organizations.length > 0 ? organizations : ['party'], region: random.pick(REGIONS)[0] };
}

function personsOf(statement: FakeStatement): FakePerson[] {
  return statement.declarants.map((d) => ({ organizations: d.organizations as Organization[], region: d.region }));
}

function commit(statement: FakeStatement): Uint8Array {
  return statementCommitment(Buffer.from(statement.commitmentSalt, 'base64'), statement);
}

function text(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'utf8'));
}

export function json(value: unknown): Uint8Array {
  return text(JSON.stringify(value));
}

