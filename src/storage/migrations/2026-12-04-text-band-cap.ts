import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// Text bands are now computed from the first 8,000 UTF-16 code units of a text only, so that
// indexing one costs a bounded amount of work. Bands stored before came from the whole text: for
// a longer text they no longer match those of a new copy. They are forgotten here, and the
// background duplicate-hint indexer computes them again. length() counts characters (code
// points) in both dialects, and a text of more than 8,000 code units has more than 4,000 of
// them: this takes every such text, and some shorter ones, which get the same bands again.

const LONG = sql<boolean>`length(text) > 4000`;

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('submission_text_band')
    .where('submission_id', 'in', db.selectFrom('submission').select('id').where('text_indexed', '=', 1).where(LONG))
    .execute();
  await db.updateTable('submission').set({ text_indexed: 0 }).where('text_indexed', '=', 1).where(LONG).execute();
}

// Nothing to undo: the bands forgotten are computed again either way.
export async function down(): Promise<void> {}
