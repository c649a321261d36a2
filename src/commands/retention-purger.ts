import { movesOfStatement } from '../domain/recount.js';
import { retentionCutoffs, type RetentionCutoffs, type RetentionPolicy } from '../domain/retention.js';
import { appendAudit } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';
import {
  addPurgedCounts,
  countExpired,
  deleteSubmissions,
  eraseContacts,
  expiredContactIds,
  expiredSubmissions,
  truncateSqliteWal,
} from '../storage/retention.repository.js';
import { countErasable, deleteEditOriginals, eraseRetractedContent, expiredEditSubmissions, expiredRetractions } from '../storage/erasure.repository.js';

/** What one retention run deleted (or, in a dry run, would delete). */
export interface RetentionReport {
  dryRun: boolean;
  cutoffs: RetentionCutoffs;
  /** Rejected and duplicate submissions deleted with everything stored about them. */
  submissions: number;
  /** Their declarants. */
  persons: number;
  /** Contact ciphertexts erased from submissions that stay. */
  contacts: number;
  /** Retracted statements whose content (text, title, names, contact…) was erased; they stay counted. */
  retracted: number;
  /** Redacted originals (`submission_edit`) of published statements deleted. */
  edits: number;
  /** Answered messages deleted: always 0 until conversations exist (nothing is stored). */
  messages: number;
}

export interface RetentionOptions {
  /** Recorded in the audit log: `system` for the job inside `serve`, `cli` for `rcenter purge`. */
  actor: string;
  dryRun?: boolean;
  now?: Date;
  /** Submissions per transaction: bounds how long writers wait for the lock. */
  batchSize?: number;
  onProgress?: (report: RetentionReport) => void;
}

/**
 * Deletes what has outlived its retention period (README "Retention"): rejected and duplicate
 * submissions with their declarants, text bands, edits, translations and search entries; the
 * contact ciphertext of older submissions; the content of retracted statements (what their counts
 * are made of stays, so nothing to tally); and the originals of published statements' edits.
 * Each batch of deletions is one transaction that also adds the deleted statements' count moves
 * to `purged_count` — the rollups keep their history and `rcenter recount` adds that tally, so
 * the counts stay right. One audit entry per run that changed anything, with how many of each and
 * no personal data. On SQLite the WAL is emptied afterwards, and after erasing retracted
 * statements the search index is merged down so their tokens leave the file.
 */
export async function purgeExpired(database: Database, policy: RetentionPolicy, options: RetentionOptions): Promise<RetentionReport> {
  const cutoffs = retentionCutoffs(policy, options.now ?? new Date());
  if (options.dryRun) return { dryRun: true, cutoffs, messages: 0, ...(await countExpired(database.db, cutoffs)), ...(await countErasable(database.db, cutoffs)) };
  const report: RetentionReport = { dryRun: false, cutoffs, submissions: 0, persons: 0, contacts: 0, retracted: 0, edits: 0, messages: 0 };
  const batchSize = options.batchSize ?? 500;
  const progress = () => options.onProgress?.({ ...report });
  try {
    await purgeSubmissions(database, cutoffs.rejectedBefore, batchSize, report, progress);
    await eraseExpiredContacts(database, cutoffs.contactBefore, batchSize, report, progress);
    await eraseRetractions(database, cutoffs.retractedBefore, batchSize, report, progress);
    await eraseEdits(database, cutoffs.editsBefore, batchSize, report, progress);
  } catch (error) {
    // What was committed before the failure is still recorded.
    await auditRun(database, options.actor, report, true).catch(() => {});
    throw error;
  }
  await auditRun(database, options.actor, report, false);
  if (database.dialect === 'sqlite' && database.file && changedAnything(report)) {
    // Retracted statements left the search index at their retraction; their tokens leave the file now.
    await truncateSqliteWal(database.file, { compactSearch: report.retracted > 0 });
  }
  return report;
}

function changedAnything(r: RetentionReport): boolean {
  return r.submissions + r.contacts + r.retracted + r.edits + r.messages > 0;
}

async function purgeSubmissions(database: Database, before: string, batchSize: number, report: RetentionReport, progress: () => void): Promise<void> {
  for (;;) {
    const batch = await database.db.transaction().execute(async (trx) => {
      const expired = await expiredSubmissions(trx, database.dialect, before, batchSize);
      const deleted = await deleteSubmissions(trx, database.dialect, expired);
      if (deleted !== expired.length) throw new Error(`retention: ${expired.length - deleted} submissions changed while being purged`);
      await addPurgedCounts(trx, expired.flatMap((e) => movesOfStatement(e.statement)));
      return { found: expired.length, persons: expired.reduce((n, e) => n + e.statement.people.length, 0) };
    });
    // Counted once committed.
    report.submissions += batch.found;
    report.persons += batch.persons;
    const found = batch.found;
    if (found > 0) progress();
    if (found < batchSize) return;
  }
}

async function eraseExpiredContacts(database: Database, before: string, batchSize: number, report: RetentionReport, progress: () => void): Promise<void> {
  for (;;) {
    const ids = await expiredContactIds(database.db, before, batchSize);
    if (ids.length === 0) return;
    report.contacts += await database.db.transaction().execute((trx) => eraseContacts(trx, ids, before));
    progress();
    if (ids.length < batchSize) return;
  }
}

async function eraseRetractions(database: Database, before: string, batchSize: number, report: RetentionReport, progress: () => void): Promise<void> {
  for (;;) {
    const batch = await database.db.transaction().execute(async (trx) => {
      const expired = await expiredRetractions(trx, database.dialect, before, batchSize);
      const erased = await eraseRetractedContent(trx, database.dialect, expired);
      if (erased !== expired.length) throw new Error(`retention: ${expired.length - erased} retracted statements changed while being erased`);
      return erased;
    });
    report.retracted += batch;
    if (batch > 0) progress();
    if (batch < batchSize) return;
  }
}

async function eraseEdits(database: Database, before: string, batchSize: number, report: RetentionReport, progress: () => void): Promise<void> {
  for (;;) {
    const ids = await expiredEditSubmissions(database.db, before, batchSize);
    if (ids.length === 0) return;
    report.edits += await database.db.transaction().execute((trx) => deleteEditOriginals(trx, ids, before));
    progress();
    if (ids.length < batchSize) return;
  }
}

async function auditRun(database: Database, actor: string, report: RetentionReport, interrupted: boolean): Promise<void> {
  if (!changedAnything(report) && !interrupted) return;
  await database.db.transaction().execute((trx) =>
    appendAudit(trx, {
      actor,
      action: 'retention.purge',
      details: {
        submissions: report.submissions,
        persons: report.persons,
        contacts: report.contacts,
        retracted: report.retracted,
        edits: report.edits,
        messages: report.messages,
        ...(interrupted ? { interrupted: true } : {}),
      },
    }),
  );
}
