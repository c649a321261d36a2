import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { createApiToken } from '../../src/commands/api-tokens.js';
import { createStaffUser } from '../../src/commands/staff-accounts.js';
import { signIn, type StaffMember } from '../../src/commands/staff-sessions.js';
import type { Role } from '../../src/domain/roles.js';
import type { Database } from '../../src/storage/database.js';
import { postJson, validSubmission } from '../support/app.js';

/** Every test account's password: long enough and not on the common-passwords list. */
export const PASSPHRASE = 'a long unusual passphrase 42';

/** A staff account made for a test, with what it takes to act as it. */
export interface TestStaff {
  id: string;
  name: string;
  role: Role;
  /** The TOTP secret from the enrolment URI; null for roles that sign in with a password only. */
  secret: string | null;
  member: StaffMember;
}

/** Creates an account as `rcenter user add` would, with a cheap password hash. */
export async function addStaff(database: Database, name: string, role: Role): Promise<TestStaff> {
  const created = await createStaffUser(database, { name, role, password: PASSPHRASE, actor: 'test', passwordCostLog2: 14 });
  const secret = created.totpUri ? new URL(created.totpUri).searchParams.get('secret') : null;
  return { id: created.id, name, role, secret, member: { id: created.id, name, role } };
}

/** The current TOTP code of an account (or the code at `epoch`, in seconds). */
export function totpCode(staff: TestStaff, epoch?: number): Promise<string> {
  assert.ok(staff.secret, `${staff.name} has no TOTP secret`);
  return generate({ secret: staff.secret, ...(epoch === undefined ? {} : { epoch }) });
}

/** Signs in with password and, where the account has one, the current TOTP code. */
export async function signInAs(database: Database, staff: TestStaff) {
  return signIn(database, { name: staff.name, password: PASSPHRASE, code: staff.secret ? await totpCode(staff) : '' });
}

/** A bearer token for the staff JSON API, as `rcenter token create` makes. */
export async function tokenFor(database: Database, staff: TestStaff, expiresDays?: number) {
  return createApiToken(database, { userName: staff.name, actor: 'test', ...(expiresDays === undefined ? {} : { expiresDays }) });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** One public submission through the API; returns its id and receipt. */
export async function submitPublic(app: FastifyInstance, overrides: Record<string, unknown> = {}): Promise<{ id: string; receipt: string }> {
  const response = await postJson(app, '/api/v1/submissions', validSubmission(overrides));
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** One assisted entry through the staff API, as the holder of `token`. */
export async function submitAssisted(
  app: FastifyInstance,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; receipt: string; status: string }> {
  const response = await postJson(app, '/api/v1/staff/assisted', { ...validSubmission(), channel: 'phone', consent: true, ...overrides }, bearer(token));
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** GET with a bearer token. */
export function getAs(app: FastifyInstance, url: string, token: string) {
  return app.inject({ method: 'GET', url, headers: bearer(token) });
}

/** POST JSON with a bearer token. */
export function postAs(app: FastifyInstance, url: string, token: string, body: unknown = {}) {
  return postJson(app, url, body, bearer(token));
}

/** The audit entries (oldest first) of one action, or all. */
export function auditRows(database: Database, action?: string) {
  let query = database.db.selectFrom('audit_log').selectAll();
  if (action) query = query.where('action', '=', action);
  return query.orderBy('seq').execute();
}

/** Number of rows in a table. */
export async function rowCount(database: Database, table: 'submission' | 'declarant' | 'audit_log' | 'submission_edit'): Promise<number> {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
