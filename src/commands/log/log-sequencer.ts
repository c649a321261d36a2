import { logEntryOfEvent, type StoredPublicationEvent } from '../../domain/publication-event.js';
import { encodeLogEntry, tallyEntry, emptyTally, type LogTally } from '../../domain/log-entry.js';
import { tallyFigures, tallyFromFigures, type TallyFigures } from '../../domain/log-tally.js';
import type { Database } from '../../storage/database.js';
import {
  commitLogBatch,
  eventsOfStatements,
  readLatestCheckpoint,
  readLogState,
  readStoredHashes,
  replaceCheckpointNote,
} from '../../storage/log/transparency-log.repository.js';
import { readPublicationEvents, readPublicationHead } from '../../storage/publication/publication-log.repository.js';
import {
  encodeEntryBundle,
  formatCheckpoint,
  TILE_WIDTH,
  openNote,
  signNote,
  storedHashes,
  storedHashIndex,
  treeHash,
  UnverifiedNoteError,
  type Hash,
  type HashReader,
} from '../../tlog/index.js';
import { subtreeIndexes } from '../../tlog/hash.js';
import type { LogIdentity } from './log-identity.js';
import { readEncodedEntries } from './log-tiles.js';

/**
 * Most events integrated in one batch. A batch is computed before its transaction (reads, entry
 * encoding, hashing, signing: about 10 ms per 1,000 events) and its transaction only inserts the
 * hashes (about 2 per event), the checkpoint and the state row: a few milliseconds of write lock.
 */
export const LOG_BATCH = 1000;

/** What one batch did. */
export interface LogBatchResult {
  /** Entries added to the log (0 when there was nothing new, or another process integrated them first). */
  integrated: number;
  /** The log's size after the batch, as this process last saw it. */
  size: number;
  /** Another process integrated the same events first: nothing written, try again. */
  lost: boolean;
  /** How long its transaction took (the write lock on SQLite), in milliseconds; 0 when it wrote nothing. */
  writeMs: number;
}

/**
 * Integrates the next events of the publication log into the transparency log (docs/log.md):
 * entry i is event i + 1, encoded as rc-log/v1; its record hash and the subtree hashes it
 * completes are stored, the tally of the entries is carried on, and a checkpoint of the new size
 * is signed — all written in one short transaction, only if no other process integrated them
 * first. The first call on an empty log signs the checkpoint of size 0. An entry that breaks the
 * count rules (tallyEntry) is never integrated: the batch fails and the log stays where it was.
 */
export async function integrateBatch(database: Database, log: LogIdentity, limit = LOG_BATCH, now = new Date()): Promise<LogBatchResult> {
  const state = await readLogState(database.db);
  const head = await readPublicationHead(database);
  const from = state.size;
  if (head <= from && (from > 0 || (await hasCheckpoint(database)))) return { integrated: 0, size: from, lost: false, writeMs: 0 };
  const events = head > from ? await readPublicationEvents(database.db, from, limit) : [];
  const tally = await tallyBefore(database, from, JSON.parse(state.tally) as TallyFigures, events);
  const entries = events.map((event) => {
    const entry = logEntryOfEvent(event);
    tallyEntry(tally, entry);
    return encodeLogEntry(entry);
  });
  const to = from + entries.length;
  const bundles = await completedBundles(database, from, entries);
  const reader = new BatchHashReader(database, from);
  await reader.prefetch();
  const firstIndex = from === 0 ? 0 : storedHashIndex(0, from);
  const added: Hash[] = [];
  for (const [i, entry] of entries.entries()) {
    const hashes = await storedHashes(from + i, entry, reader);
    reader.add(storedHashIndex(0, from + i), hashes);
    added.push(...hashes);
  }
  const rootHash = await treeHash(to, reader);
  const note = signNote({ text: formatCheckpoint({ origin: log.origin, size: to, rootHash, extensions: [] }) }, [log.signer]);
  const writing = performance.now();
  const written = await commitLogBatch(database, {
    fromSize: from,
    toSize: to,
    firstIndex,
    hashes: added,
    bundles,
    tally: JSON.stringify(tallyFigures(tally)),
    checkpoint: { rootHash, note, day: now.toISOString().slice(0, 10) },
  });
  const writeMs = performance.now() - writing;
  return written ? { integrated: entries.length, size: to, lost: false, writeMs } : { integrated: 0, size: from, lost: true, writeMs };
}

/**
 * The full entry bundles that entries from..from + entries.length complete, encoded once to be
 * stored: a bundle begun by an earlier batch has its first entries encoded again from their
 * events (at most 255; the encoding is canonical, so they are the bytes that were hashed).
 */
async function completedBundles(database: Database, from: number, entries: readonly Uint8Array[]): Promise<{ index: number; data: Uint8Array }[]> {
  const to = from + entries.length;
  const start = from - (from % TILE_WIDTH);
  if (start + TILE_WIDTH > to) return [];
  const earlier = from > start ? await readEncodedEntries(database, start, from - start) : [];
  const all = [...earlier, ...entries];
  const bundles: { index: number; data: Uint8Array }[] = [];
  for (let first = start; first + TILE_WIDTH <= to; first += TILE_WIDTH) {
    bundles.push({ index: first / TILE_WIDTH, data: encodeEntryBundle(all.slice(first - start, first - start + TILE_WIDTH)) });
  }
  return bundles;
}

/**
 * Integrates batch after batch until the log holds every event committed when it started;
 * resolves with how many entries it added. What the sequencer in `serve` does, awaited: for
 * tests, `rcenter demo` and the command line.
 */
export async function integratePending(database: Database, log: LogIdentity, options: { batch?: number; onBatch?(size: number): void } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await integrateBatch(database, log, options.batch);
    total += result.integrated;
    options.onBatch?.(result.size);
    if (result.integrated === 0 && !result.lost) return total;
  }
}

/**
 * Signs the latest checkpoint again when this process's key did not sign it (the log was given a
 * key after running with an ephemeral one, or the key was replaced): /log/checkpoint must verify
 * with the key /log/key serves even before the next change. Returns whether it did.
 */
export async function resignLatestCheckpoint(database: Database, log: LogIdentity): Promise<boolean> {
  const latest = await readLatestCheckpoint(database);
  if (!latest) return false;
  try {
    openNote(latest.note, [log.verifier]);
    return false;
  } catch (error) {
    if (!(error instanceof UnverifiedNoteError)) throw error;
  }
  const note = signNote({ text: formatCheckpoint({ origin: log.origin, size: latest.size, rootHash: latest.rootHash, extensions: [] }) }, [log.signer]);
  return replaceCheckpointNote(database.db, latest.size, latest.note, note);
}

async function hasCheckpoint(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('log_checkpoint').select('size').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The tally of the first `size` entries, with the statements that the batch's events other than
 * `published` need (their channel and persons), rebuilt from those statements' earlier events by
 * the same rules (tallyEntry on a scratch tally).
 */
async function tallyBefore(database: Database, size: number, figures: TallyFigures, events: readonly StoredPublicationEvent[]): Promise<LogTally> {
  const touched = events.filter((e) => e.kind !== 'published').map((e) => e.registration_number);
  const scratch = emptyTally();
  for (const event of await eventsOfStatements(database.db, touched, size)) {
    scratch.size = event.seq - 1;
    tallyEntry(scratch, logEntryOfEvent(event));
  }
  return tallyFromFigures(size, figures, scratch.statements);
}

/**
 * The hashes a batch reads: those it computed, and the few of the tree before it (the roots of
 * its perfect subtrees, read at once by `prefetch`); any other is read from storage.
 */
class BatchHashReader implements HashReader {
  private readonly known = new Map<number, Hash>();

  constructor(
    private readonly database: Database,
    private readonly from: number,
  ) {}

  async prefetch(): Promise<void> {
    if (this.from === 0) return;
    const indexes = subtreeIndexes(0, this.from);
    const hashes = await readStoredHashes(this.database.db, indexes);
    indexes.forEach((index, i) => this.known.set(index, hashes[i]!));
  }

  add(firstIndex: number, hashes: readonly Hash[]): void {
    hashes.forEach((hash, i) => this.known.set(firstIndex + i, hash));
  }

  async readHashes(indexes: readonly number[]): Promise<Hash[]> {
    const missing = indexes.filter((index) => !this.known.has(index));
    if (missing.length > 0) (await readStoredHashes(this.database.db, missing)).forEach((hash, i) => this.known.set(missing[i]!, hash));
    return indexes.map((index) => this.known.get(index)!);
  }
}
