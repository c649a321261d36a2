// Searches everything a database keeps for strings that must be gone: every row of every table
// (PostgreSQL: every base table; SQLite: every table but the FTS5 shadow tables, whose blobs are
// searched in the file) and, on SQLite, every byte of the database file and WAL after a
// checkpoint. Shared by the retention suites.
import { sql } from 'kysely';
import type { Database, Dialect } from '../../src/storage/database.js';
import { dumpPostgresRows, searchFiles, searchRows, type Hit } from '../support/server-process.js';

/** Where each needle was found, as a readable list for a failure message. */
export const showHits = (hits: Hit[]) => hits.map((h) => `  "${h.needle}" in ${h.where}: …${h.context}…`).join('\n');

/** Every row of every table, as JSON text with where it came from. */
export async function everyRow(database: Database, dialect: Dialect): Promise<{ where: string; text: string }[]> {
  if (dialect === 'postgres') return dumpPostgresRows(database.db);
  const tables = await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'statement_search_%'`.execute(database.db);
  const dump: { where: string; text: string }[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(database.db);
    rows.rows.forEach((r, i) => dump.push({ where: `${name}#${i}`, text: JSON.stringify(r) }));
  }
  return dump;
}

/** Every place a needle is found: rows, and on SQLite the files under `dataDir`. */
export async function leftovers(database: Database, dialect: Dialect, dataDir: string, needles: string[]): Promise<Hit[]> {
  const hits = searchRows(await everyRow(database, dialect), needles);
  if (dialect === 'sqlite') {
    await checkpointFully(database);
    hits.push(...searchFiles([dataDir], needles).hits);
  }
  return hits;
}

/**
 * SQLite: copies the whole WAL into the database file and empties it, so that the file scan sees
 * what the database holds now (secure_delete has overwritten what was deleted). A checkpoint
 * that another connection keeps from finishing (the checkpoint thread's own PASSIVE run, the
 * intake writer, a page stored in the background) says `busy`: asked again until it is not — a
 * condition awaited, with a deadline, not a pause that hopes.
 */
export async function checkpointFully(database: Database): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
    const row = result.rows[0];
    if (row && Number(row.busy) === 0 && Number(row.log) === Number(row.checkpointed)) return;
    if (Date.now() > deadline) throw new Error(`the WAL could not be checkpointed fully: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * SQLite: the needles found in the blobs of the search index (FTS5's `statement_search_data`),
 * where a deleted document's terms stay, unsearchable, until their segment is merged. Terms are
 * prefix-compressed there, so needles must not share a long prefix with other terms.
 */
export async function searchIndexHits(database: Database, needles: string[]): Promise<string[]> {
  const blocks = await sql<{ block: Uint8Array | null }>`select block from statement_search_data`.execute(database.db);
  return needles.filter((needle) => blocks.rows.some((r) => r.block !== null && Buffer.from(r.block).includes(needle.toLowerCase())));
}
