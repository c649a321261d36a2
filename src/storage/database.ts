import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database of either dialect, with the means to close it. */
export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** Where the SQLite file lives; undefined for PostgreSQL. */
  file: string | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

export const SQLITE_FILE_NAME = 'rcenter.sqlite';

/** Opens PostgreSQL when a URL is given, otherwise the SQLite file under the data directory. */
export function openDatabase(options: DatabaseOptions): Database {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openSqlite(options.dataDir);
}

function openSqlite(dataDir: string): Database {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const sqlite = new SQLite(file);
  // WAL with synchronous=FULL: a COMMIT returns only after the WAL is fsync'ed (promise 7).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted text is overwritten, not left in free pages of the file.
  sqlite.pragma('secure_delete = ON');
  fs.chmodSync(file, 0o600);
  // Checkpoints run on their own thread (sqlite-checkpoint.worker.mjs), not inside a COMMIT here.
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpointer = new Worker(new URL('./sqlite-checkpoint.worker.mjs', import.meta.url), {
    workerData: { file, intervalMs: 200 },
  });
  checkpointer.unref();
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    file,
    close: async () => {
      await db.destroy();
      const exited = new Promise((resolve) => checkpointer.once('exit', resolve));
      // Unreferenced while idle, so it never keeps a process alive; referenced while it stops.
      checkpointer.ref();
      checkpointer.postMessage('stop');
      await exited;
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew; parsing the SQL again each time costs
 * about a tenth of the intake's write path. The same SQL text gets the same prepared statement.
 */
function withStatementCache(sqlite: SQLite.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    // A statement that hangs (for example while the server is failing over) must not hold a request forever.
    query_timeout: 15_000,
    application_name: 'rcenter',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', file: undefined, close: () => db.destroy() };
}
