import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../crypto/password-hasher.js';
import { verifyTotp } from '../crypto/totp.js';
import { requiresTotp, type Role } from '../domain/roles.js';
import { ServiceError } from '../domain/service-error.js';
import { appendAudit } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';
import type { StaffUserTable } from '../storage/schema.js';
import {
  claimTotpStep,
  deleteSession,
  findSession,
  findStaffUserById,
  findStaffUserByName,
  insertSession,
  touchSession,
} from '../storage/staff.repository.js';
import { coarseNow } from './clock.js';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;

/** Who is acting on the staff side. */
export interface StaffMember {
  id: string;
  name: string;
  role: Role;
}

export interface StaffSession {
  member: StaffMember;
  csrfToken: string;
  idHash: string;
}

/** Hashes a session cookie or API token: only hashes are stored. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

let dummyHash: Promise<string> | undefined;

/**
 * Signs a staff member in with name, password and (for accounts that have it, which includes
 * every admin and editor) a TOTP code usable once. Every failure looks the same and is audited.
 * Returns the new session's cookie value, which is never stored.
 */
export async function signIn(
  database: Database,
  input: { name: string; password: string; code: string },
): Promise<{ token: string; session: StaffSession }> {
  // A name holding NUL names nobody (and PostgreSQL would refuse to compare it).
  const user = input.name.includes('\u0000') ? undefined : await findStaffUserByName(database.db, input.name);
  // Verify against a dummy hash for unknown names, so the time taken does not reveal them.
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? (await (dummyHash ??= hashPassword('not a real password'))));
  let failure: string | null = null;
  if (!user || !passwordOk) failure = 'password';
  else if (user.disabled) failure = 'disabled';
  else if (user.totp_secret || requiresTotp(user.role as Role)) {
    const step = user.totp_secret ? await verifyTotp(user.totp_secret, input.code.trim(), user.totp_last_step) : null;
    if (step === null || !(await claimTotpStep(database.db, user.id, step))) failure = 'totp';
  }
  if (failure || !user) {
    await database.db.transaction().execute((trx) =>
      appendAudit(trx, { actor: user?.id ?? 'unknown', action: 'staff.sign_in_failed', target: user?.id ?? null, reason: failure }),
    );
    throw new ServiceError({ code: 'sign_in_failed' });
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  // To the minute, like the audit entry it goes with (the timeouts lose at most that minute).
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    await insertSession(trx, { id_hash: secretHash(token), user_id: user.id, csrf_token: csrfToken, created_at: now, last_seen_at: now });
    await appendAudit(trx, { actor: user.id, action: 'staff.sign_in', target: user.id }, now);
  });
  return { token, session: { member: memberOf(user), csrfToken, idHash: secretHash(token) } };
}

/**
 * The session a cookie value belongs to, or null when it is unknown, idle for 30 minutes,
 * older than 12 hours, or its account is disabled (an expired session is deleted).
 */
export async function readSession(database: Database, token: string, now = Date.now()): Promise<StaffSession | null> {
  const idHash = secretHash(token);
  const session = await findSession(database.db, idHash);
  if (!session) return null;
  const expired = now - Date.parse(session.last_seen_at) > SESSION_IDLE_MS || now - Date.parse(session.created_at) > SESSION_ABSOLUTE_MS;
  const user = expired ? undefined : await findStaffUserById(database.db, session.user_id);
  if (!user || user.disabled) {
    await deleteSession(database.db, idHash);
    return null;
  }
  // Written at most once a minute: enough for the idle timeout, cheap for the database.
  if (now - Date.parse(session.last_seen_at) > 60_000) await touchSession(database.db, idHash, coarseNow(new Date(now)));
  return { member: memberOf(user), csrfToken: session.csrf_token, idHash };
}

/** Ends a session and records it. */
export async function signOut(database: Database, session: StaffSession): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.idHash);
    await appendAudit(trx, { actor: session.member.id, action: 'staff.sign_out', target: session.member.id });
  });
}

export function memberOf(user: StaffUserTable): StaffMember {
  return { id: user.id, name: user.name, role: user.role as Role };
}
