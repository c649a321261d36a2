import { LIMITS } from '../../../domain/submission.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { emptyDeclarant, type DeclarantFormValues, type SubmitFormValues } from '../../views/form-values.js';

export interface SubmitForm {
  /** What to show again if the form comes back. */
  values: SubmitFormValues;
  /** The same submission in the JSON API's shape, for the one shared validation. */
  input: Record<string, unknown>;
  /** `add-person` asks for one more empty fieldset instead of sending. */
  action: 'send' | 'add-person';
  honeypot: string;
}

const DECLARANT_FIELD = /^d(\d{1,3})\.(displayName|nameKind|organizations|region|occupation)$/;

/**
 * Maps the urlencoded form (`d0.displayName`, `d0.organizations` ×n, `title`, …) to the API's
 * submission shape. A field sent twice where one is expected stays an array, so validation
 * reports it as the wrong type instead of silently keeping one of the two.
 */
export function readSubmitForm(fields: FormFields, locale: string): SubmitForm {
  const people: Record<string, string | string[]>[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const match = DECLARANT_FIELD.exec(key);
    if (!match) continue;
    // Beyond the limit by one at most: enough for validation to say "too many".
    const index = Math.min(Number(match[1]), LIMITS.declarants);
    (people[index] ??= {})[match[2]!] = value;
  }
  const filled = Array.from(people, (p) => p ?? {}).filter((p, index) => index === 0 || !isBlank(p));
  if (filled.length === 0) filled.push({});

  const declarants = filled.map((p) => ({
    displayName: p.displayName ?? '',
    nameKind: p.nameKind,
    organizations: p.organizations === undefined ? [] : ([] as string[]).concat(p.organizations),
    region: p.region,
    occupation: p.occupation,
  }));
  const action = fields.action === 'add-person' ? 'add-person' : 'send';
  const values: SubmitFormValues = {
    title: text(fields.title),
    text: text(fields.text),
    contact: text(fields.contact),
    declarants: declarants.map(toFormValues),
  };
  if (action === 'add-person' && values.declarants.length < LIMITS.declarants) values.declarants.push(emptyDeclarant());

  const input: Record<string, unknown> = { language: fields.language ?? locale, declarants };
  for (const name of ['title', 'text', 'contact', 'altcha'] as const) {
    if (fields[name] !== undefined && fields[name] !== '') input[name] = fields[name];
  }
  return { values, input, action, honeypot: text(fields.website) };
}

function isBlank(person: Record<string, string | string[]>): boolean {
  return ['displayName', 'organizations', 'region', 'occupation'].every((k) => {
    const v = person[k];
    return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  });
}

function toFormValues(d: Record<string, unknown>): DeclarantFormValues {
  return {
    displayName: text(d.displayName),
    nameKind: d.nameKind === 'real' ? 'real' : 'pseudonym',
    organizations: (d.organizations as string[]).filter((o) => typeof o === 'string'),
    region: text(d.region),
    occupation: text(d.occupation),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
}
