import { parse } from 'csv-parse/sync';
import type { Channel } from '../domain/channels.js';
import { errorMessage, type FieldError } from '../domain/service-error.js';
import { validateSubmission, type SubmissionDraft } from '../domain/submission.js';
import type { Database } from '../storage/database.js';
import { buildAssistedRecord, checkAssisted, writeAssistedRecords } from './assisted-entry.js';
import type { StaffMember } from './staff-sessions.js';

/** The columns of an import file; `organizations` lists several separated by `;` or `|`. */
export const IMPORT_COLUMNS = ['displayName', 'nameKind', 'organizations', 'region', 'occupation', 'channel', 'consent', 'language', 'title', 'text'] as const;
const REQUIRED = ['displayName', 'nameKind', 'organizations', 'region', 'channel', 'consent'];

export interface ImportProblem {
  line: number;
  message: string;
}

export class ImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`${problems.length} problem(s); nothing was imported`);
    this.name = 'ImportRejected';
  }
}

interface Parsed {
  drafts: { draft: SubmissionDraft; channel: Channel }[];
  problems: ImportProblem[];
}

/** Reads and validates a whole CSV file; reports every bad row with its line number. */
export function parseImport(content: Buffer): Parsed {
  const problems: ImportProblem[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return { drafts: [], problems: [{ line: 0, message: errorMessage({ code: 'invalid_encoding' }, 'en') }] };
  }
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, info: true, bom: true, max_record_size: 64 * 1024 });
  } catch (error) {
    // csv-parse's own line count takes a CRLF for two lines when the file mixes line endings;
    // its byte offset is exact (the start of an unclosed quoted record, else the end of the bad
    // record), so the line is counted from that, and its "on line N" dropped.
    const { bytes, code } = error as { bytes?: number; code?: string };
    const before = Buffer.from(text, 'utf8').subarray(0, bytes ?? 0).toString('utf8');
    const line = bytes === undefined ? 0 : 1 + lineBreaks(code === 'CSV_QUOTE_NOT_CLOSED' ? before : before.replace(/[\r\n]+$/, ''));
    return { drafts: [], problems: [{ line, message: `not valid CSV: ${(error as Error).message.replace(/ (?:on|at) line \d+$/, '')}` }] };
  }
  if (rows.length === 0) return { drafts: [], problems: [{ line: 1, message: 'the file has no rows under its header' }] };
  const headerEnd = (parse(text, { info: true, to: 1, bom: true }) as unknown as { info: { bytes: number } }[])[0]!.info.bytes;
  const lines = startLines(text, headerEnd, rows.map((r) => (r.info as { bytes?: number }).bytes ?? 0));
  const header = Object.keys(rows[0]!.record);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing column(s): ${missing.join(', ')}` : '', unknown.length ? `unknown column(s): ${unknown.join(', ')}` : ''];
    return { drafts: [], problems: [{ line: 1, message: `${parts.filter(Boolean).join('; ')} (columns: ${IMPORT_COLUMNS.join(', ')})` }] };
  }
  const drafts: Parsed['drafts'] = [];
  for (const [index, { record }] of rows.entries()) {
    const line = lines[index]!;
    const errors: FieldError[] = [];
    const channel = checkAssisted(record.channel, record.consent, errors);
    const validation = validateSubmission(
      {
        language: record.language || 'zh-hans',
        ...(record.title ? { title: record.title } : {}),
        ...(record.text ? { text: record.text } : {}),
        declarants: [
          {
            displayName: record.displayName,
            nameKind: record.nameKind,
            organizations: (record.organizations ?? '').split(/[;|]/).map((o) => o.trim()).filter(Boolean),
            region: record.region,
            ...(record.occupation ? { occupation: record.occupation } : {}),
          },
        ],
      },
      false,
    );
    if (!validation.ok) errors.push(...validation.errors);
    if (errors.length > 0 || !validation.ok) {
      for (const e of errors) problems.push({ line, message: errorMessage({ ...e, field: e.field?.replace('declarants[0].', '') }, 'en') });
    } else {
      drafts.push({ draft: validation.value, channel });
    }
  }
  return { drafts, problems };
}

/**
 * Imports a CSV of withdrawals recorded by a volunteer: all rows or none, in one transaction.
 * `onProgress` reports rows written.
 */
export async function importCsv(
  database: Database,
  content: Buffer,
  member: StaffMember,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const { drafts, problems } = parseImport(content);
  if (problems.length > 0) throw new ImportRejected(problems);
  const built = await Promise.all(
    drafts.map(async ({ draft, channel }) => (await buildAssistedRecord(draft, { channel, member, ageRecipients: [] })).record),
  );
  await database.db.transaction().execute((trx) =>
    writeAssistedRecords(trx, built, { member, source: 'import' }, (n) => onProgress?.(n, built.length)),
  );
  return built.length;
}

/** Line breaks in `text`: CRLF, CR or LF, each one. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * The line on which each record starts. csv-parse's `info.lines` is the line where a record ends
 * (a quoted field may span lines), and counts a CRLF inside quotes as two lines; `info.bytes` (where
 * each record ends) is exact, so lines are counted from it. Blank lines before a record are skipped,
 * as csv-parse skips them.
 */
function startLines(text: string, headerEnd: number, ends: number[]): number[] {
  const bytes = Buffer.from(text, 'utf8');
  const starts: number[] = [];
  let line = 1;
  let pos = 0;
  const step = () => {
    const b = bytes[pos];
    if (b === 0x0a || (b === 0x0d && bytes[pos + 1] !== 0x0a)) line++;
    pos++;
  };
  let start = headerEnd;
  for (const end of ends) {
    while (pos < start) step();
    while (pos < bytes.length && (bytes[pos] === 0x20 || bytes[pos] === 0x09 || bytes[pos] === 0x0a || bytes[pos] === 0x0d)) step();
    starts.push(line);
    start = end;
  }
  return starts;
}
