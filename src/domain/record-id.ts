/** Ids of submissions, staff accounts and tokens: `crypto.randomUUID()`, lower-case. */
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True when `value` can be the id of a record. Anything else cannot name one, and is answered
 * as unknown before it reaches a query: PostgreSQL refuses text holding NUL outright.
 */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}
