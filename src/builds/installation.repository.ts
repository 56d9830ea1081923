import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { InstallationTable } from '../db/schema.js';

export type InstallationRow = Selectable<InstallationTable>;

export async function insertInstallation(
  db: Database,
  row: Insertable<InstallationTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('installation')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function findInstallation(
  db: Database,
  id: number,
): Promise<InstallationRow | undefined> {
  return db.selectFrom('installation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Where a unit is installed now, if anywhere. */
export async function findOpenInstallation(
  db: Database,
  child: string,
): Promise<InstallationRow | undefined> {
  return db
    .selectFrom('installation')
    .selectAll()
    .where('child_code', '=', child)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** The units installed in a parent now. */
export async function listOpenInstallationsOf(
  db: Database,
  parent: string,
): Promise<InstallationRow[]> {
  return db
    .selectFrom('installation')
    .selectAll()
    .where('parent_code', '=', parent)
    .where('removed_at', 'is', null)
    .execute();
}

/** Closes an open installation; false when it was closed meanwhile. */
export async function closeInstallation(
  db: Database,
  id: number,
  removal: { removed_at: string; removed_by: string; removed_reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('installation')
    .set(removal)
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Units installed now into the build's units: how many per parent serial and BOM entry. */
export async function countInstalledPerUnit(db: Database, build: string) {
  const rows = await db
    .selectFrom('installation as i')
    .innerJoin('lot as l', 'l.code', 'i.parent_code')
    .select(['l.build_serial', 'i.entry_no', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.build_code', '=', build)
    .where('i.removed_at', 'is', null)
    .groupBy(['l.build_serial', 'i.entry_no'])
    .execute();
  return rows.map((r) => ({ serial: r.build_serial!, entryNo: r.entry_no, n: Number(r.n) }));
}
