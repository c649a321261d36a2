import { randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from '../domain/service-error.js';
import { appendAudit } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';
import {
  findApiTokenByHash,
  findStaffUserById,
  findStaffUserByName,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
} from '../storage/staff.repository.js';
import { memberOf, secretHash, type StaffMember } from './staff-sessions.js';
import { coarseNow } from './clock.js';

/** Creates a bearer token for the staff JSON API; the token is returned once and stored hashed. */
export async function createApiToken(
  database: Database,
  input: { userName: string; expiresDays?: number | undefined; label?: string | undefined; actor: string },
): Promise<{ id: string; token: string; expiresAt: string | null }> {
  const user = await findStaffUserByName(database.db, input.userName);
  if (!user || user.disabled) throw new ServiceError({ code: 'not_found', field: 'name' });
  const id = randomUUID();
  const token = `rct_${randomBytes(32).toString('base64url')}`;
  // To the minute, like the audit entry (whose details carry the expiry).
  const now = new Date(coarseNow());
  const expiresAt = input.expiresDays ? new Date(now.getTime() + input.expiresDays * 86_400_000).toISOString() : null;
  await database.db.transaction().execute(async (trx) => {
    await insertApiToken(trx, {
      id,
      token_hash: secretHash(token),
      user_id: user.id,
      label: input.label ?? null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    });
    await appendAudit(trx, { actor: input.actor, action: 'token.create', target: id, details: { user: user.name, expiresAt } });
  });
  return { id, token, expiresAt };
}

/** The staff member a bearer token acts for, or null if unknown, revoked, expired or disabled. */
export async function authenticateApiToken(database: Database, token: string, now = Date.now()): Promise<StaffMember | null> {
  if (!/^rct_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await findApiTokenByHash(database.db, secretHash(token));
  if (!row || row.revoked_at || (row.expires_at && Date.parse(row.expires_at) <= now)) return null;
  const user = await findStaffUserById(database.db, row.user_id);
  return user && !user.disabled ? memberOf(user) : null;
}

/** Every token, without the secret. */
export async function listTokens(database: Database) {
  const rows = await listApiTokens(database.db);
  return rows.map((r) => ({ id: r.id, user: r.user_name, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
}

/** Revokes a token at once. */
export async function revokeToken(database: Database, id: string, actor: string): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, id, coarseNow()))) throw new ServiceError({ code: 'not_found' });
    await appendAudit(trx, { actor, action: 'token.revoke', target: id });
  });
}
