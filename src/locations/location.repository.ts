import type { Insertable, Selectable, Updateable } from 'kysely';
import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { namesByCode } from '../db/names.js';
import { registerCodes } from '../db/object-code.repository.js';
import type { LocationTable } from '../db/schema.js';
import { pageWithTotal } from '../db/paging.js';
import { filterList, type PagedListFilter } from '../db/search.js';

export type LocationRow = Selectable<LocationTable>;

/** A new location of this site (only this site moves stock there). */
export async function insertLocation(
  db: Database,
  row: Omit<Insertable<LocationTable>, 'site_id'>,
): Promise<void> {
  await registerCodes(db, 'location', [row.code]);
  await db
    .insertInto('location')
    .values({
      ...row,
      site_id: (eb) => eb.selectFrom('site').select('id').where('local', '=', 1),
    })
    .execute();
}

export async function findLocationRow(
  db: Database,
  code: string,
): Promise<LocationRow | undefined> {
  return db.selectFrom('location').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Names are unique ignoring case (a unique index on lower(name)). */
export async function findLocationByName(
  db: Database,
  name: string,
): Promise<LocationRow | undefined> {
  return db
    .selectFrom('location')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function updateLocationRow(
  db: Database,
  code: string,
  changes: Updateable<LocationTable>,
): Promise<void> {
  await db.updateTable('location').set(changes).where('code', '=', code).execute();
}

export async function listLocationRows(
  db: Database,
  filter: PagedListFilter,
): Promise<{ rows: LocationRow[]; total: number }> {
  const query = filterList(db.selectFrom('location'), filter, ['name', 'description']);
  return pageWithTotal(query, (q) =>
    q.selectAll().orderBy('name').orderBy('code').limit(filter.limit).offset(filter.offset),
  );
}

/** The codes among `codes` that name a location. */
export async function existingLocationCodes(db: Database, codes: string[]): Promise<Set<string>> {
  const rows = await inChunks(codes, (chunk) =>
    db.selectFrom('location').select('code').where('code', 'in', chunk).execute(),
  );
  return new Set(rows.map((r) => r.code));
}

/** Code → name of the locations among `codes`. */
export async function locationNames(db: Database, codes: string[]): Promise<Map<string, string>> {
  return namesByCode(db, 'location', codes);
}
