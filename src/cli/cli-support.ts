// What the staff commands (user, token, import, audit) share: an open, migrated database; errors
// that become messages on stderr and exit code 1; a progress bar on stderr; a plain text table.
import { loadConfig } from '../config.js';
import { errorMessage, ServiceError } from '../domain/service-error.js';
import { openDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';

/** Who CLI actions are recorded as in the audit log. */
export const CLI_ACTOR = 'cli';

/**
 * A failure to report as is: each line goes to stderr after `rcenter: ` (see index.ts), and the
 * exit code is 1. Nothing else is printed (no stack trace).
 */
export class CliError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'CliError';
  }
}

/** The messages of a ServiceError (every one, in English), or rethrows anything else. */
export function serviceErrorLines(error: unknown, overrides: Partial<Record<string, string>> = {}): never {
  if (error instanceof ServiceError) {
    throw new CliError(error.errors.map((e) => overrides[`${e.code}:${e.field ?? ''}`] ?? overrides[e.code] ?? errorMessage(e, 'en')));
  }
  throw error;
}

/**
 * Opens the database of the configuration (DATA_DIR or DATABASE_URL), brings its schema up to
 * date so that the command works on a fresh install, runs `work`, and closes it whatever happens.
 */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase({ ...loadConfig(), poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * Progress of a long task on stderr: on a terminal one line redrawn with `\r` (a bar, done/total),
 * otherwise a plain line at each quarter. Quiet for small jobs (fewer than `minTotal` items).
 */
export class Progress {
  private lastDraw = 0;
  private lastQuarter = 0;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly minTotal = 1000,
    private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, total: number): void {
    if (total < this.minTotal || total <= 0) return;
    const fraction = Math.min(1, done / total);
    if (this.tty) {
      const now = Date.now();
      if (done < total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      this.stream.write(`\r${this.label} [${bar}] ${done}/${total} (${Math.floor(fraction * 100)}%)`);
      this.drawn = true;
    } else {
      const quarter = Math.floor(fraction * 4);
      if (quarter <= this.lastQuarter) return;
      this.lastQuarter = quarter;
      this.stream.write(`rcenter: ${this.label} ${done}/${total} (${Math.floor(fraction * 100)}%)\n`);
    }
  }

  /** Ends the redrawn line, if one was drawn. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** Columns as wide as a terminal shows them: East Asian wide and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

/** Makes stored text safe to print on a terminal: control and text-direction characters shown as `?`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu, '?');
}

/** A table with a header row, columns separated by two spaces, left-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map(printable))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
