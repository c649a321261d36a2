import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenTable, Schema, StaffSessionTable, StaffUserTable } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export function insertStaffUser(db: Db, user: StaffUserTable) {
  return db.insertInto('staff_user').values(user).execute();
}

export function findStaffUserByName(db: Db, name: string): Promise<StaffUserTable | undefined> {
  return db.selectFrom('staff_user').selectAll().where('name', '=', name).executeTakeFirst();
}

export function findStaffUserById(db: Db, id: string): Promise<StaffUserTable | undefined> {
  return db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every account's id and name only (the sign-in throttle matches names without reading hashes). */
export function listStaffNames(db: Db): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('staff_user').select(['id', 'name']).execute();
}

export function listStaffUsers(db: Db): Promise<StaffUserTable[]> {
  return db.selectFrom('staff_user').selectAll().orderBy('name').execute();
}

export async function countStaffUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('staff_user').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Enabled admin accounts: none means nobody can run the staff side yet. */
export async function countEnabledAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function updateStaffUser(db: Db, id: string, changes: Partial<StaffUserTable>) {
  return db.updateTable('staff_user').set(changes).where('id', '=', id).execute();
}

/**
 * Records a TOTP step as used, only if it is newer than the last one: of two sign-ins racing
 * with the same code, one wins.
 */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('staff_user')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function insertSession(db: Db, session: StaffSessionTable) {
  return db.insertInto('staff_session').values(session).execute();
}

export function findSession(db: Db, idHash: string): Promise<StaffSessionTable | undefined> {
  return db.selectFrom('staff_session').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export function touchSession(db: Db, idHash: string, at: string) {
  return db.updateTable('staff_session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export function deleteSession(db: Db, idHash: string) {
  return db.deleteFrom('staff_session').where('id_hash', '=', idHash).execute();
}

export function deleteSessionsOf(db: Db, userId: string) {
  return db.deleteFrom('staff_session').where('user_id', '=', userId).execute();
}

export function insertApiToken(db: Db, token: ApiTokenTable) {
  return db.insertInto('api_token').values(token).execute();
}

export function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenTable | undefined> {
  return db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listApiTokens(db: Db): Promise<(ApiTokenTable & { user_name: string })[]> {
  return db
    .selectFrom('api_token')
    .innerJoin('staff_user', 'staff_user.id', 'api_token.user_id')
    .selectAll('api_token')
    .select('staff_user.name as user_name')
    .orderBy('api_token.created_at')
    .execute();
}

export async function revokeApiToken(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
