import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { registerStaffScope } from '../../plugins/staff-guard.js';
import { registerAdminPages } from './admin-routes.js';
import { registerAssistedPages } from './assisted-routes.js';
import { isConsolePath } from './console-path.js';
import { registerReviewPages } from './review-routes.js';
import { registerSessionPages, registerSignIn } from './sign-in-routes.js';

/**
 * The staff console under /staff: sign-in, dashboard, queue, review, assisted entry, own
 * entries, audit log and accounts. Server-rendered forms that work without JavaScript; every
 * page but sign-in lives in the guarded scope, which authenticates, checks the route's roles
 * and the CSRF token of every form that changes anything.
 */
export async function registerStaffConsole(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // A callback hook (no promise per response): it runs for every response, intake included.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isConsolePath(request.url)) reply.header('x-robots-tag', 'noindex, nofollow');
    done(null, payload);
  });
  registerSignIn(app, ctx);
  await registerStaffScope(app, ctx, 'console', '/staff', (scope) => {
    registerSessionPages(scope, ctx);
    registerReviewPages(scope, ctx);
    registerAssistedPages(scope, ctx);
    registerAdminPages(scope, ctx);
  });
}
