import type { Locale } from '../../../domain/locales.js';
import { errorMessage, type FieldError } from '../../../domain/service-error.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import { ErrorSummary, errorId } from '../field-errors.js';

/** `names[4]` is the fifth line of the names box (1-based for people: "line 5"). */
const NAME_LINE = /^names\[(\d+)\]$/;

/** Labels for the fields only the console has; the shared catalog labels the rest. */
function staffFieldLabel(field: string, locale: Locale): string | undefined {
  const t = STAFF_TEXT[locale];
  const line = NAME_LINE.exec(field);
  if (line) return t.namesLineLabel.replace('{n}', String(Number(line[1]) + 1));
  if (field === 'ids') return t.fieldIds;
  if (field === 'action') return t.fieldAction;
  return undefined;
}

/** An error's message in the console, naming its field (and, for the names box, its line). */
export function staffErrorMessage(error: FieldError, locale: Locale): string {
  const label = error.field === undefined ? undefined : staffFieldLabel(error.field, locale);
  return errorMessage(label === undefined ? error : { ...error, field: label }, locale);
}

/** Every error at the top of a console form. */
export function StaffErrorSummary({ errors, locale }: { errors: FieldError[]; locale: Locale }) {
  return <ErrorSummary errors={errors} locale={locale} messageOf={staffErrorMessage} />;
}

/** The errors of one field (or, with `prefix`, of every field starting with it), beside it. */
export function StaffFieldErrors({ errors, field, locale, prefix = false }: { errors: FieldError[]; field: string; locale: Locale; prefix?: boolean }) {
  const mine = errors.filter((e) => e.field !== undefined && (prefix ? e.field.startsWith(field) : e.field === field));
  if (mine.length === 0) return null;
  return (
    <p class="field-error" id={errorId(field)}>
      {mine.map((e) => staffErrorMessage(e, locale)).join(' ')}
    </p>
  );
}

/** Ties an input to its errors, as describedBy does, for a field or a prefix of fields. */
export function staffDescribedBy(errors: FieldError[], field: string, prefix = false): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const has = errors.some((e) => e.field !== undefined && (prefix ? e.field.startsWith(field) : e.field === field));
  return has ? { 'aria-invalid': 'true', 'aria-describedby': errorId(field) } : {};
}
