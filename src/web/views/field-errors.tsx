import type { Locale } from '../../domain/locales.js';
import { errorMessage, type FieldError } from '../../domain/service-error.js';
import { UI_TEXT } from '../i18n/ui-text.js';

/** The id of the element that holds a field's error, for `aria-describedby`. */
export function errorId(field: string): string {
  return `error-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** The errors of one field, shown beside it. */
export function FieldErrors({ errors, field, locale }: { errors: FieldError[]; field: string; locale: Locale }) {
  const mine = errors.filter((e) => e.field === field);
  if (mine.length === 0) return null;
  return (
    <p class="field-error" id={errorId(field)}>
      {mine.map((e) => errorMessage(e, locale)).join(' ')}
    </p>
  );
}

/** A summary of every error at the top of the form, read first by screen readers. */
export function ErrorSummary({
  errors,
  locale,
  messageOf = errorMessage,
}: {
  errors: FieldError[];
  locale: Locale;
  messageOf?: (error: FieldError, locale: Locale) => string;
}) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert">
      <h2>{UI_TEXT[locale].errorsTitle}</h2>
      <ul>
        {errors.map((e) => (
          <li>{messageOf(e, locale)}</li>
        ))}
      </ul>
    </div>
  );
}

/** Props that tie an input to its error message when it has one. */
export function describedBy(errors: FieldError[], field: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  return errors.some((e) => e.field === field) ? { 'aria-invalid': 'true', 'aria-describedby': errorId(field) } : {};
}
