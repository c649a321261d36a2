import { CompactTally, type TallyFigures } from '../domain/compact-tally.js';
import { decodeLogEntry } from '../domain/log-entry.js';
import type { Checkpoint, Hash } from '../tlog/index.js';
import { checkCount, parsePublishedCount, type PublishedCount } from './log-count-check.js';
import { checkCheckpoint, chooseLogKey, type ChosenKey } from './log-key-check.js';
import { LogSourceError, type LogSource } from './log-source.js';
import { checkStatements, type StatementsMode } from './log-statements-check.js';
import { checkMirror } from './mirror/mirror-check.js';
import { checkEntriesAndTiles } from './log-tree-check.js';
import { LogCheckFailure, type CheckLine } from './log-verify-support.js';
import { readVerifyState, VerifyStateError, writeVerifyState, type VerifyState } from './log-verify-state.js';

// `rcenter verify URL|DIR` (issue 14): proves a center or a mirror, trusting nothing it serves.
//   1. the checkpoint is signed by the log's key (given, pinned, or — said so — the log's own),
//      and cosigned by at least a quorum of the witnesses given;
//   2. the entries rebuild the tree: every bundle and tile, and the checkpoint's root; every
//      entry decodes strictly and the history adds up (CompactTally, tallyEntry's rules);
//   3. the tree verified last time (--state) is the start of this one;
//   4. the published count is exactly the tally of the entries it says it counts;
//   5. the statements served are exactly those the log publishes, each matching its commitment;
//   6. a DIR is a mirror as `rcenter export-site` wrote it (mirror/mirror-check.ts).
// Then, only if everything held, the state file moves on to this checkpoint.

export interface VerifyOptions {
  /** The log's verifier key; without it the key pinned in the state, else the log's own (TOFU). */
  key?: string;
  /** Witnesses' cosignature verifier keys (type 0x04). */
  witnesses?: readonly string[];
  /** Valid cosignatures needed, of distinct witnesses given (default: all of them). */
  quorum?: number;
  /** The state file: read before, written after a run where everything passed. */
  stateFile?: string;
  statements?: StatementsMode;
  /**
   * A DIR: whether it must be a mirror written by `rcenter export-site` (its signed manifest,
   * files, statement pages and counts checked: step 6). Default true; false for a bare copy of
   * the log and the statements JSON.
   */
  manifest?: boolean;
  random?: () => number;
  /** Each check's line, as soon as it is known. */
  onCheck?(line: CheckLine): void;
  onProgress?(step: 'entries' | 'statements', done: number, total: number): void;
}

export interface VerifyResult {
  /** True only when no check failed. */
  ok: boolean;
  lines: CheckLine[];
  checkpoint?: Checkpoint;
  /** Whether the state file was written (everything passed). */
  stateWritten: boolean;
}

/** Verifies the log, count and statements a source serves; see the steps above. */
export async function verifyLog(given: LogSource, options: VerifyOptions = {}): Promise<VerifyResult> {
  // A mirror served over HTTP (it serves mirror/manifest) has the files' layout, and is checked as one.
  const source: LogSource = given.layout === 'service' && (await isServedMirror(given)) ? { ...given, layout: 'files', read: given.read } : given;
  const lines: CheckLine[] = [];
  const report = (line: CheckLine) => {
    lines.push(line);
    options.onCheck?.(line);
  };
  const result = (checkpoint?: Checkpoint, stateWritten = false): VerifyResult => ({ ok: lines.every((l) => l.ok !== false), lines, checkpoint, stateWritten });

  const state = await loadState(options.stateFile, report);
  if (state === null) return result();
  const key = await chooseLogKey(source, options.key, state, options.stateFile, report);
  if (!key) return result();
  // The count is read before the checkpoint: as the log grows, it then counts no more than the checkpoint holds.
  const stats = await readStats(source, report);
  const opened = await checkCheckpoint(source, key, options.witnesses ?? [], options.quorum, report);
  if (!opened) return result();
  const { checkpoint } = opened;
  precheckHistory(state, checkpoint, options.stateFile, report);
  const read = await readEntries(source, checkpoint, state, stats, options, report);
  if (!read) return result(checkpoint);
  checkHistory(state, checkpoint, read.roots, report);
  if (stats) reportCount(stats, checkpoint, read, report);
  await reportStatements(source, read.tally, options, report);
  if (source.layout === 'files' && options.manifest !== false) await checkMirror(source, key.verifier, checkpoint, read.tally, report);
  else if (source.layout === 'service') {
    report({ ok: undefined, check: 'mirror', detail: 'not checked: the source serves no mirror/manifest, so it was checked as a center, not its pages (a mirror serves its manifest; one that does not cannot be proved)' });
  } else if (source.layout === 'files') report({ ok: undefined, check: 'mirror', detail: 'not checked (--no-manifest): the files beside the log and the statements JSON are not compared with a signed manifest' });
  const passed = lines.every((l) => l.ok !== false);
  if (passed && options.stateFile) await writeVerifyState(options.stateFile, newState(checkpoint, key));
  return result(checkpoint, passed && options.stateFile !== undefined);
}

async function isServedMirror(source: LogSource): Promise<boolean> {
  try {
    return (await source.read('mirror/manifest', 64 * 1024)) !== undefined;
  } catch {
    return false; // the checks that follow say what is wrong with the source
  }
}

/** The state, undefined without one (or on a first run), null when the file is unusable (reported). */
async function loadState(file: string | undefined, report: (line: CheckLine) => void): Promise<VerifyState | undefined | null> {
  if (file === undefined) return undefined;
  try {
    return await readVerifyState(file);
  } catch (error) {
    if (!(error instanceof VerifyStateError)) throw error;
    report({ ok: false, check: 'state', detail: `${error.message}; nothing was checked (move it away to start afresh)` });
    return null;
  }
}

async function readStats(source: LogSource, report: (line: CheckLine) => void): Promise<PublishedCount | undefined> {
  const path = source.layout === 'service' ? 'api/v1/stats' : 'api/v1/stats.json';
  try {
    const bytes = await source.read(path, 1024 * 1024);
    if (bytes === undefined) throw new LogCheckFailure(`the source serves no count at ${path}`);
    return parsePublishedCount(bytes);
  } catch (error) {
    report({ ok: false, check: 'count', detail: failureText(error) });
    return undefined;
  }
}

function precheckHistory(state: VerifyState | undefined, checkpoint: Checkpoint, file: string | undefined, report: (line: CheckLine) => void): void {
  if (state === undefined) {
    report({
      ok: undefined,
      check: 'history',
      detail: file
        ? `first run with ${file}: nothing to compare with yet; this tree head is kept for the next run`
        : 'not compared with an earlier run (no --state FILE): a rolled-back or forked log would not be noticed',
    });
    return;
  }
  if (state.origin !== checkpoint.origin) {
    report({ ok: false, check: 'history', detail: `the state is of the log ${state.origin}, this checkpoint of ${checkpoint.origin}` });
  } else if (checkpoint.size < state.size) {
    report({ ok: false, check: 'history', detail: `the checkpoint has ${checkpoint.size} entries, fewer than the ${state.size} verified on ${state.verifiedAt}: the log was rolled back` });
  }
}

function checkHistory(state: VerifyState | undefined, checkpoint: Checkpoint, roots: Map<number, Hash>, report: (line: CheckLine) => void): void {
  if (state === undefined || state.origin !== checkpoint.origin || checkpoint.size < state.size) return;
  const root = roots.get(state.size);
  if (root !== undefined && Buffer.from(root).toString('base64') === state.rootHash) {
    report({ ok: true, check: 'history', detail: `the ${state.size} entries verified on ${state.verifiedAt} are the start of these ${checkpoint.size}, unchanged` });
  } else {
    report({ ok: false, check: 'history', detail: `the first ${state.size} entries no longer make the root verified on ${state.verifiedAt}: the history was rewritten` });
  }
}

interface EntriesRead {
  tally: CompactTally;
  roots: Map<number, Hash>;
  /** The tally as of the stats' log.size, when that is within the checkpoint. */
  counted?: TallyFigures;
}

async function readEntries(
  source: LogSource,
  checkpoint: Checkpoint,
  state: VerifyState | undefined,
  stats: PublishedCount | undefined,
  options: VerifyOptions,
  report: (line: CheckLine) => void,
): Promise<EntriesRead | undefined> {
  const tally = new CompactTally();
  const countedSize = stats && stats.log.size <= checkpoint.size ? stats.log.size : undefined;
  let counted = countedSize === 0 ? tally.snapshot() : undefined;
  let entryFailure = false;
  const onEntry = (bytes: Uint8Array, index: number) => {
    try {
      tally.add(decodeLogEntry(bytes));
    } catch (error) {
      entryFailure = true;
      throw new LogCheckFailure(`entry ${index}: ${(error as Error).message}`);
    }
    if (tally.size === countedSize) counted = tally.snapshot();
  };
  try {
    const rootsAt = [state?.size, countedSize].filter((n) => n !== undefined);
    const roots = await checkEntriesAndTiles(source, { size: checkpoint.size, rootHash: checkpoint.rootHash, rootsAt, onEntry, onProgress: (done, total) => options.onProgress?.('entries', done, total) });
    report({ ok: true, check: 'tree', detail: `every entry bundle and tile of the ${checkpoint.size} entries matches the tree they make, and its root is the checkpoint's` });
    report({ ok: true, check: 'entries', detail: `every entry decodes (rc-log/v1) and the history adds up: ${tally.published} statements published, ${tally.total} persons counted` });
    return { tally, roots, counted };
  } catch (error) {
    if (!(error instanceof LogCheckFailure || error instanceof LogSourceError)) throw error;
    if (entryFailure) report({ ok: undefined, check: 'tree', detail: 'not finished: reading stopped at the entry that failed' });
    report({ ok: false, check: entryFailure ? 'entries' : 'tree', detail: error.message });
    report({ ok: undefined, check: 'count, statements', detail: 'not checked: the entries could not be read and verified' });
    return undefined;
  }
}

function reportCount(stats: PublishedCount, checkpoint: Checkpoint, read: EntriesRead, report: (line: CheckLine) => void): void {
  const root = read.roots.get(stats.log.size);
  if (read.counted === undefined || root === undefined) {
    report({
      ok: false,
      check: 'count log',
      detail: `the count is of ${stats.log.size} entries, more than the checkpoint's ${checkpoint.size}: it cannot be checked (if the log just grew, run again)`,
    });
    return;
  }
  for (const line of checkCount(stats, read.counted, root, checkpoint.origin)) report(line);
}

async function reportStatements(source: LogSource, tally: CompactTally, options: VerifyOptions, report: (line: CheckLine) => void): Promise<void> {
  const mode = options.statements ?? 'all';
  if (mode === 'none') {
    report({ ok: undefined, check: 'statements', detail: 'not checked (--statements none)' });
    return;
  }
  try {
    const r = await checkStatements(source, tally, { mode, random: options.random, onProgress: (done, total) => options.onProgress?.('statements', done, total) });
    const days = mode === 'sample' ? `${r.days} days drawn at random of the ${r.daysWithEntries} with entries` : `all ${r.days} days with entries`;
    if (r.problemCount === 0) {
      report({ ok: true, check: 'statements', detail: `the ${r.statements} statements served on ${days} are exactly those the log publishes there, each matching its commitment` });
    } else {
      const more = r.problemCount > r.problems.length ? [`… and ${r.problemCount - r.problems.length} more`] : [];
      report({ ok: false, check: 'statements', detail: `${r.problemCount} problems in ${r.statements} statements served on ${days}:`, notes: [...r.problems, ...more] });
    }
  } catch (error) {
    report({ ok: false, check: 'statements', detail: failureText(error) });
  }
}

function newState(checkpoint: Checkpoint, key: ChosenKey): VerifyState {
  return {
    version: 1,
    origin: checkpoint.origin,
    key: key.text,
    size: checkpoint.size,
    rootHash: Buffer.from(checkpoint.rootHash).toString('base64'),
    verifiedAt: new Date().toISOString(),
  };
}

/** The message of an expected failure; anything else is a bug and is rethrown. */
export function failureText(error: unknown): string {
  if (error instanceof LogCheckFailure || error instanceof LogSourceError) return error.message;
  throw error;
}
