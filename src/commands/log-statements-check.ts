import type { CompactTally } from '../domain/compact-tally.js';
import { COMMITMENT_SALT_BYTES, statementCommitment, type CommittedStatement } from '../domain/log-entry.js';
import { forEachConcurrently, LogCheckFailure } from './log-verify-support.js';
import type { LogSource } from './log-source.js';

// Step 5 of `rcenter verify`: the statements served, day by day, against the log. A day's served
// set must be exactly the numbers the log has published now whose `published` entry is of that
// day (publishedOn is the first publication day), and each served statement's fields must hash,
// with its salt, to the commitment of its latest `published` or `amended` entry. So a statement
// retracted in the log but still served, one served but never logged, one left out and one whose
// text, title or names were changed after publication are all found.

export type StatementsMode = 'all' | 'sample' | 'none';

export interface StatementsCheckOptions {
  mode: Exclude<StatementsMode, 'none'>;
  /** Days read in `sample` mode (default 1,000). */
  sampleDays?: number;
  random?: () => number;
  /** Days read at once (default 8). */
  concurrency?: number;
  onProgress?(days: number, total: number): void;
}

export interface StatementsCheckResult {
  /** Days read, and of how many that have entries. */
  days: number;
  daysWithEntries: number;
  statements: number;
  /** What did not hold, in plain words (at most MAX_PROBLEMS kept), and how many there were. */
  problems: string[];
  problemCount: number;
}

const MAX_PROBLEMS = 1000;
const MAX_PAGES = 10_000;
const MAX_PAGE_BYTES = 64 * 1024 * 1024;
const MAX_DAY_FILE_BYTES = 512 * 1024 * 1024;
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

/** Reads the statements of every day with entries (or a random sample of days) and checks them against the tally. */
export async function checkStatements(source: LogSource, tally: CompactTally, options: StatementsCheckOptions): Promise<StatementsCheckResult> {
  const allDays = [...tally.entryDays].sort();
  const days = options.mode === 'all' ? allDays : sample(allDays, options.sampleDays ?? 1000, options.random ?? Math.random);
  const byDay = tally.publishedByDay();
  const result: StatementsCheckResult = { days: days.length, daysWithEntries: allDays.length, statements: 0, problems: [], problemCount: 0 };
  const problem = (text: string) => {
    if (result.problemCount++ < MAX_PROBLEMS) result.problems.push(text);
  };
  let done = 0;
  await forEachConcurrently(days, options.concurrency ?? 8, async (day) => {
    const seen = new Set<number>();
    for await (const page of readDay(source, day)) {
      for (const raw of page) {
        result.statements++;
        checkServed(raw, day, tally, seen, problem);
      }
    }
    for (const number of byDay.get(day) ?? []) {
      if (!seen.has(number)) problem(`statement ${number} is published in the log on ${day}, but not served`);
    }
    options.onProgress?.(++done, days.length);
  });
  result.problems.sort();
  return result;
}

function checkServed(raw: unknown, day: string, tally: CompactTally, seen: Set<number>, problem: (text: string) => void): void {
  let served: { statement: CommittedStatement; salt: Uint8Array };
  try {
    served = readStatement(raw);
  } catch (error) {
    problem(`${day}: a statement that is not as the contract says (${(error as Error).message})`);
    return;
  }
  const { statement, salt } = served;
  const number = statement.registrationNumber;
  if (seen.has(number)) return problem(`statement ${number} is served twice on ${day}`);
  seen.add(number);
  const logged = tally.commitmentAndDay(number);
  if (logged === undefined) {
    return problem(`statement ${number} is served on ${day}, but the log ${tally.retracted.has(number) ? 'retracted it' : 'never published it'}`);
  }
  if (logged.publishedOn !== day) return problem(`statement ${number} is served on ${day}, but the log published it on ${logged.publishedOn}`);
  if (statement.publishedOn !== day) return problem(`statement ${number} is listed on ${day} but says it was published on ${statement.publishedOn}`);
  if (!Buffer.from(statementCommitment(salt, statement)).equals(logged.commitment)) {
    problem(`statement ${number} (${day}): its published fields do not match the log's commitment (text, title, names or another field was changed)`);
  }
}

/** The pages of one day's statements: from the service `?date=&page=` until `hasMore` is false; in a mirror one file. */
async function* readDay(source: LogSource, day: string): AsyncGenerator<unknown[]> {
  if (source.layout === 'files') {
    const bytes = await source.read(`api/v1/statements/${day}.json`, MAX_DAY_FILE_BYTES);
    if (bytes === undefined) return; // no file: nothing served that day
    yield readList(bytes, day, undefined).statements;
    return;
  }
  for (let page = 1; page <= MAX_PAGES; page++) {
    const bytes = await source.read(`api/v1/statements?date=${day}&page=${page}`, MAX_PAGE_BYTES);
    if (bytes === undefined) {
      if (page === 1) return;
      throw new LogCheckFailure(`${day}: page ${page} is missing though page ${page - 1} said there is more`);
    }
    const list = readList(bytes, day, page);
    yield list.statements;
    if (!list.hasMore) return;
    if (list.statements.length === 0) throw new LogCheckFailure(`${day}: page ${page} is empty but says there is more`);
  }
  throw new LogCheckFailure(`${day}: more than ${MAX_PAGES} pages`);
}

function readList(bytes: Uint8Array, day: string, page: number | undefined): { hasMore: boolean; statements: unknown[] } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new LogCheckFailure(`${day}${page ? ` page ${page}` : ''}: the statements are not JSON`);
  }
  const where = `${day}${page ? ` page ${page}` : ''}`;
  if (typeof json !== 'object' || json === null || json.date !== day) throw new LogCheckFailure(`${where}: the list is not of that date`);
  if (page !== undefined && (json.page !== page || typeof json.hasMore !== 'boolean')) throw new LogCheckFailure(`${where}: the list lacks its page or hasMore`);
  if (!Array.isArray(json.statements)) throw new LogCheckFailure(`${where}: "statements" is not a list`);
  return { hasMore: json.hasMore === true, statements: json.statements };
}

/** The committed fields and the salt of a served statement; throws naming the first field that is wrong. */
export function readStatement(raw: unknown): { statement: CommittedStatement; salt: Uint8Array } {
  const s = record(raw, 'statement');
  const number = s.registrationNumber;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw new Error('registrationNumber');
  const salt = s.commitmentSalt;
  if (typeof salt !== 'string' || !BASE64_32.test(salt)) throw new Error(`statement ${number}: commitmentSalt is not base64 of ${COMMITMENT_SALT_BYTES} bytes`);
  if (!Array.isArray(s.declarants)) throw new Error(`statement ${number}: declarants`);
  const statement: CommittedStatement = {
    registrationNumber: number,
    publishedOn: text(s.publishedOn, number, 'publishedOn'),
    language: text(s.language, number, 'language'),
    title: textOrNull(s.title, number, 'title'),
    // The statement API may publish a statement without text; the commitment writes that as null.
    text: textOrNull(s.text, number, 'text') as string,
    declarants: s.declarants.map((d: unknown) => {
      const declarant = record(d, `statement ${number}: a declarant`);
      const organizations = declarant.organizations;
      if (!Array.isArray(organizations) || !organizations.every((o) => typeof o === 'string')) throw new Error(`statement ${number}: organizations`);
      return {
        displayName: text(declarant.displayName, number, 'displayName'),
        nameKind: text(declarant.nameKind, number, 'nameKind'),
        organizations: organizations as string[],
        region: text(declarant.region, number, 'region'),
        occupation: textOrNull(declarant.occupation, number, 'occupation'),
      };
    }),
  };
  return { statement, salt: new Uint8Array(Buffer.from(salt, 'base64')) };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, number: number, field: string): string {
  if (typeof value !== 'string') throw new Error(`statement ${number}: ${field} is not text`);
  return value;
}

function textOrNull(value: unknown, number: number, field: string): string | null {
  return value === null ? null : text(value, number, field);
}

/** Up to `n` of `days`, at random, in order. */
function sample(days: string[], n: number, random: () => number): string[] {
  if (days.length <= n) return days;
  const copy = [...days];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n).sort();
}
