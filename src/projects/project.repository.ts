import { type Insertable, type Selectable, type Updateable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { BomEntryTable, PartTable, ProjectTable } from '../db/schema.js';
import { attributeMatch, codeMatch, containsPattern, lowerLike, taggedWith } from '../db/search.js';
import { registerCodes } from '../resolver/object-code.repository.js';

export type ProjectRow = Selectable<ProjectTable>;
export type BomEntryRow = Selectable<BomEntryTable>;

/** What a project page or a BOM line shows of a part. */
export interface PartBrief {
  code: string;
  name: string;
  mpn: string;
  unit: PartTable['unit'];
  kind: PartTable['kind'];
}

export async function insertProject(db: Database, row: Insertable<ProjectTable>): Promise<void> {
  await registerCodes(db, 'project', [row.code]);
  await db.insertInto('project').values(row).execute();
}

/**
 * Parts a BOM import creates, in multi-row statements: the bulk form of the parts feature's
 * insertPart (codes registered first, so a colliding code fails the whole import).
 */
export async function insertParts(db: Database, rows: Insertable<PartTable>[]): Promise<void> {
  await registerCodes(
    db,
    'part',
    rows.map((r) => r.code),
  );
  await insertMany(db, 'part', rows);
}

export async function findProjectRow(db: Database, code: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('project').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Takes the project's row lock for the rest of the transaction (a write that changes
 * nothing), so that concurrent changes of its BOM run one after the other; undefined when
 * there is no such project.
 */
export async function lockProjectRow(db: Database, code: string): Promise<ProjectRow | undefined> {
  return db
    .updateTable('project')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
}

export async function updateProjectRow(
  db: Database,
  code: string,
  changes: Updateable<ProjectTable>,
): Promise<void> {
  await db.updateTable('project').set(changes).where('code', '=', code).execute();
}

export interface ProjectFilter {
  q?: string | undefined;
  tag?: string | undefined;
  archived: 'true' | 'false' | 'any';
  limit: number;
  offset: number;
}

export async function listProjectRows(
  db: Database,
  filter: ProjectFilter,
): Promise<{ rows: ProjectRow[]; total: number }> {
  let query = db.selectFrom('project');
  if (filter.archived !== 'any')
    query = query.where('archived', '=', filter.archived === 'true' ? 1 : 0);
  if (filter.tag) query = query.where(taggedWith('code', filter.tag));
  if (filter.q) {
    const p = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        lowerLike('name', p),
        lowerLike('description', p),
        attributeMatch('code', p),
        ...codeMatch('code', filter.q!),
      ]),
    );
  }
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

/** The parts among `codes` that exist, with what a BOM shows of them. */
export async function findPartBriefs(
  db: Database,
  codes: readonly string[],
): Promise<Map<string, PartBrief>> {
  const rows = await inChunks([...new Set(codes)], (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('code', 'in', chunk)
      .execute(),
  );
  return new Map(rows.map((r) => [r.code, r]));
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

/** A part a BOM line may match, with its value and footprint custom fields. */
export interface MatchCandidate extends PartBrief {
  value: string;
  footprint: string;
}

/** Unarchived parts whose MPN is one of `mpns` (compared in lower case). */
export async function findPartsByMpn(
  db: Database,
  mpns: readonly string[],
): Promise<MatchCandidate[]> {
  const lower = [...new Set(mpns.map((m) => m.toLowerCase()))];
  const out = await inChunks(lower, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where((eb) => eb(eb.fn('lower', ['mpn']), 'in', chunk))
      .where('archived', '=', 0)
      .orderBy('code')
      .execute(),
  );
  return withValueAndFootprint(db, out);
}

/**
 * Unarchived parts that may match a line by value and footprint: those whose custom field
 * `value` is one of `values`, and those named exactly one of `names` (all compared in lower
 * case). The caller compares footprints.
 */
export async function findPartsByValueOrName(
  db: Database,
  values: readonly string[],
  names: readonly string[],
): Promise<MatchCandidate[]> {
  const lowerValues = [...new Set(values.map((v) => v.toLowerCase()))];
  const lowerNames = [...new Set(names.map((n) => n.toLowerCase()))];
  const byValue = await inChunks(lowerValues, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('archived', '=', 0)
      .where('code', 'in', (eb) =>
        eb
          .selectFrom('object_field')
          .select('object_code')
          .where((f) => f(f.fn('lower', ['key']), '=', 'value'))
          .where((f) => f(f.fn('lower', ['value']), 'in', chunk)),
      )
      .execute(),
  );
  const byName = await inChunks(lowerNames, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('archived', '=', 0)
      .where((eb) => eb(eb.fn('lower', ['name']), 'in', chunk))
      .execute(),
  );
  const found = new Map([...byValue, ...byName].map((r) => [r.code, r]));
  return withValueAndFootprint(
    db,
    [...found.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
  );
}

async function withValueAndFootprint(db: Database, parts: PartBrief[]): Promise<MatchCandidate[]> {
  const fields = new Map<string, { value: string; footprint: string }>();
  for (const p of parts) fields.set(p.code, { value: '', footprint: '' });
  const rows = await inChunks([...fields.keys()], (chunk) =>
    db
      .selectFrom('object_field')
      .select(['object_code', 'key', 'value'])
      .where('object_code', 'in', chunk)
      .where((eb) => eb(eb.fn('lower', ['key']), 'in', ['value', 'footprint']))
      .execute(),
  );
  for (const r of rows) {
    const key = r.key.toLowerCase() as 'value' | 'footprint';
    fields.get(r.object_code)![key] = r.value;
  }
  return parts.map((p) => ({ ...p, ...fields.get(p.code)! }));
}
