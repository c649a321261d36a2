import type { FastifyInstance, FastifyRequest } from 'fastify';
import { takeSignInAttempt } from '../../../commands/sign-in-throttle.js';
import { secretHash, SESSION_ABSOLUTE_MS, signIn, signOut } from '../../../commands/staff-sessions.js';
import { ServiceError } from '../../../domain/service-error.js';
import { EVERYONE } from '../../../domain/staff-access.js';
import { deleteSession } from '../../../storage/staff.repository.js';
import type { AppContext } from '../../app-context.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../../plugins/staff-guard.js';
import { DashboardPage } from '../../views/staff/dashboard-page.js';
import { SignInPage } from '../../views/staff/sign-in-page.js';
import { formText, rethrowUnlessShown, sendPage, staffLocale, viewerOf } from './console-support.js';

export { SIGN_IN_LIMITS } from '../../../commands/sign-in-throttle.js';

/** The sign-in form and its POST: the only console routes outside the guard. */
export function registerSignIn(app: FastifyInstance, ctx: AppContext): void {
  app.get('/staff/sign-in', async (request, reply) => sendPage(reply, <SignInPage locale={staffLocale(request)} name="" errors={[]} />));

  app.post<{ Body: FormFields }>('/staff/sign-in', async (request, reply) => {
    const name = formText(request.body, 'name');
    const again = (error: ServiceError) => {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      // The name comes back; the password and the code never do.
      return sendPage(reply, <SignInPage locale={staffLocale(request)} name={name} errors={error.errors} />, error.status);
    };
    // Login CSRF: a browser tells us when a form was posted from another site.
    if (crossSite(request)) return again(new ServiceError({ code: 'csrf_invalid' }));
    // Every attempt takes its slot before the (slow) password check, so a burst of parallel
    // guesses cannot all pass the check; a successful sign-in gives its slot back.
    const attempt = await takeSignInAttempt(ctx, name, request.ip);
    if (attempt.refused) return again(attempt.refused);
    let token: string;
    try {
      ({ token } = await signIn(ctx.database, { name, password: formText(request.body, 'password'), code: formText(request.body, 'code') }));
    } catch (error) {
      return again(rethrowUnlessShown(error));
    }
    attempt.giveBack();
    // Rotated at sign-in: whatever session the old cookie named ends here.
    const old = readCookie(request, SESSION_COOKIE);
    if (old) await deleteSession(ctx.database.db, secretHash(old));
    return reply.header('set-cookie', sessionCookie(request, token, SESSION_ABSOLUTE_MS / 1000)).redirect('/staff/', 303);
  });
}

/** The dashboard and sign-out, inside the guarded scope. */
export function registerSessionPages(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/', { config: { roles: EVERYONE } }, async (request, reply) => sendPage(reply, <DashboardPage viewer={viewerOf(request)} />));

  scope.post('/sign-out', { config: { roles: EVERYONE } }, async (request, reply) => {
    await signOut(ctx.database, request.staffSession!);
    return reply
      .header('set-cookie', sessionCookie(request, '', 0))
      .header('clear-site-data', '"cookies", "storage"')
      .redirect('/staff/sign-in', 303);
  });
}

/** Login CSRF: refused when the browser says the form came from another site (Sec-Fetch-Site, or Origin). */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  // Under Referrer-Policy: no-referrer browsers send "Origin: null" even for our own forms.
  if (origin === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}
