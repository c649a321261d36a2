/**
 * The highest registration number there can be: the columns that hold them are 32-bit integers
 * on PostgreSQL, which refuses a larger parameter outright (22003) instead of finding nothing.
 */
export const MAX_REGISTRATION_NUMBER = 2_147_483_647;

/**
 * True when `value` can be a registration number (an integer 1..MAX_REGISTRATION_NUMBER).
 * Anything else names no statement, and is answered as unknown before it reaches a query.
 */
export function isRegistrationNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_REGISTRATION_NUMBER;
}
