import { checkAssisted } from '../../../commands/assisted-entry.js';
import type { Channel } from '../../../domain/channels.js';
import type { Locale } from '../../../domain/locales.js';
import type { FieldError } from '../../../domain/service-error.js';
import { validateSubmission, type SubmissionDraft } from '../../../domain/submission.js';
import type { AssistedFormValues } from '../../views/staff/assisted-page.js';
import { formList, formText } from './console-support.js';

/** Lines (people) one assisted form may record at once; larger batches go through `rcenter import`. */
export const MAX_NAMES = 200;

/** A fresh form: pseudonyms by default, the statement in the volunteer's own language. */
export function emptyAssistedForm(locale: Locale): AssistedFormValues {
  return { names: '', nameKind: 'pseudonym', organizations: [], region: '', occupation: '', channel: '', language: locale, title: '', text: '', consent: false };
}

/** The form as the volunteer sent it, and which button they pressed. */
export function readAssistedForm(body: unknown): { values: AssistedFormValues; action: 'record' | 'suggest-pseudonym' } {
  const values: AssistedFormValues = {
    names: formText(body, 'names'),
    nameKind: formText(body, 'nameKind'),
    organizations: formList(body, 'organizations'),
    region: formText(body, 'region'),
    occupation: formText(body, 'occupation'),
    channel: formText(body, 'channel'),
    language: formText(body, 'language'),
    title: formText(body, 'title'),
    text: formText(body, 'text'),
    consent: formText(body, 'consent') !== '',
  };
  return { values, action: formText(body, 'action') === 'suggest-pseudonym' ? 'suggest-pseudonym' : 'record' };
}

/** The names box with one more line. */
export function withName(values: AssistedFormValues, name: string): AssistedFormValues {
  const names = values.names.replace(/\s+$/, '');
  return { ...values, names: names === '' ? name : `${names}\n${name}` };
}

export type AssistedCheck = { ok: true; drafts: { displayName: string; draft: SubmissionDraft }[]; channel: Channel } | { ok: false; errors: FieldError[] };

/**
 * Validates the whole form with the same rules as every submission: one draft per non-empty
 * line. Every broken rule is reported at once (a name's by its line), and nothing is written
 * unless all pass.
 */
export function checkAssistedForm(values: AssistedFormValues): AssistedCheck {
  const errors: FieldError[] = [];
  const channel = checkAssisted(values.channel, values.consent ? 'yes' : undefined, errors);
  const lines = values.names
    .split(/\r\n|\r|\n/)
    .map((name, line) => ({ line, name: name.trim() }))
    .filter((l) => l.name !== '');
  if (lines.length === 0) errors.push({ code: 'required', field: 'names' });
  if (lines.length > MAX_NAMES) errors.push({ code: 'too_many', field: 'names', max: MAX_NAMES });
  const drafts: { displayName: string; draft: SubmissionDraft }[] = [];
  for (const { line, name } of lines.slice(0, MAX_NAMES)) {
    const validation = validateSubmission(submissionOf(values, name), false);
    if (validation.ok) drafts.push({ displayName: validation.value.declarants[0]!.displayName, draft: validation.value });
    else errors.push(...validation.errors.map((e) => relabel(e, line)));
  }
  if (errors.length > 0) return { ok: false, errors: unique(errors) };
  return { ok: true, drafts, channel };
}

/** One line of the form in the API's submission shape. */
function submissionOf(values: AssistedFormValues, displayName: string): Record<string, unknown> {
  return {
    language: values.language,
    ...(values.title.trim() ? { title: values.title } : {}),
    ...(values.text.trim() ? { text: values.text } : {}),
    declarants: [
      {
        displayName,
        nameKind: values.nameKind || undefined,
        organizations: values.organizations,
        region: values.region || undefined,
        ...(values.occupation ? { occupation: values.occupation } : {}),
      },
    ],
  };
}

/** `declarants[0].region` is the form's `region`; a name's error belongs to its line. */
function relabel(error: FieldError, line: number): FieldError {
  const match = /^declarants\[0\](?:\.(\w+))?$/.exec(error.field ?? '');
  if (!match) return error;
  const field = match[1] === 'displayName' ? `names[${line}]` : match[1] ?? 'names';
  return { ...error, field };
}

/** The shared fields fail the same way on every line: say it once. */
function unique(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}|${e.field ?? ''}|${e.max ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
