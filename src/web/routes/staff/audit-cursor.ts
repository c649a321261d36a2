/** The largest audit sequence number: `audit_log.seq` is a 32-bit integer on PostgreSQL. */
const MAX_SEQ = 2_147_483_647;

/**
 * The `?before=` of the audit log pages (console and API): entries older than that sequence
 * number. Anything that is not a positive whole number, or one beyond every entry, means the
 * newest page: it never reaches the query, where PostgreSQL would refuse it (22003) with a 500.
 */
export function readAuditCursor(value: unknown): number | null {
  const raw = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return raw >= 1 && raw <= MAX_SEQ ? raw : null;
}
