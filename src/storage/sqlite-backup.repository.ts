import fs from 'node:fs';
import SQLite from 'better-sqlite3';

/** What a check of a SQLite database file found. */
export interface SqliteFileCheck {
  /** `pragma integrity_check` said "ok". */
  ok: boolean;
  /** The first problems integrity_check reported (empty when ok). */
  problems: string[];
  /** Rows of the main tables (absent tables are left out: a backup of an older schema). */
  rows: Record<string, number>;
}

/** The tables whose rows a backup or restore reports. */
export const REPORTED_TABLES = ['submission', 'declarant', 'staff_user', 'audit_log', 'daily_count', 'purged_count'] as const;

/**
 * Copies a live SQLite database into `destination` with SQLite's online backup API (better-sqlite3
 * `db.backup`), while the service keeps writing. The source connection holds one read
 * transaction for the whole copy, so every page comes from the same snapshot (WAL readers never
 * block writers) and the copy never restarts because another connection wrote. `destination`
 * must exist and be empty (created by the caller with its permissions). The copy is left in
 * rollback-journal mode: one self-contained file.
 */
export async function snapshotSqlite(source: string, destination: string, onProgress: (done: number, total: number) => void): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('begin');
    // The first read fixes the snapshot the whole copy is taken from.
    db.prepare('select count(*) from sqlite_schema').get();
    await db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress(totalPages - remainingPages, totalPages);
        return 2_000;
      },
    });
    db.exec('commit');
  } finally {
    db.close();
  }
  const copy = new SQLite(destination, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Opens a SQLite file read-only and runs `pragma integrity_check`; counts the main tables' rows. */
export function checkSqliteFile(file: string): SqliteFileCheck {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const results = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = results.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    const tables = new Set((db.prepare(`select name from sqlite_schema where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const rows: Record<string, number> = {};
    for (const table of REPORTED_TABLES) {
      if (tables.has(table)) rows[table] = (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    }
    return { ok: problems.length === 0 && results.length > 0, problems: problems.slice(0, 10), rows };
  } finally {
    db.close();
  }
}

/** Whether a file starts with the SQLite header. */
export function isSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    fs.readSync(fd, header, 0, 16, 0);
    return header.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    fs.closeSync(fd);
  }
}
