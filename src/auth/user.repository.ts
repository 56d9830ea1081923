import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/database.js';
import { isPostgres } from '../db/migrations/helpers.js';
import type { AppUserTable } from '../db/schema.js';

export type UserRow = Selectable<AppUserTable>;

export async function insertUser(db: Database, row: Insertable<AppUserTable>): Promise<void> {
  await db.insertInto('app_user').values(row).execute();
}

export async function findUserByName(db: Database, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

/** The user a single sign-on provider knows by `subject` (its `sub` claim). */
export async function findUserBySubject(
  db: Database,
  issuer: string,
  subject: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('oidc_issuer', '=', issuer)
    .where('oidc_subject', '=', subject)
    .executeTakeFirst();
}

export async function findUserRow(db: Database, code: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listUserRows(db: Database): Promise<UserRow[]> {
  return db.selectFrom('app_user').selectAll().orderBy('username').execute();
}

export async function updateUserRow(
  db: Database,
  code: string,
  changes: Updateable<AppUserTable>,
): Promise<void> {
  await db.updateTable('app_user').set(changes).where('code', '=', code).execute();
}

export async function countUsers(db: Database): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The active admins, locked until the transaction ends: two requests demoting different admins
 * cannot both see "another admin is left". (SQLite runs one write transaction at a time.)
 */
export async function lockActiveAdmins(db: Database): Promise<string[]> {
  const query = db
    .selectFrom('app_user')
    .select('code')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .orderBy('code');
  const rows = await (isPostgres(db) ? query.forUpdate() : query).execute();
  return rows.map((r) => r.code);
}
