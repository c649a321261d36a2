// Investigation helper for the ingest benchmark: what one group-commit batch costs in SQLite,
// without HTTP — for the write path exactly as it is in src/ and for a few variations of it.
// Time spent here blocks the app's event loop (better-sqlite3 is synchronous), so it is time in
// which no other request is parsed or answered.
//
//   node --import tsx bench/storage-micro.ts [--batch 32] [--records 60000] [--dir /tmp] [--only NAME]
//
// Every variant starts from a fresh database opened with openDatabase() and migrated by
// migrateToLatest() from src/, and writes the same records, built by the app's own
// createSubmission() from the benchmark's bodies. Variants:
//
//   src                        db.transaction().execute(trx => insertSubmissions(trx, batch)): the app's writer
//   src, time-ordered ids      the same, with ids that grow with time (UUIDv7-like) instead of random
//                              UUIDv4, so the id-keyed indexes are appended to. An upper bound only:
//                              such ids carry the exact time of submission, which the app must not store
//                              (src/commands/clock.ts keeps only the minute).
//   src, no declarant_name_key the same, after DROP INDEX declarant_name_key (what that index costs)
//   src, cache_size = 64 MiB   the same, with a larger SQLite page cache than the default 2 MiB
//   src, no count upserts      the same rows through Kysely, without applyCountMoves (what the counts cost)
//   raw better-sqlite3         the same rows and the same count upserts, as cached single-row statements
//                              in db.transaction() (what Kysely costs)
//
// Columns: wall time per record, CPU time (user + system) of this process per record, bytes
// written per record (/proc/self/io write_bytes − cancelled_write_bytes: WAL, checkpoints — also
// those of src's checkpoint thread, which is part of this process — and temporary files), and how
// long one batch held the thread.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql, type Transaction } from 'kysely';
import { countMoves, mergeCountMoves } from '../src/domain/count-moves.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrator.js';
import type { Schema } from '../src/storage/schema.js';
import { countedStatement, insertSubmissions, type SubmissionRecord } from '../src/storage/submission.repository.js';
import { makeRecords } from './bodies.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '32' },
    records: { type: 'string', default: '60000' },
    dir: { type: 'string', default: os.tmpdir() },
    only: { type: 'string' },
  },
});
const BATCH = Number(values.batch);
const RECORDS = Number(values.records);


/** A UUIDv7-shaped id: 48-bit millisecond time, a counter, random bits; sorts by creation. */
let lastMs = 0;
let counter = 0;
function timeOrderedId(): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  const hex =
    now.toString(16).padStart(12, '0') + (0x7000 + (counter & 0xfff)).toString(16) + crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
function withTimeOrderedIds(batch: SubmissionRecord[]): SubmissionRecord[] {
  return batch.map((r) => {
    const id = timeOrderedId();
    return { submission: { ...r.submission, id }, declarants: r.declarants.map((d) => ({ ...d, submission_id: id })) };
  });
}

type Writer = (batch: SubmissionRecord[]) => Promise<void> | void;

interface Variant {
  name: string;
  /** Given the migrated database of src, returns how to write a batch. */
  writer(database: Database, file: string): Writer;
  prepare?(file: string): void;
}

const srcWriter = (database: Database): Writer => (batch) => database.db.transaction().execute((trx) => insertSubmissions(trx, batch));

/** insertSubmissions without the count upserts (same chunking, same Kysely statements). */
async function insertWithoutCounts(trx: Transaction<Schema>, records: SubmissionRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    await trx.insertInto('submission').values(records.slice(i, i + 500).map((r) => r.submission)).execute();
  }
  const declarants = records.flatMap((r) => r.declarants);
  for (let i = 0; i < declarants.length; i += 500) {
    await trx.insertInto('declarant').values(declarants.slice(i, i + 500)).execute();
  }
}

/** The same rows and count upserts with better-sqlite3 alone, on a second connection. */
function rawWriter(file: string, sample: SubmissionRecord): Writer {
  const sqlite = new SQLite(file);
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('wal_autocheckpoint = 0'); // src's checkpoint thread (still running) does them
  const insert = (table: string, columns: string[]) =>
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  const insertSubmission = insert('submission', Object.keys(sample.submission));
  const insertDeclarant = insert('declarant', Object.keys(sample.declarants[0]!));
  const upsertCount = sqlite.prepare(
    'insert into daily_count (day, metric, dimension, value, n) values (?, ?, ?, ?, ?) ' +
      'on conflict (day, metric, dimension, value) do update set n = daily_count.n + excluded.n',
  );
  const tx = sqlite.transaction((batch: SubmissionRecord[]) => {
    for (const r of batch) {
      insertSubmission.run(r.submission);
      for (const d of r.declarants) insertDeclarant.run(d);
    }
    const moves = batch.flatMap((r) => countMoves('received', r.submission.received_at.slice(0, 10), countedStatement(r)));
    for (const m of mergeCountMoves(moves)) upsertCount.run(m.day, m.metric, m.dimension, m.value, m.delta);
  });
  return (batch) => void tx(batch);
}

const VARIANTS: Variant[] = [
  { name: 'src', writer: srcWriter },
  {
    name: 'src, time-ordered ids (upper bound)',
    writer: (database) => {
      const write = srcWriter(database);
      return (batch) => write(withTimeOrderedIds(batch));
    },
  },
  {
    name: 'src, no declarant_name_key index',
    writer: (database) => srcWriter(database),
    prepare: (file) => {
      const sqlite = new SQLite(file);
      sqlite.exec('drop index if exists declarant_name_key');
      sqlite.close();
    },
  },
  {
    name: 'src, cache_size = 64 MiB',
    writer: (database) => {
      // SQLite's default page cache is 2 MiB; random index pages beyond it are read back with a syscall each.
      void sql`pragma cache_size = -65536`.execute(database.db);
      return srcWriter(database);
    },
  },
  {
    name: 'src, no count upserts',
    writer: (database) => (batch) => database.db.transaction().execute((trx) => insertWithoutCounts(trx, batch)),
  },
  { name: 'raw better-sqlite3 (same rows, same counts)', writer: (_database, file) => rawWriter(file, records[0]!) },
];

function bytesWritten(): number {
  try {
    const io = fs.readFileSync('/proc/self/io', 'utf8');
    return Number(/^write_bytes: (\d+)/m.exec(io)![1]) - Number(/^cancelled_write_bytes: (\d+)/m.exec(io)![1]);
  } catch {
    return Number.NaN;
  }
}

const records = await makeRecords(RECORDS, 7);
const base = fs.mkdtempSync(path.join(values.dir!, 'rc-storage-micro-'));
process.stdout.write(`${RECORDS} records in batches of ${BATCH}, in ${base}\n\n`);
process.stdout.write(`${'variant'.padEnd(44)}  wall µs/rec  CPU µs/rec  KiB written/rec  batch ms p50    p99    max\n`);
try {
  for (const variant of VARIANTS) {
    if (values.only && !variant.name.includes(values.only)) continue;
    const dir = path.join(base, variant.name.replace(/\W+/g, '-'));
    let database = openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    const file = database.file!;
    if (variant.prepare) {
      await database.close();
      variant.prepare(file);
      database = openDatabase({ dataDir: dir });
    }
    const write = variant.writer(database, file);
    const batches: SubmissionRecord[][] = [];
    for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
    const times: number[] = [];
    const cpu = process.cpuUsage();
    const written = bytesWritten();
    const started = performance.now();
    for (const batch of batches) {
      const t = performance.now();
      await write(batch);
      times.push(performance.now() - t);
    }
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const bytes = bytesWritten() - written;
    const rows = await database.db.selectFrom('submission').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await database.close();
    if (Number(rows.n) !== RECORDS) throw new Error(`${variant.name}: ${rows.n} rows, expected ${RECORDS}`);
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
    process.stdout.write(
      `${variant.name.padEnd(44)}  ${((elapsed * 1000) / RECORDS).toFixed(1).padStart(11)}  ` +
        `${((used.user + used.system) / RECORDS).toFixed(1).padStart(10)}  ${(bytes / 1024 / RECORDS).toFixed(1).padStart(15)}  ` +
        `${q(50).toFixed(2).padStart(12)}  ${q(99).toFixed(2).padStart(5)}  ${times[times.length - 1]!.toFixed(1).padStart(5)}\n`,
    );
  }
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
