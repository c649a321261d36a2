import { isLocale, type Locale } from './locales.js';
import { OCCUPATION_CODES } from './occupations.js';
import { ORGANIZATIONS, type Organization } from './organizations.js';
import { REGION_CODES } from './regions.js';
import type { FieldError } from './service-error.js';
import { checkText, type TextRule } from './text-rules.js';

export const LIMITS = {
  declarants: 20,
  displayName: { max: 40, multiline: false },
  title: { max: 120, multiline: false },
  text: { max: 20_000, multiline: true },
  contact: { max: 500, multiline: true },
} as const satisfies Record<string, number | TextRule>;

export type NameKind = 'real' | 'pseudonym';

/** One person withdrawing, as the submitter gave it and after validation. */
export interface Declarant {
  displayName: string;
  nameKind: NameKind;
  organizations: Organization[];
  region: string;
  occupation: string | null;
}

/** A valid statement as submitted, before it is stored; contact is still plaintext here. */
export interface SubmissionDraft {
  language: Locale;
  title: string | null;
  text: string | null;
  contact: string | null;
  declarants: Declarant[];
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const NAME_KINDS: ReadonlySet<string> = new Set<NameKind>(['real', 'pseudonym']);
const TOP_FIELDS = new Set(['language', 'title', 'text', 'contact', 'altcha', 'declarants']);
const DECLARANT_FIELDS = new Set(['displayName', 'nameKind', 'organizations', 'region', 'occupation']);

/**
 * Checks a submission in the API's JSON shape and returns the normalised draft, or every
 * broken rule at once. `acceptsContact` is false when no age recipient is configured.
 */
export function validateSubmission(input: unknown, acceptsContact: boolean): Validation<SubmissionDraft> {
  const errors: FieldError[] = [];
  if (!isPlainObject(input)) return { ok: false, errors: [{ code: 'wrong_type', field: 'body' }] };
  for (const key of Object.keys(input)) {
    if (!TOP_FIELDS.has(key)) errors.push({ code: 'unknown_field', field: key });
  }
  const language = input.language;
  if (language === undefined || language === '') errors.push({ code: 'required', field: 'language' });
  else if (!isLocale(language)) errors.push({ code: 'not_in_list', field: 'language' });

  const title = optionalText(input.title, 'title', LIMITS.title, errors);
  const text = optionalText(input.text, 'text', LIMITS.text, errors);
  let contact = optionalText(input.contact, 'contact', LIMITS.contact, errors);
  if (contact !== null && !acceptsContact) {
    errors.push({ code: 'contact_not_accepted', field: 'contact' });
    contact = null;
  }
  const declarants = validateDeclarants(input.declarants, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { language: language as Locale, title, text, contact, declarants } };
}

function validateDeclarants(input: unknown, errors: FieldError[]): Declarant[] {
  if (input === undefined || (Array.isArray(input) && input.length === 0)) {
    errors.push({ code: 'required', field: 'declarants' });
    return [];
  }
  if (!Array.isArray(input)) {
    errors.push({ code: 'wrong_type', field: 'declarants' });
    return [];
  }
  if (input.length > LIMITS.declarants) {
    errors.push({ code: 'too_many', field: 'declarants', max: LIMITS.declarants });
    return [];
  }
  return input.map((item, index) => validateDeclarant(item, `declarants[${index}]`, errors));
}

function validateDeclarant(input: unknown, path: string, errors: FieldError[]): Declarant {
  const declarant: Declarant = { displayName: '', nameKind: 'pseudonym', organizations: [], region: '', occupation: null };
  if (!isPlainObject(input)) {
    errors.push({ code: 'wrong_type', field: path });
    return declarant;
  }
  for (const key of Object.keys(input)) {
    if (!DECLARANT_FIELDS.has(key)) errors.push({ code: 'unknown_field', field: `${path}.${key}` });
  }
  const name = optionalText(input.displayName, `${path}.displayName`, LIMITS.displayName, errors);
  if (name === null) pushUnlessReported(errors, { code: 'required', field: `${path}.displayName` });
  declarant.displayName = name ?? '';
  declarant.nameKind = choice(input.nameKind, `${path}.nameKind`, NAME_KINDS, errors) as NameKind;
  declarant.organizations = organizations(input.organizations, `${path}.organizations`, errors);
  declarant.region = choice(input.region, `${path}.region`, REGION_CODES, errors);
  declarant.occupation =
    input.occupation === undefined || input.occupation === null || input.occupation === ''
      ? null
      : choice(input.occupation, `${path}.occupation`, OCCUPATION_CODES, errors);
  return declarant;
}

function organizations(input: unknown, field: string, errors: FieldError[]): Organization[] {
  if (input === undefined || (Array.isArray(input) && input.length === 0)) {
    errors.push({ code: 'required', field });
    return [];
  }
  if (!Array.isArray(input) || !input.every((o) => typeof o === 'string')) {
    errors.push({ code: 'wrong_type', field });
    return [];
  }
  if (!input.every((o) => (ORGANIZATIONS as readonly string[]).includes(o))) {
    errors.push({ code: 'not_in_list', field });
    return [];
  }
  if (new Set(input).size !== input.length) {
    errors.push({ code: 'duplicate_value', field });
    return [];
  }
  // Stored and shown in one canonical order, whatever order they were ticked in.
  return ORGANIZATIONS.filter((o) => input.includes(o));
}

function choice(input: unknown, field: string, allowed: ReadonlySet<string>, errors: FieldError[]): string {
  if (input === undefined || input === null || input === '') {
    errors.push({ code: 'required', field });
    return '';
  }
  if (typeof input !== 'string') {
    errors.push({ code: 'wrong_type', field });
    return '';
  }
  if (!allowed.has(input)) {
    errors.push({ code: 'not_in_list', field });
    return '';
  }
  return input;
}

function optionalText(input: unknown, field: string, rule: TextRule, errors: FieldError[]): string | null {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'string') {
    errors.push({ code: 'wrong_type', field });
    return null;
  }
  const result = checkText(input, rule);
  if (!result.ok) {
    errors.push({ code: result.code, field, ...(result.max === undefined ? {} : { max: result.max }) });
    return null;
  }
  return result.value === '' ? null : result.value;
}

function pushUnlessReported(errors: FieldError[], error: FieldError): void {
  if (!errors.some((e) => e.field === error.field)) errors.push(error);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
