import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../database.js';
import type { Schema } from '../schema.js';
import { indexStatements, unindexStatements } from '../search.repository.js';

// What the public site reads besides the submission row itself: `declarant.published_number`
// (category pages, one partial index each) and the search index. Both are kept in step with
// publication in the transaction that publishes or retracts, so a reader never finds a
// statement in a category or a search that is not published.

type Db = Kysely<Schema> | Transaction<Schema>;

/** A statement being published: its submission, its registration number and its search tokens. */
export interface PublishedEntry {
  submissionId: string;
  registrationNumber: number;
  tokens: string;
}

/** A statement leaving the public site. */
export interface WithdrawnEntry {
  submissionId: string;
  registrationNumber: number;
}

/** Sets each declarant's published number and indexes the statements for search. */
export async function addToPublicIndexes(trx: Db, dialect: Dialect, entries: readonly PublishedEntry[]): Promise<void> {
  for (const entry of entries) {
    await trx.updateTable('declarant').set({ published_number: entry.registrationNumber }).where('submission_id', '=', entry.submissionId).execute();
  }
  await indexStatements(trx, dialect, entries);
}

/** Clears each declarant's published number and removes the statements from search. */
export async function removeFromPublicIndexes(trx: Db, dialect: Dialect, entries: readonly WithdrawnEntry[]): Promise<void> {
  for (const entry of entries) {
    await trx.updateTable('declarant').set({ published_number: null }).where('submission_id', '=', entry.submissionId).execute();
  }
  await unindexStatements(trx, dialect, entries.map((e) => e.registrationNumber));
}
