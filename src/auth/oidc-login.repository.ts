import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { OidcLoginTable } from '../db/schema.js';

export type OidcLoginRow = Selectable<OidcLoginTable>;

export async function insertOidcLogin(
  db: Database,
  row: Insertable<OidcLoginTable>,
): Promise<void> {
  await db.insertInto('oidc_login').values(row).execute();
}

/**
 * Takes the login begun with this cookie: deletes it and returns it, so that one answer of the
 * provider is used once, by one request, on any server. Undefined when absent or taken.
 */
export async function takeOidcLogin(
  db: Database,
  cookieHash: string,
): Promise<OidcLoginRow | undefined> {
  return db
    .deleteFrom('oidc_login')
    .where('cookie_hash', '=', cookieHash)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteExpiredOidcLogins(db: Database, now: string): Promise<void> {
  await db.deleteFrom('oidc_login').where('expires_at', '<=', now).execute();
}
