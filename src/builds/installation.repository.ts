import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { InstallationTable } from '../db/schema.js';
import { QUANTITY_SCALE } from '../domain/quantity.js';

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

/**
 * Every (parent, BOM entry) holding more open installations than the entry's quantity per unit
 * (an entry its build lacks allows none): what concurrent installs could do before parents were
 * locked, or a database written by hand. At most 1,000.
 */
export async function findOverfilledSlots(db: Database) {
  const allowed = sql<number>`coalesce(max(e.quantity), 0)`;
  const rows = await db
    .selectFrom('installation as i')
    .innerJoin('lot as p', 'p.code', 'i.parent_code')
    .leftJoin('build_entry as e', (join) =>
      join.onRef('e.build_code', '=', 'p.build_code').onRef('e.entry_no', '=', 'i.entry_no'),
    )
    .select([
      'i.parent_code',
      'i.entry_no',
      (eb) => eb.fn.count<number>('i.id').as('installed'),
      allowed.as('allowed'),
    ])
    .where('i.removed_at', 'is', null)
    .groupBy(['i.parent_code', 'i.entry_no'])
    .having(sql<boolean>`count(i.id) * ${QUANTITY_SCALE} > ${allowed}`)
    .orderBy('i.parent_code')
    .orderBy('i.entry_no')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    ...r,
    installed: Number(r.installed),
    allowed: Number(r.allowed) / QUANTITY_SCALE,
  }));
}

/**
 * Whether any of the parts has units (lots a build made): only units are installed, so a BOM
 * whose parts have none has nothing installed to count — asked first, as counting costs a probe
 * per unit of a large build.
 */
export async function anyUnitsOf(db: Database, parts: readonly string[]): Promise<boolean> {
  if (parts.length === 0) return false;
  const row = await db
    .selectFrom('lot')
    .select('code')
    .where('part_code', 'in', [...parts])
    .where('build_code', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
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
