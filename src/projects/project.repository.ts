import { type Insertable, type Selectable, type Updateable } from 'kysely';
import { insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { isPostgres } from '../db/migrations/helpers.js';
import { namesByCode } from '../db/names.js';
import { pageWithTotal } from '../db/paging.js';
import type { BomEntryTable, ProjectTable } from '../db/schema.js';
import { filterList, type PagedListFilter } from '../db/search.js';
import { registerCodes } from '../db/object-code.repository.js';

export type ProjectRow = Selectable<ProjectTable>;
export type BomEntryRow = Selectable<BomEntryTable>;

export async function insertProject(db: Database, row: Insertable<ProjectTable>): Promise<void> {
  await registerCodes(db, 'project', [row.code]);
  await db.insertInto('project').values(row).execute();
}

export async function findProjectRow(db: Database, code: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('project').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Takes the project's row lock for the rest of the transaction (FOR UPDATE; SQLite runs one
 * write transaction at a time), so that concurrent changes of its BOM run one after the other;
 * undefined when there is no such project.
 */
export async function lockProjectRow(db: Database, code: string): Promise<ProjectRow | undefined> {
  const query = db.selectFrom('project').selectAll().where('code', '=', code);
  return (isPostgres(db) ? query.forUpdate() : query).executeTakeFirst();
}

export async function updateProjectRow(
  db: Database,
  code: string,
  changes: Updateable<ProjectTable>,
): Promise<void> {
  await db.updateTable('project').set(changes).where('code', '=', code).execute();
}

export async function listProjectRows(
  db: Database,
  filter: PagedListFilter,
): Promise<{ rows: ProjectRow[]; total: number }> {
  const query = filterList(db.selectFrom('project'), filter, ['name', 'description']);
  return pageWithTotal(query, (q) =>
    q.selectAll().orderBy('name').orderBy('code').limit(filter.limit).offset(filter.offset),
  );
}

/** Number of BOM entries per project. */
export async function countBomEntries(
  db: Database,
  projectCodes: string[],
): Promise<Map<string, number>> {
  if (projectCodes.length === 0) return new Map();
  const rows = await db
    .selectFrom('bom_entry')
    .select(['project_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_code', 'in', projectCodes)
    .groupBy('project_code')
    .execute();
  return new Map(rows.map((r) => [r.project_code, Number(r.n)]));
}

export async function listBomEntryRows(db: Database, projectCode: string): Promise<BomEntryRow[]> {
  return db
    .selectFrom('bom_entry')
    .selectAll()
    .where('project_code', '=', projectCode)
    .orderBy('position')
    .execute();
}

/** Replaces every entry of a project's BOM (positions 1..n in the order given). */
export async function replaceBomEntryRows(
  db: Database,
  projectCode: string,
  rows: Omit<Insertable<BomEntryTable>, 'id' | 'project_code' | 'position'>[],
): Promise<void> {
  await db.deleteFrom('bom_entry').where('project_code', '=', projectCode).execute();
  await insertMany(
    db,
    'bom_entry',
    rows.map((r, i) => ({ ...r, project_code: projectCode, position: i + 1 })),
  );
}

/** Code → name of the projects among `codes`. */
export async function projectNames(db: Database, codes: string[]): Promise<Map<string, string>> {
  return namesByCode(db, 'project', codes);
}
