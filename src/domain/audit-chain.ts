import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The time an audit entry keeps: the minute only, like a submission's (src/commands/clock.ts). An
 * entry timed to the millisecond next to a declarant's retraction or a volunteer's assisted entry
 * would pin that action within its minute; entries of one minute are told apart by `seq`.
 * Entries written before this rule keep their exact time: it is part of their hash.
 */
export function auditMinute(at: string): string {
  const minute = new Date(at);
  if (Number.isNaN(minute.getTime())) throw new RangeError(`not a time: ${at}`);
  minute.setUTCSeconds(0, 0);
  return minute.toISOString();
}

/** What an audit entry says; who, what, on what, why, when (to the minute), and any details. */
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
