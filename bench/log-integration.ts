// How fast the transparency log integrates a backlog, and that the result verifies: `rcenter
// demo --people N` into a fresh database (SQLite; PostgreSQL too with TEST_DATABASE_URL), then
// the sequencer's integratePending, timed, with the longest batch; then the whole log checked
// from its tables as a verifier checks the served one — every entry bundle against its tile,
// the root from the tiles against the signed checkpoint, the tally recomputed from the entries
// against the stored one, and that tally against the rollups (`rcenter recount`'s check).
//
//   node --import tsx bench/log-integration.ts [--people 1000000] [--batch 1000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fillDemo } from '../src/commands/demo-filler.js';
import { logIdentity, logOrigin } from '../src/commands/log/log-identity.js';
import { integrateBatch } from '../src/commands/log/log-sequencer.js';
import { checkLogTally } from '../src/commands/log/log-tally-check.js';
import { readEntryBundle, readHashTile } from '../src/commands/log/log-tiles.js';
import { decodeLogEntry, emptyTally, tallyEntry } from '../src/domain/log-entry.js';
import { tallyFigures } from '../src/domain/log-tally.js';
import { openDatabase, type Database, type Dialect } from '../src/storage/database.js';
import { readLatestCheckpoint } from '../src/storage/log/transparency-log.repository.js';
import { migrateToLatest } from '../src/storage/migrator.js';
import { checkEntryBundle, decodeEntryBundle, openCheckpoint, TILE_WIDTH, treeHashFromTiles } from '../src/tlog/index.js';

const { values } = parseArgs({ options: { people: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '1000' } } });
const people = Number(values.people);
const batch = Number(values.batch);

async function fresh(dialect: Dialect): Promise<{ database: Database; done: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-log-bench-'));
  let databaseUrl: string | undefined;
  let drop = async () => {};
  if (dialect === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL!;
    const name = `rc_log_bench_${process.pid}`;
    const query = async (text: string) => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(text).finally(() => client.end());
    };
    await query(`create database ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = () => query(`drop database if exists ${name} with (force)`);
  }
  const database = openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(database.db);
  return {
    database,
    done: async () => {
      await database.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function run(dialect: Dialect): Promise<void> {
  const { database, done } = await fresh(dialect);
  try {
    const log = logIdentity(logOrigin(undefined), undefined);
    let started = performance.now();
    const demo = await fillDemo(database, { people, seed: 1, append: false });
    console.log(`${dialect}: demo of ${demo.persons} persons, ${demo.statements} statements in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    let longest = 0;
    let longestWrite = 0;
    const writes: number[] = [];
    let batches = 0;
    for (;;) {
      const t0 = performance.now();
      const r = await integrateBatch(database, log, batch);
      if (r.integrated === 0) break;
      longest = Math.max(longest, performance.now() - t0);
      longestWrite = Math.max(longestWrite, r.writeMs);
      writes.push(r.writeMs);
      batches++;
    }
    const seconds = (performance.now() - started) / 1000;
    const latest = (await readLatestCheckpoint(database))!;
    console.log(`${dialect}: integrated ${latest.size} entries in ${seconds.toFixed(1)} s (${Math.round(latest.size / seconds)} entries/s, ${batches} batches, longest ${longest.toFixed(0)} ms; ` +
        `transaction median ${[...writes].sort((a, b) => a - b)[Math.floor(writes.length / 2)]!.toFixed(1)} ms, 99th percentile ${[...writes].sort((a, b) => a - b)[Math.floor(writes.length * 0.99)]!.toFixed(1)} ms, longest ${longestWrite.toFixed(0)} ms)`);

    started = performance.now();
    const { checkpoint } = openCheckpoint(latest.note, { origin: log.origin, logVerifier: log.verifier });
    const tally = emptyTally();
    for (let index = 0; index * TILE_WIDTH < checkpoint.size; index++) {
      const tile = { level: 0, index, width: Math.min(TILE_WIDTH, checkpoint.size - index * TILE_WIDTH) };
      const entries = decodeEntryBundle(await readEntryBundle(database, tile), tile.width);
      checkEntryBundle(entries, await readHashTile(database, tile));
      for (const entry of entries) tallyEntry(tally, decodeLogEntry(entry));
    }
    const root = await treeHashFromTiles(checkpoint.size, { readTiles: (tiles) => Promise.all(tiles.map((tile) => readHashTile(database, tile))) });
    if (Buffer.compare(Buffer.from(root), Buffer.from(checkpoint.rootHash)) !== 0) throw new Error('the root from the tiles is not the checkpoint’s');
    if (JSON.stringify(tallyFigures(tally)) !== JSON.stringify(JSON.parse(latest.tally))) throw new Error('the stored tally is not the entries’');
    const check = await checkLogTally(database);
    if (check.behind !== 0 || check.differences.length > 0) throw new Error(`log and rollups differ: ${JSON.stringify(check).slice(0, 500)}`);
    console.log(`${dialect}: verified (signature, ${Math.ceil(checkpoint.size / TILE_WIDTH)} bundles against their tiles, root, tally = stored = rollups: ${tally.total} persons) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await done();
  }
}

for (const dialect of (process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']) as Dialect[]) await run(dialect);
