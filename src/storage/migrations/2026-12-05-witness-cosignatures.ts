import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// The latest cosignature each witness (WITNESSES) gave the center's log: the checkpoint size and
// root hash it cosigned and its signature line, served with /log/checkpoint while that is the
// latest checkpoint. One row per witness, keyed by its verifier key; a witness that is down keeps
// its older row, so it is asked again from the size it last cosigned.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('witness_cosignature')
    .addColumn('witness', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('witness_cosignature').execute();
}
