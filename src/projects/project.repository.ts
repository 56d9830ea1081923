import { type Insertable, type Selectable, type Updateable } from 'kysely';
import { insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { isPostgres } from '../db/migrations/helpers.js';
import { namesByCode } from '../db/names.js';
import { pageWithTotal } from '../db/paging.js';
import type { BomEntryTable, ProjectStageTable, ProjectTable } from '../db/schema.js';
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

export type ProjectStageRow = Selectable<ProjectStageTable>;

/** A project's named stages, in stage order. */
export async function listProjectStageRows(
  db: Database,
  projectCode: string,
): Promise<ProjectStageRow[]> {
  return db
    .selectFrom('project_stage')
    .selectAll()
    .where('project_code', '=', projectCode)
    .orderBy('stage')
    .execute();
}

export async function insertProjectStages(
  db: Database,
  rows: Insertable<ProjectStageTable>[],
): Promise<void> {
  await insertMany(db, 'project_stage', rows);
}

export async function updateProjectStage(
  db: Database,
  projectCode: string,
  stage: number,
  changes: Updateable<ProjectStageTable>,
): Promise<void> {
  await db
    .updateTable('project_stage')
    .set(changes)
    .where('project_code', '=', projectCode)
    .where('stage', '=', stage)
    .execute();
}

/**
 * Whether a build started with this revision of the project's BOM (reads the builds' table:
 * a BOM that a build used is never changed in place, it gets a new revision).
 */
export async function isBomRevisionUsed(
  db: Database,
  projectCode: string,
  revision: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('build')
    .select('code')
    .where('project_code', '=', projectCode)
    .where('bom_revision', '=', revision)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Code → current BOM revision of the projects among `codes`. */
export async function projectBomRevisions(
  db: Database,
  codes: string[],
): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('project')
    .select(['code', 'bom_revision'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.bom_revision]));
}
