import type { Kysely, Transaction } from 'kysely';
import { auditHash, auditMinute, GENESIS_HASH } from '../domain/audit-chain.js';
import type { AuditLogTable, Schema } from './schema.js';
import { takeCounterValues } from './counter.repository.js';

export interface NewAuditEntry {
  /** Staff user id, or `cli:<name>` / `declarant` / `system`. Never an address. */
  actor: string;
  action: string;
  target?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Appends one entry to the hash chain, inside the transaction of the change it records. Its time
 * is kept, and hashed, to the minute (auditMinute), whatever the caller passes.
 */
export async function appendAudit(trx: Transaction<Schema>, entry: NewAuditEntry, at = new Date().toISOString()): Promise<number> {
  const seq = await takeCounterValues(trx, 'audit_seq', 1);
  const previous = await trx.selectFrom('audit_log').select('hash').where('seq', '=', seq - 1).executeTakeFirst();
  const fields = {
    seq,
    at: auditMinute(at),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    reason: entry.reason ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
  const prevHash = previous?.hash ?? GENESIS_HASH;
  await trx.insertInto('audit_log').values({ ...fields, prev_hash: prevHash, hash: auditHash(prevHash, fields) }).execute();
  return seq;
}

/** Entries in order, a page at a time, from `afterSeq` on. */
export function listAuditEntries(db: Kysely<Schema>, afterSeq: number, limit: number): Promise<AuditLogTable[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** The newest entries first, for the console. */
export function latestAuditEntries(db: Kysely<Schema>, beforeSeq: number | null, limit: number): Promise<AuditLogTable[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (beforeSeq !== null) query = query.where('seq', '<', beforeSeq);
  return query.orderBy('seq', 'desc').limit(limit).execute();
}

/** How many entries the counter says were written. */
export async function auditHead(db: Kysely<Schema>): Promise<number> {
  const row = await db.selectFrom('counter').select('value').where('name', '=', 'audit_seq').executeTakeFirstOrThrow();
  return Number(row.value);
}
