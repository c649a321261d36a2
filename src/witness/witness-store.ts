/**
 * What a witness keeps (c2sp.org/tlog-witness: "the latest checkpoint it observed and
 * verified" per log): one row per log origin, in SQLite under the witness's own data directory.
 * No request, client or address is ever stored. Every write is a compare-and-swap on the row it
 * read, inside an IMMEDIATE transaction (the write lock taken before the read), so two requests —
 * in one process or in several on the same file — cannot roll a log's size back.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** The database file under the data directory. */
export const WITNESS_DB_FILE_NAME = 'witness.sqlite';

/** The latest checkpoint the witness cosigned for a log. */
export interface WitnessedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The signed checkpoint note as the log sent it (its signatures are evidence). */
  readonly checkpoint: string;
  /** When it was cosigned: the timestamp of the cosignature, POSIX seconds. */
  readonly cosignedAt: number;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE witnessed_checkpoint (
  origin      TEXT    NOT NULL PRIMARY KEY,
  size        INTEGER NOT NULL CHECK (size >= 0),
  root_hash   BLOB    NOT NULL CHECK (length(root_hash) = 32),
  checkpoint  TEXT    NOT NULL,
  cosigned_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- A last guard under the compare-and-swap: a stored size never goes down.
CREATE TRIGGER witnessed_checkpoint_never_shrinks BEFORE UPDATE OF size ON witnessed_checkpoint
  WHEN NEW.size < OLD.size BEGIN SELECT RAISE(ABORT, 'witnessed checkpoint size would go down'); END;
`;

interface Row {
  origin: string;
  size: number;
  root_hash: Buffer;
  checkpoint: string;
  cosigned_at: number;
}

/** The witness's database: opened (and created, 0700 directory, 0600 file) by {@link openWitnessStore}. */
export class WitnessStore {
  private readonly select: SQLite.Statement<[string], Row>;
  private readonly insert: SQLite.Statement<[string, number, Buffer, string, number]>;
  private readonly update: SQLite.Statement<[number, Buffer, string, number, string, number, Buffer]>;

  constructor(private readonly db: SQLite.Database) {
    this.select = db.prepare('SELECT origin, size, root_hash, checkpoint, cosigned_at FROM witnessed_checkpoint WHERE origin = ?');
    this.insert = db.prepare(
      'INSERT INTO witnessed_checkpoint (origin, size, root_hash, checkpoint, cosigned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING',
    );
    this.update = db.prepare(
      'UPDATE witnessed_checkpoint SET size = ?, root_hash = ?, checkpoint = ?, cosigned_at = ? WHERE origin = ? AND size = ? AND root_hash = ?',
    );
  }

  /** The latest cosigned checkpoint of `origin`, if any. */
  latest(origin: string): WitnessedCheckpoint | undefined {
    const row = this.select.get(origin);
    return row && { origin: row.origin, size: row.size, rootHash: new Uint8Array(row.root_hash), checkpoint: row.checkpoint, cosignedAt: row.cosigned_at };
  }

  /**
   * Replaces `expected` (undefined: no checkpoint yet) by `next` for the same origin, only if the
   * stored row is still `expected`; false if it is not.
   */
  compareAndSwap(expected: WitnessedCheckpoint | undefined, next: WitnessedCheckpoint): boolean {
    const root = Buffer.from(next.rootHash);
    const result =
      expected === undefined
        ? this.insert.run(next.origin, next.size, root, next.checkpoint, next.cosignedAt)
        : this.update.run(next.size, root, next.checkpoint, next.cosignedAt, next.origin, expected.size, Buffer.from(expected.rootHash));
    return result.changes === 1;
  }

  /** Runs `work` in one IMMEDIATE transaction, committed (and flushed) before it returns; rolled back if it throws. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  close(): void {
    this.db.close();
  }
}

/** Opens the store in `dataDir`, creating the directory (0700), the file (0600) and the schema as needed. */
export function openWitnessStore(dataDir: string): WitnessStore {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, WITNESS_DB_FILE_NAME);
  const db = new SQLite(file);
  try {
    fs.chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    // Acknowledged means durable: a cosignature is only returned once its checkpoint is on disk.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0) {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      } else if (version !== SCHEMA_VERSION) {
        throw new Error(`${file} has witness schema version ${version}; this rcenter knows version ${SCHEMA_VERSION}`);
      }
    }).immediate();
    return new WitnessStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}
