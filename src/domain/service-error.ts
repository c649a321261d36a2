import { ERROR_CATALOG, type ErrorCode } from './error-catalog.js';
import { fieldLabel } from './field-labels.js';
import type { Locale } from './locales.js';

/** One broken rule: which code, on which field, with which limit. */
export interface FieldError {
  code: ErrorCode;
  field?: string;
  max?: number;
}

/** An error the service answers with on purpose; anything else becomes `internal`. */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly errors: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(errors: FieldError | FieldError[], options: { retryAfterSeconds?: number } = {}) {
    const list = Array.isArray(errors) ? errors : [errors];
    const first = list[0];
    if (!first) throw new TypeError('ServiceError needs at least one error');
    super(first.code);
    this.name = 'ServiceError';
    this.code = first.code;
    this.field = first.field;
    this.errors = list;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

/** The message of one error in a locale, naming its field. */
export function errorMessage(error: FieldError, locale: Locale): string {
  const template: string = ERROR_CATALOG[error.code].messages[locale];
  return template
    .replace('{field}', error.field === undefined ? '' : fieldLabel(error.field, locale))
    .replace('{max}', String(error.max ?? ''));
}
