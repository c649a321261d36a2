import fs from 'node:fs';
import path from 'node:path';
import { SQLITE_FILE_NAME } from '../storage/database.js';
import { findPostgresTool, listDumpTables, runPostgresTool } from '../storage/postgres-backup.repository.js';
import { checkSqliteFile, snapshotSqlite } from '../storage/sqlite-backup.repository.js';

/** A backup or restore that cannot go ahead or failed; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Where the database is: DATABASE_URL for PostgreSQL, otherwise DATA_DIR for SQLite. */
export interface BackupTarget {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** How a long backup or restore reports: one line per step, and a fraction while copying. */
export interface BackupProgress {
  step(message: string): void;
  amount(done: number, total: number): void;
}

/** What a backup wrote and what its check found. */
export interface BackupResult {
  dialect: 'sqlite' | 'postgres';
  file: string;
  bytes: number;
  /** SQLite: rows of the main tables in the copy. */
  rows: Record<string, number>;
  /** PostgreSQL: the tables whose data the dump holds. */
  tables: string[];
}

export const PG_TOOL_MISSING = (tool: string) =>
  `${tool} was not found on PATH or in /usr/lib/postgresql/*/bin; install the PostgreSQL client tools (the server's major version or newer)`;

/**
 * `rcenter backup FILE`. SQLite: a consistent online snapshot with SQLite's backup API while the
 * service keeps running, then opened and checked (integrity_check, rows counted). PostgreSQL:
 * `pg_dump --format=custom --no-owner`, then listed with `pg_restore --list`. The file is
 * created with mode 0600 and never overwritten; a failed backup leaves no file behind.
 */
export async function createBackup(target: BackupTarget, file: string, progress: BackupProgress): Promise<BackupResult> {
  const out = path.resolve(file);
  const source = path.join(target.dataDir, SQLITE_FILE_NAME);
  if (!target.databaseUrl && !fs.existsSync(source)) throw new BackupError(`there is no database at ${source} (check DATA_DIR)`);
  const pgDump = target.databaseUrl ? findPostgresTool('pg_dump') : undefined;
  if (target.databaseUrl && !pgDump) throw new BackupError(PG_TOOL_MISSING('pg_dump'));
  createPrivateFile(out);
  try {
    if (!target.databaseUrl) return await backupSqlite(source, out, progress);
    return await backupPostgres(pgDump!, target.databaseUrl, out, progress);
  } catch (error) {
    fs.rmSync(out, { force: true });
    fs.rmSync(`${out}-journal`, { force: true });
    throw error;
  }
}

/** Creates `file` empty with mode 0600; refuses one that exists. */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupError(`${file} already exists; a backup never overwrites a file`);
    throw new BackupError(`cannot create ${file}: ${code ?? String(error)}`);
  }
  fs.fchmodSync(fd, 0o600);
  fs.closeSync(fd);
}

async function backupSqlite(source: string, out: string, progress: BackupProgress): Promise<BackupResult> {
  progress.step(`copying ${source} (online: the service may keep running)`);
  await snapshotSqlite(source, out, (done, total) => progress.amount(done, total));
  fs.chmodSync(out, 0o600);
  progress.step('checking the copy (integrity_check)');
  const check = checkSqliteFile(out);
  if (!check.ok) throw new BackupError(`the copy failed its integrity check: ${check.problems.join('; ')}`);
  if (check.rows.submission === undefined) throw new BackupError('the copy has no submission table: is DATA_DIR the service\'s data directory?');
  return { dialect: 'sqlite', file: out, bytes: fs.statSync(out).size, rows: check.rows, tables: [] };
}

async function backupPostgres(pgDump: string, databaseUrl: string, out: string, progress: BackupProgress): Promise<BackupResult> {
  progress.step(`running ${pgDump} --format=custom --no-owner`);
  await runPostgresTool(pgDump, ['--format=custom', '--no-owner', '--verbose', `--file=${out}`], databaseUrl, (line) => {
    const table = /dumping contents of table "?([^"\s]+)"?/.exec(line);
    if (table) progress.step(`dumping ${table[1]}`);
  });
  fs.chmodSync(out, 0o600);
  const pgRestore = findPostgresTool('pg_restore');
  let tables: string[] = [];
  if (pgRestore) {
    progress.step('checking the dump (pg_restore --list)');
    tables = await listDumpTables(pgRestore, out);
    for (const needed of ['submission', 'declarant', 'audit_log']) {
      if (!tables.includes(needed)) throw new BackupError(`the dump holds no data of table ${needed}: is DATABASE_URL the service's database?`);
    }
  }
  return { dialect: 'postgres', file: out, bytes: fs.statSync(out).size, rows: {}, tables };
}
