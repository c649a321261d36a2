import { isRegistrationNumber } from '../../../domain/registration-number.js';
import { ServiceError } from '../../../domain/service-error.js';

/** Deepest page of any list: deeper offsets get slow, and the daily lists hold the archive. */
export const MAX_PAGE = 200;

/** A `?page=` value: absent means 1; anything but an integer 1..MAX_PAGE is refused. */
export function readPage(value: unknown): number {
  if (value === undefined || value === '') return 1;
  if (typeof value !== 'string' || !/^[1-9]\d{0,3}$/.test(value) || Number(value) > MAX_PAGE) {
    throw new ServiceError({ code: 'invalid_parameter', field: 'page' });
  }
  return Number(value);
}

/** A `YYYY-MM-DD` day that exists on the calendar (UTC), or the error naming `date`. */
export function readDay(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value) return value;
  }
  throw new ServiceError({ code: 'invalid_parameter', field: 'date' });
}

/**
 * A registration number: an integer 1..2,147,483,647 written without leading zeros.
 * Any other whole number (0, negative, leading zeros, beyond the range) names no published
 * statement and is `not_found` like an unknown one, without reaching the database (where
 * PostgreSQL would refuse it as out of range); what is not a whole number is `invalid_parameter`.
 */
export function readRegistrationNumber(value: unknown): number {
  if (typeof value !== 'string' || !/^[+-]?\d+$/.test(value)) throw new ServiceError({ code: 'invalid_parameter', field: 'number' });
  if (!/^[1-9]\d{0,9}$/.test(value) || !isRegistrationNumber(Number(value))) throw new ServiceError({ code: 'not_found' });
  return Number(value);
}

/** The search words: at most 100 characters; absent means none. */
export function readSearchQuery(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || [...value].length > 100) throw new ServiceError({ code: 'invalid_parameter', field: 'q' });
  return value;
}
