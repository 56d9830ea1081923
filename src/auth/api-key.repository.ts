import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import { preparedQuery } from '../db/prepared.js';
import type { ApiKeyTable } from '../db/schema.js';

export type ApiKeyRow = Selectable<ApiKeyTable>;

export async function insertApiKey(db: Database, row: Insertable<ApiKeyTable>): Promise<void> {
  await db.insertInto('api_key').values(row).execute();
}

const activeKeyByHash = preparedQuery((db) =>
  db
    .selectFrom('api_key')
    .select(['code', 'name', 'role'])
    .where('key_hash', '=', '')
    .where('revoked_at', 'is', null),
);

/** The hot path of every API request: one unique-index lookup, compiled once. */
export async function findActiveKeyByHash(db: Database, keyHash: string) {
  const [row] = await activeKeyByHash(db, [keyHash]);
  return row;
}

export async function findApiKeyRow(db: Database, code: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_key').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listApiKeyRows(db: Database): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_key').selectAll().orderBy('created_at').execute();
}

export async function revokeApiKeyRow(db: Database, code: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_key')
    .set({ revoked_at: at })
    .where('code', '=', code)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The site a `site` key belongs to (null until its first sync). */
export async function keySite(db: Database, keyCode: string): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('api_key')
    .select('site_id')
    .where('code', '=', keyCode)
    .executeTakeFirst();
  return row?.site_id;
}

/** Binds a `site` key to the site that first syncs with it; false if it is bound already. */
export async function bindKeySite(db: Database, keyCode: string, site: string): Promise<boolean> {
  const result = await db
    .updateTable('api_key')
    .set({ site_id: site })
    .where('code', '=', keyCode)
    .where('site_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
