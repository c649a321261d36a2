import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

export interface StoredCosignature {
  size: number;
  rootHash: string;
  signature: string;
}

/** The latest cosignature `witness` gave, if any. */
export async function latestCosignature(db: Kysely<Schema>, witness: string): Promise<StoredCosignature | undefined> {
  const row = await db.selectFrom('witness_cosignature').select(['size', 'root_hash', 'signature']).where('witness', '=', witness).executeTakeFirst();
  return row && { size: Number(row.size), rootHash: row.root_hash, signature: row.signature };
}

/**
 * Keeps `cosignature` as `witness`'s latest unless a larger one is kept already (two processes
 * asking at once never move a witness back).
 */
export async function keepCosignature(db: Kysely<Schema>, witness: string, cosignature: StoredCosignature): Promise<void> {
  await db
    .insertInto('witness_cosignature')
    .values({ witness, size: cosignature.size, root_hash: cosignature.rootHash, signature: cosignature.signature })
    .onConflict((oc) =>
      oc
        .column('witness')
        .doUpdateSet((eb) => ({ size: eb.ref('excluded.size'), root_hash: eb.ref('excluded.root_hash'), signature: eb.ref('excluded.signature') }))
        .where('witness_cosignature.size', '<=', cosignature.size),
    )
    .execute();
}

/** The signature lines of every witness whose latest cosignature is of this checkpoint. */
export async function cosignaturesOf(db: Kysely<Schema>, size: number, rootHash: string): Promise<string[]> {
  const rows = await db.selectFrom('witness_cosignature').select(['signature']).where('size', '=', size).where('root_hash', '=', rootHash).orderBy('witness').execute();
  return rows.map((r) => r.signature);
}
