import type { StatementEdit } from '../../../commands/statement-editor.js';
import { ServiceError, type FieldError } from '../../../domain/service-error.js';

// The JSON bodies of the staff API's edit and feature calls, read explicitly: a field left out
// stays left out (never read as null), a value of the wrong type is `wrong_type` naming the field
// (never coerced: `"false"` is not false), and a field the call does not know is `unknown_field`.
// Not a Fastify body schema: its Ajv coerces types by default ("false" → false) and drops unknown
// properties instead of refusing them.

/** `{"title"?, "text"?}`: each a string or null; one at least (editStatement says so otherwise). */
export function readEditBody(body: unknown): StatementEdit {
  const fields = knownFields(body, ['title', 'text']);
  return { ...('title' in fields ? { title: fields.title } : {}), ...('text' in fields ? { text: fields.text } : {}) };
}

/** `{"featured"?: true|false}`: a boolean; left out (or no body) means true, as it always did. */
export function readFeatureBody(body: unknown): boolean {
  const { featured } = knownFields(body, ['featured']);
  if (featured === undefined) return true;
  if (typeof featured !== 'boolean') throw new ServiceError({ code: 'wrong_type', field: 'featured' });
  return featured;
}

function knownFields(body: unknown, known: readonly string[]): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ServiceError({ code: 'wrong_type', field: 'body' });
  const unknown: FieldError[] = Object.keys(body)
    .filter((key) => !known.includes(key))
    .map((key) => ({ code: 'unknown_field', field: key }));
  if (unknown.length > 0) throw new ServiceError(unknown);
  return body as Record<string, unknown>;
}
