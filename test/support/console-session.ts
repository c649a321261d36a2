// Helpers for the staff console suites: accounts, sessions, TOTP codes and form posts.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { generate } from 'otplib';
import { createStaffUser } from '../../src/commands/staff-accounts.js';
import { secretHash } from '../../src/commands/staff-sessions.js';
import type { Role } from '../../src/domain/roles.js';
import type { Database } from '../../src/storage/database.js';
import { insertSession } from '../../src/storage/staff.repository.js';

export const PASSWORD = 'a long synthetic test passphrase';

export interface TestStaff {
  id: string;
  name: string;
  role: Role;
  password: string;
  /** The TOTP secret (admins and editors), from the `otpauth://` URI. */
  secret: string | null;
}

let counter = 0;

/** A new staff account with a unique name. */
export async function createStaff(database: Database, role: Role, name = `${role}${++counter}x${randomBytes(3).toString('hex')}`): Promise<TestStaff> {
  const { id, totpUri } = await createStaffUser(database, { name, role, password: PASSWORD, actor: 'test', passwordCostLog2: 14 });
  const secret = totpUri ? new URL(totpUri).searchParams.get('secret') : null;
  return { id, name, role, password: PASSWORD, secret };
}

/** The TOTP code of a secret now, or `offsetSeconds` from now (±30 s are still accepted). */
export function totpCode(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/**
 * A console session made directly in the database, as sign-in makes it: TOTP codes are usable
 * once, so suites that are not about sign-in do not spend them.
 */
export async function sessionOf(database: Database, staff: TestStaff): Promise<ConsoleSession> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  await insertSession(database.db, { id_hash: secretHash(token), user_id: staff.id, csrf_token: csrf, created_at: now, last_seen_at: now });
  return { cookie: `rc_staff=${token}`, csrf };
}

/** A console GET, in English. */
export function getPage(app: FastifyInstance, url: string, session?: ConsoleSession | null, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { 'accept-language': 'en', ...(session ? { cookie: session.cookie } : {}), ...headers } });
}

/**
 * A console form POST, in English. `_csrf` is added from the session unless `csrf: false`;
 * fields are [name, value] pairs so that names can repeat.
 */
export function postPage(
  app: FastifyInstance,
  url: string,
  session: ConsoleSession | null,
  fields: [string, string][] = [],
  options: { csrf?: boolean; headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  const all: [string, string][] = session && options.csrf !== false ? [['_csrf', session.csrf], ...fields] : fields;
  const inject: InjectOptions = {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'en',
      ...(session ? { cookie: session.cookie } : {}),
      ...options.headers,
    },
    payload: new URLSearchParams(all).toString(),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  };
  return app.inject(inject);
}

/** The session cookie (`name=value`) a response sets, or undefined. */
export function sessionCookieOf(response: { headers: Record<string, unknown> }): string | undefined {
  const header = ([] as unknown[]).concat(response.headers['set-cookie'] ?? []).map(String);
  return header.find((h) => h.startsWith('rc_staff='))?.split(';')[0];
}
