import fs from 'node:fs';
import path from 'node:path';
import type { CountDifference } from '../domain/recount.js';
import { openDatabase, SQLITE_FILE_NAME, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { findPostgresTool, postgresUserTables, tableRowCounts, runPostgresTool } from '../storage/postgres-backup.repository.js';
import { checkSqliteFile, isSqliteFile, REPORTED_TABLES } from '../storage/sqlite-backup.repository.js';
import { verifyAuditChain, type AuditVerdict } from './audit-verifier.js';
import { BackupError, createPrivateFile, PG_TOOL_MISSING, type BackupProgress, type BackupTarget } from './backup-creator.js';
import { recountCounts } from './counts-recounter.js';

/** What a restore put in place and what its checks found. */
export interface RestoreResult {
  dialect: 'sqlite' | 'postgres';
  /** Migrations applied on top of the backup (a backup of an older version). */
  migrations: string[];
  rows: Record<string, number>;
  statements: number;
  /** Count cells that differ from a recount (none in a good backup). */
  differences: CountDifference[];
  audit: AuditVerdict;
}

/**
 * `rcenter restore FILE`: into an empty data directory (SQLite: the file is copied with mode
 * 0600 and checked with integrity_check before it takes the database's name) or an empty
 * PostgreSQL database (`pg_restore --no-owner --single-transaction`). Then the schema is brought
 * up to date and the result verified: `recount` and `audit verify`, as an operator would.
 * Refuses a target that already holds a database.
 */
export async function restoreBackup(target: BackupTarget, file: string, progress: BackupProgress): Promise<RestoreResult> {
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new BackupError(`${source} is not a file`);
  if (target.databaseUrl) return restorePostgres(target.databaseUrl, source, progress);
  await restoreSqlite(target.dataDir, source, progress);
  return verify(openDatabase({ dataDir: target.dataDir }), 'sqlite', progress);
}

async function restoreSqlite(dataDir: string, source: string, progress: BackupProgress): Promise<void> {
  if (!isSqliteFile(source)) throw new BackupError(`${source} is not a SQLite backup (for PostgreSQL, set DATABASE_URL)`);
  const destination = path.join(dataDir, SQLITE_FILE_NAME);
  for (const existing of [destination, `${destination}-wal`]) {
    if (fs.existsSync(existing)) throw new BackupError(`${existing} exists: restore only into an empty data directory (set DATA_DIR to a new one)`);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const partial = `${destination}.restoring`;
  fs.rmSync(partial, { force: true });
  createPrivateFile(partial);
  try {
    progress.step(`copying ${source} to ${partial}`);
    await copyWithProgress(source, partial, progress);
    progress.step('checking the copy (integrity_check)');
    const check = checkSqliteFile(partial);
    if (!check.ok) throw new BackupError(`the backup failed its integrity check: ${check.problems.join('; ')}`);
    if (check.rows.submission === undefined) throw new BackupError(`${source} is not a Renunciation Center database (no submission table)`);
    fs.renameSync(partial, destination);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

async function copyWithProgress(from: string, to: string, progress: BackupProgress): Promise<void> {
  const total = fs.statSync(from).size;
  const input = fs.openSync(from, 'r');
  const output = fs.openSync(to, 'r+');
  try {
    const buffer = Buffer.alloc(4 << 20);
    let done = 0;
    for (let n; (n = fs.readSync(input, buffer, 0, buffer.length, done)) > 0; done += n) {
      fs.writeSync(output, buffer, 0, n, done);
      progress.amount(done + n, total);
      // Let the progress line draw between chunks of a large file.
      await new Promise((resolve) => setImmediate(resolve));
    }
    fs.fsyncSync(output);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}

async function restorePostgres(databaseUrl: string, source: string, progress: BackupProgress): Promise<RestoreResult> {
  const pgRestore = findPostgresTool('pg_restore');
  if (!pgRestore) throw new BackupError(PG_TOOL_MISSING('pg_restore'));
  const database = openDatabase({ databaseUrl, dataDir: '.', poolSize: 2 });
  try {
    const tables = await postgresUserTables(database.db);
    if (tables.length > 0) {
      throw new BackupError(`the database of DATABASE_URL is not empty (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}): restore only into a new, empty database`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  progress.step(`running ${pgRestore} --no-owner --single-transaction`);
  try {
    await runPostgresTool(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--verbose', source], databaseUrl, (line) => {
      const table = /processing data for table "?([^"\s]+)"?/.exec(line);
      if (table) progress.step(`restoring ${table[1]}`);
    });
  } catch (error) {
    await database.close();
    throw new BackupError(error instanceof Error ? error.message : String(error));
  }
  return verify(database, 'postgres', progress);
}

/** Brings the restored database's schema up to date, then recounts and verifies the audit chain. */
async function verify(database: Database, dialect: 'sqlite' | 'postgres', progress: BackupProgress): Promise<RestoreResult> {
  try {
    progress.step('applying pending migrations');
    const migrations = await migrateToLatest(database.db);
    progress.step('recounting the counts from the statements');
    const recount = await recountCounts(database, { repair: false, actor: 'cli', onProgress: () => {} });
    progress.step('verifying the audit log');
    const audit = await verifyAuditChain(database);
    const rows = await tableRowCounts(database.db, REPORTED_TABLES);
    return { dialect, migrations, rows, statements: recount.statements, differences: recount.differences, audit };
  } finally {
    await database.close();
  }
}
