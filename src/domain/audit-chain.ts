import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry says; who, what, on what, why, when, and any details. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  details: string | null;
}

/**
 * The hash of an entry, chained to the one before: changing, removing or reordering any entry
 * changes every hash after it. Fields are hashed as a JSON array in a fixed order.
 */
export function auditHash(prevHash: string, entry: AuditFields): string {
  const canonical = JSON.stringify([prevHash, entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.reason, entry.details]);
  return createHash('sha256').update(canonical).digest('hex');
}
