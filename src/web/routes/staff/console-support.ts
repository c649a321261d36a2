import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { StaffMember } from '../../../commands/staff-sessions.js';
import { negotiateLocale, type Locale } from '../../../domain/locales.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { renderPage } from '../../views/render.js';

/** What every console page needs to know about who is looking. */
export interface ConsoleViewer {
  locale: Locale;
  member: StaffMember;
  /** The session's CSRF token, for the hidden `_csrf` field of every form that changes anything. */
  csrfToken: string;
}

/** Staff pages speak the language the browser asks for (there is no locale in their paths). */
export function staffLocale(request: FastifyRequest): Locale {
  return negotiateLocale(request.headers['accept-language']);
}

/** The signed-in viewer of a guarded console route (the guard has set both). */
export function viewerOf(request: FastifyRequest): ConsoleViewer {
  const session = request.staffSession;
  if (!session || !request.staffMember) throw new ServiceError({ code: 'sign_in_required' });
  return { locale: staffLocale(request), member: request.staffMember, csrfToken: session.csrfToken };
}

/** Sends a rendered page; staff pages vary by language. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200) {
  return reply.code(status).header('vary', 'accept-language').type('text/html; charset=utf-8').send(renderPage(page));
}

/** One text field of a form: the first value if it was sent more than once, '' if absent. */
export function formText(body: unknown, name: string): string {
  const value = (body as FormFields | undefined)?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] ?? '' : '';
}

/** Every value of a repeated form field (checkboxes). */
export function formList(body: unknown, name: string): string[] {
  const value = (body as FormFields | undefined)?.[name];
  return value === undefined ? [] : ([] as string[]).concat(value).filter((v) => typeof v === 'string');
}

/** Answers a known error with the page again (and its status); anything else goes to the error handler. */
export function rethrowUnlessShown(error: unknown): ServiceError {
  if (!(error instanceof ServiceError) || error.status >= 500) throw error;
  return error;
}
