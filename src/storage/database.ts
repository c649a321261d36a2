import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.js';
import { SqliteIntakeWriter } from './sqlite-intake-writer.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database of either dialect, with the means to close it. */
export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** Where the SQLite file lives; undefined for PostgreSQL. */
  file: string | undefined;
  /**
   * SQLite only: the thread that writes new submissions with a connection of its own
   * (sqlite-intake-writer.ts), started on first use and stopped by close().
   */
  intakeWriter?: SqliteIntakeWriter;
  /**
   * SQLite only: runs a query built and compiled by Kysely at once, on a read-only connection of
   * its own, and returns its first row. For the one look-up of the public site that must cost next
   * to nothing (a stored statement page): Kysely's asynchronous path costs more than the look-up
   * itself. Outside every transaction, it sees committed data only.
   */
  readFirstSync?: <R>(query: CompiledQuery) => R | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /**
   * PostgreSQL: most milliseconds to wait for a connection — a new one, or a free one from the
   * pool — before the query fails (and the request gets 503).
   */
  databaseConnectTimeoutMs?: number;
  /** PostgreSQL: most milliseconds to wait for the answer to one statement. */
  databaseQueryTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = 'rcenter.sqlite';

/** Opens PostgreSQL when a URL is given, otherwise the SQLite file under the data directory. */
export function openDatabase(options: DatabaseOptions): Database {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options.dataDir);
}

/**
 * Settings of every connection to the SQLite file that writes (this one and the intake writer
 * thread's). WAL with synchronous=FULL: a COMMIT returns only after the WAL is fsync'ed
 * (promise 7). Deleted text is overwritten, not left in free pages of the file. Checkpoints run
 * on their own thread (sqlite-checkpoint.worker.mjs), never inside a COMMIT.
 */
const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'secure_delete = ON',
  'wal_autocheckpoint = 0',
  // 64 MiB of page cache (the default is 2 MiB): the intake writer's inserts land on random
  // pages of the id, receipt and declarant indexes, which outgrow a small cache within a few
  // hundred thousand statements and would then be read again for every insert.
  'cache_size = -65536',
  // While transactions follow one another with no gap (a flood of submissions) the WAL cannot
  // start again from its beginning and grows; once it can, the first write trims the file back
  // to 64 MiB instead of leaving the flood's size on the disk for good.
  'journal_size_limit = 67108864',
] as const;

function openSqlite(dataDir: string): Database {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const sqlite = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  // The reading connection (public pages): random look-ups over a large file cost a system call
  // per page without these; with them they are memory reads. Writes still go through the WAL.
  sqlite.pragma('mmap_size = 1073741824');
  fs.chmodSync(file, 0o600);
  const checkpointer = new Worker(new URL('./sqlite-checkpoint.worker.mjs', import.meta.url), {
    workerData: { file, intervalMs: 200 },
  });
  checkpointer.unref();
  // Raised while this connection waits for the write lock: the intake writer thread then starts
  // no new transaction until the lock is taken, so a busy intake cannot starve this connection,
  // and the event loop waits at most for the transaction the thread has already begun.
  const waitingForLock = new Int32Array(new SharedArrayBuffer(4));
  const intakeWriter = new SqliteIntakeWriter(file, SQLITE_PRAGMAS, waitingForLock);
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite, waitingForLock) }),
  });
  const reader = new ReadOnlyConnection(file);
  return {
    db,
    dialect: 'sqlite',
    file,
    intakeWriter,
    readFirstSync: (query) => reader.first(query),
    close: async () => {
      reader.close();
      await intakeWriter.close();
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
 * A read-only connection to the SQLite file, opened on first use, with the reading connection's
 * page cache and mmap, and a prepared statement per SQL text.
 */
class ReadOnlyConnection {
  private connection: SQLite.Database | undefined;
  private readonly statements = new Map<string, SQLite.Statement>();
  private closed = false;

  constructor(private readonly file: string) {}

  first<R>(query: CompiledQuery): R | undefined {
    let statement = this.statements.get(query.sql);
    if (!statement) {
      if (this.closed) throw new Error('the database is closed');
      if (!this.connection) {
        this.connection = new SQLite(this.file, { readonly: true, fileMustExist: true });
        // Like every connection here: wait a moment for a lock (e.g. WAL recovery), never fail at once.
        this.connection.pragma('busy_timeout = 1000');
        this.connection.pragma('cache_size = -65536');
        this.connection.pragma('mmap_size = 1073741824');
      }
      statement = this.connection.prepare(query.sql);
      if (!statement.reader) throw new Error('readFirstSync runs queries that read, nothing else');
      if (this.statements.size >= 100) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(query.sql, statement);
    }
    return statement.get(query.parameters as unknown[]) as R | undefined;
  }

  close(): void {
    this.closed = true;
    this.statements.clear();
    this.connection?.close();
    this.connection = undefined;
  }
}

/**
 * Transactions on this connection take the write lock when they begin (BEGIN IMMEDIATE), not at
 * their first write. The intake writer thread writes to the same file with a connection of its
 * own; a deferred transaction that read before that thread committed could not write afterwards
 * (SQLITE_BUSY_SNAPSHOT, which no busy timeout retries). Taking the lock first makes it wait
 * instead (busy_timeout), as it used to wait for its turn on the single connection.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  /**
   * better-sqlite3 answers synchronously, so the queries of one request awaited one after the
   * other would otherwise run in a single turn of the event loop (a resolved promise yields to
   * nothing but other promises): a request of 50 look-ups would hold every other request for
   * all of them. After each query (or transaction) has released the connection, its answer
   * waits for the event loop's next turn, so other requests and I/O are served between them
   * and one request holds the loop for at most its longest query. A transaction is not broken
   * up: it begins as soon as it is asked for and holds the connection to its end.
   */
  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely's SQLite driver prepares every statement anew; parsing the SQL again each time costs
 * about a tenth of the intake's write path. The same SQL text gets the same prepared statement.
 *
 * A statement that writes outside a transaction — a BEGIN IMMEDIATE, or a write on its own — has
 * to take the write lock, and waits for it synchronously (busy_timeout); while it does,
 * `waitingForLock` tells the intake writer thread to hold back its next transaction.
 */
function withStatementCache(sqlite: SQLite.Database, waitingForLock: Int32Array, max = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  const prepare = (sql: string): SqliteStatement => {
    const statement = sqlite.prepare(sql);
    if (statement.reader) return statement;
    return {
      reader: false,
      all: (parameters) => statement.all(parameters as unknown[]),
      iterate: (parameters) => statement.iterate(parameters as unknown[]),
      run: (parameters) => {
        if (sqlite.inTransaction) return statement.run(parameters as unknown[]);
        Atomics.add(waitingForLock, 0, 1);
        try {
          return statement.run(parameters as unknown[]);
        } finally {
          Atomics.sub(waitingForLock, 0, 1);
          Atomics.notify(waitingForLock, 0);
        }
      },
    };
  };
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (!statement) {
        statement = prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * The pool, bounded in time so that nothing waits for a database that is not there: a connection
 * (new, or free in the pool) within `databaseConnectTimeoutMs` (default 3 s), each statement's
 * answer within `databaseQueryTimeoutMs` (default 15 s); a request then gets 503
 * (database-errors.ts). A lost connection is dropped, and the next query opens a new one, so
 * service resumes by itself when the server is back.
 */
function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.databaseConnectTimeoutMs ?? 3_000,
    // A statement that hangs (for example while the server is failing over) must not hold a request forever.
    query_timeout: options.databaseQueryTimeoutMs ?? 15_000,
    application_name: 'rcenter',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may one in use (between the statements of a transaction, or when the server shuts down
  // while it runs one): pg emits 'error' on it as well as failing its query, and with no
  // listener that would be an uncaught exception. The query's own error is what is answered;
  // the client is no longer queryable, so the pool drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', file: undefined, close: () => db.destroy() };
}
