import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// The normalised name behind the same-name hint (`declarant.name_key`) now also folds
// look-alike characters (UTS #39 skeletons): keys written before would not match keys written
// after. A migration cannot compute them (that is application code), so it forgets them and
// marks every submission as not yet indexed for hints; review indexes them again, oldest first,
// as it does for new submissions (text bands are re-inserted as no-ops, they are unchanged).

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('declarant').set({ name_key: null }).where('name_key', 'is not', null).execute();
  await db.updateTable('submission').set({ text_indexed: 0 }).where('text_indexed', '=', 1).execute();
}

export async function down(): Promise<void> {
  // Nothing to undo: the old keys are written again by review when they are needed.
}
