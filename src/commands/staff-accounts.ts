import { randomUUID } from 'node:crypto';
import { hashPassword } from '../crypto/password-hasher.js';
import { newTotpSecret, totpUri } from '../crypto/totp.js';
import { checkPassword } from '../domain/password-policy.js';
import { isRole, requiresTotp, type Role } from '../domain/roles.js';
import { ServiceError, type FieldError } from '../domain/service-error.js';
import { checkText } from '../domain/text-rules.js';
import { appendAudit } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';
import {
  deleteSessionsOf,
  findStaffUserByName,
  insertStaffUser,
  listStaffUsers,
  updateStaffUser,
} from '../storage/staff.repository.js';
import { coarseNow } from './clock.js';

export interface NewStaffUser {
  name: string;
  role: string;
  password: string;
  /** Who does it, for the audit: a staff user id or `cli`. */
  actor: string;
  /** scrypt cost; tests lower it, production keeps the default. */
  passwordCostLog2?: number;
}

/**
 * Creates a staff account. Admins and editors get a TOTP secret at once and must use it: the
 * `otpauth://` URI to enrol it is returned (to be shown once, to that person only).
 */
export async function createStaffUser(database: Database, input: NewStaffUser): Promise<{ id: string; totpUri: string | null }> {
  const errors: FieldError[] = [];
  const name = checkText(input.name, { max: 64, multiline: false });
  if (!name.ok) errors.push({ code: name.code, field: 'name', ...(name.max ? { max: name.max } : {}) });
  else if (!/^[\p{L}\p{N}._-]{2,64}$/u.test(name.value)) errors.push({ code: 'invalid_characters', field: 'name' });
  if (!isRole(input.role)) errors.push({ code: 'not_in_list', field: 'role' });
  const weak = checkPassword(input.password, input.name);
  if (weak) errors.push({ ...weak, field: 'password' });
  if (errors.length > 0) throw new ServiceError(errors);
  const role = input.role as Role;
  const userName = (name as { value: string }).value;
  if (await findStaffUserByName(database.db, userName)) throw new ServiceError({ code: 'already_exists', field: 'name' });

  const id = randomUUID();
  const secret = requiresTotp(role) ? newTotpSecret() : null;
  const passwordHash = await hashPassword(input.password, input.passwordCostLog2);
  await database.db.transaction().execute(async (trx) => {
    await insertStaffUser(trx, {
      id,
      name: userName,
      role,
      password_hash: passwordHash,
      totp_secret: secret,
      totp_last_step: null,
      disabled: 0,
      created_at: coarseNow(),
    });
    await appendAudit(trx, { actor: input.actor, action: 'user.create', target: id, details: { name: userName, role } });
  });
  return { id, totpUri: secret ? totpUri(userName, secret) : null };
}

/** Disables an account and ends its sessions; its tokens stop working with it. */
export async function disableStaffUser(database: Database, name: string, actor: string): Promise<void> {
  const user = await findStaffUserByName(database.db, name);
  if (!user) throw new ServiceError({ code: 'not_found', field: 'name' });
  await database.db.transaction().execute(async (trx) => {
    await updateStaffUser(trx, user.id, { disabled: 1 });
    await deleteSessionsOf(trx, user.id);
    await appendAudit(trx, { actor, action: 'user.disable', target: user.id, details: { name } });
  });
}

/** Every account, without secrets. */
export async function listStaffAccounts(database: Database) {
  const users = await listStaffUsers(database.db);
  return users.map((u) => ({ id: u.id, name: u.name, role: u.role, totp: u.totp_secret !== null, disabled: u.disabled === 1, createdAt: u.created_at }));
}
