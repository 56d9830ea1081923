import type { Insertable } from 'kysely';
import type { Database } from '../db/database.js';
import type { UserSessionTable } from '../db/schema.js';

export async function insertSession(
  db: Database,
  row: Insertable<UserSessionTable>,
): Promise<void> {
  await db.insertInto('user_session').values(row).execute();
}

/** The session's user if the session is live and the user enabled. */
export async function findSessionUser(db: Database, tokenHash: string, at: string) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.code', 's.user_code')
    .select(['u.code', 'u.username', 'u.role'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', at)
    .where('u.disabled', '=', 0)
    .executeTakeFirst();
}

export async function deleteSession(db: Database, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(db: Database, userCode: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_code', '=', userCode).execute();
}

export async function deleteExpiredSessions(db: Database, at: string): Promise<void> {
  await db.deleteFrom('user_session').where('expires_at', '<=', at).execute();
}
