import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken } from '../../commands/api-tokens.js';
import { readSession, type StaffMember, type StaffSession } from '../../commands/staff-sessions.js';
import type { Role } from '../../domain/roles.js';
import { ServiceError } from '../../domain/service-error.js';
import type { AppContext } from '../app-context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use a staff route. Every staff route must say; the guard refuses to register one that does not. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    /** The signed-in staff member on staff routes (set by the guard). */
    staffMember: StaffMember | null;
    /** The console session, for CSRF tokens and sign-out; null for bearer-token API calls. */
    staffSession: StaffSession | null;
  }
}

export const SESSION_COOKIE = 'rc_staff';

/**
 * Registers staff routes inside one guarded scope (Lobsters' "every moderator controller inherits
 * one guarded base"). The guard authenticates (console: session cookie; API: bearer token
 * only, never a cookie), checks the route's declared roles, and for console forms that change
 * anything checks the CSRF token. A route without `config.roles` cannot even be registered.
 */
export async function registerStaffScope(
  app: FastifyInstance,
  ctx: AppContext,
  kind: 'console' | 'api',
  prefix: string,
  routes: (scope: FastifyInstance) => void | Promise<void>,
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.decorateRequest('staffMember', null);
      scope.decorateRequest('staffSession', null);
      scope.addHook('onRoute', (route) => {
        if (!route.config?.roles || route.config.roles.length === 0) {
          throw new Error(`staff route ${String(route.method)} ${route.url} declares no roles`);
        }
      });
      scope.addHook('preHandler', (request, reply) => guard(ctx, kind, request, reply));
      await routes(scope);
    },
    { prefix },
  );
}

async function guard(ctx: AppContext, kind: 'console' | 'api', request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const roles = request.routeOptions.config.roles;
  if (!roles) throw new ServiceError({ code: 'forbidden' });
  if (kind === 'api') {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    request.staffMember = match ? await authenticateApiToken(ctx.database, match[1]!) : null;
  } else {
    const token = readCookie(request, SESSION_COOKIE);
    request.staffSession = token ? await readSession(ctx.database, token) : null;
    request.staffMember = request.staffSession?.member ?? null;
  }
  if (!request.staffMember) throw new ServiceError({ code: 'sign_in_required' });
  if (!roles.includes(request.staffMember.role)) throw new ServiceError({ code: 'forbidden' });
  if (kind === 'console' && request.method !== 'GET' && request.method !== 'HEAD') {
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!request.staffSession || typeof sent !== 'string' || !sameSecret(sent, request.staffSession.csrfToken)) {
      throw new ServiceError({ code: 'csrf_invalid' });
    }
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One cookie's value from the Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: host-only, HttpOnly, SameSite=Strict, Secure over https, staff paths only. */
export function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}
