// Investigation helper for the ingest benchmark: what the SQLite intake writer thread does per
// batch, without HTTP and without the thread — the same serialised statements
// (serialiseSubmissions from src/storage/submission-writer.ts) run the same way as
// sqlite-intake-writer.worker.mjs runs them (cached single-row statements, BEGIN IMMEDIATE …
// COMMIT, synchronous = FULL), on a database migrated by src's migrations.
//
//   node --import tsx bench/intake-micro.ts [--batch 8,16,32,64] [--records 20000] [--dir /tmp]
//                                           [--drop INDEX,…] [--pragma 'cache_size=-65536',…]
//                                           [--page-size 4096]
//
// No checkpoint runs during a variant, so the growth of the -wal file is exactly what the
// commits wrote: WAL frames (a 4 KiB page each, written whole however little of it changed) per
// submission, which is what the flush has to push to the disk. Columns: wall and CPU time per
// submission (the thread's whole cost, flush included), time inside COMMIT, WAL frames and KiB
// per submission. --drop removes indexes first (to see what one costs at intake, for
// investigation only: the schema is the migrations'), --pragma sets connection pragmas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { openDatabase, SQLITE_FILE_NAME } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrator.js';
import { serialiseSubmissions } from '../src/storage/submission-writer.js';
import { makeRecords } from './bodies.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '8,16,32,64' },
    records: { type: 'string', default: '20000' },
    dir: { type: 'string', default: os.tmpdir() },
    drop: { type: 'string', multiple: true },
    pragma: { type: 'string', multiple: true },
    'page-size': { type: 'string', default: '4096' },
  },
});
const RECORDS = Number(values.records);
const PAGE = Number(values['page-size']);


const records = await makeRecords(RECORDS, 7);
const base = fs.mkdtempSync(path.join(values.dir!, 'rc-intake-micro-'));
const variants: { name: string; batch: number; drop: string[] }[] = [];
for (const batch of values.batch!.split(',').map(Number)) {
  variants.push({ name: `batch ${batch}`, batch, drop: [] });
  for (const drop of values.drop ?? []) variants.push({ name: `batch ${batch}, drop ${drop}`, batch, drop: drop.split(',') });
}
process.stdout.write(`${RECORDS} submissions, page size ${PAGE}, ${base}${values.pragma ? `, pragmas ${values.pragma.join(' ')}` : ''}\n\n`);
process.stdout.write(`${'variant'.padEnd(48)}  wall µs/sub  CPU µs/sub  COMMIT ms/batch  frames/sub  KiB/sub\n`);
try {
  for (const variant of variants) {
    const dir = path.join(base, variant.name.replace(/\W+/g, '-'));
    if (PAGE !== 4096) {
      // A page size other than SQLite's default can only be chosen before the file has any page.
      fs.mkdirSync(dir, { recursive: true });
      const fresh = new SQLite(path.join(dir, SQLITE_FILE_NAME));
      fresh.pragma(`page_size = ${PAGE}`);
      fresh.pragma('journal_mode = WAL');
      fresh.close();
    }
    const database = openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    const file = database.file!;
    await database.close(); // stops the checkpoint thread too: nothing but these commits touches the WAL
    const sqlite = new SQLite(file);
    for (const pragma of ['synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000', 'secure_delete = ON', 'wal_autocheckpoint = 0']) {
      sqlite.pragma(pragma);
    }
    for (const pragma of values.pragma ?? []) sqlite.pragma(pragma);
    for (const index of variant.drop) sqlite.exec(`drop index ${index}`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const begin = sqlite.prepare('BEGIN IMMEDIATE');
    const commit = sqlite.prepare('COMMIT');
    const statements = new Map<string, SQLite.Statement>();
    const wal = `${file}-wal`;
    const walSize = () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
    const before = walSize();
    let commitMs = 0;
    let batches = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < records.length; i += variant.batch) {
      const serialised = serialiseSubmissions(records.slice(i, i + variant.batch));
      begin.run();
      for (const [sql, rows] of serialised) {
        let statement = statements.get(sql);
        if (!statement) statements.set(sql, (statement = sqlite.prepare(sql)));
        for (const row of rows) statement.run(row);
      }
      const t = performance.now();
      commit.run();
      commitMs += performance.now() - t;
      batches++;
    }
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const frames = (walSize() - before - 32) / (PAGE + 24);
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(
      `${variant.name.padEnd(48)}  ${((elapsed * 1000) / RECORDS).toFixed(1).padStart(11)}  ` +
        `${((used.user + used.system) / RECORDS).toFixed(1).padStart(10)}  ${(commitMs / batches).toFixed(2).padStart(15)}  ` +
        `${(frames / RECORDS).toFixed(2).padStart(10)}  ${((frames * PAGE) / 1024 / RECORDS).toFixed(1).padStart(7)}\n`,
    );
  }
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
