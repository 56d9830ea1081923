import { loadAttributes } from '../attributes/attribute.repository.js';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import { insertPart } from '../parts/part.repository.js';
import {
  countBomEntries,
  findProjectRow,
  insertProject,
  listProjectRows,
  updateProjectRow,
  type ProjectRow,
} from './project.repository.js';
import { findPartBriefs, type PartBrief } from '../parts/part-brief.repository.js';
import {
  ProjectCreate,
  ProjectQuery,
  ProjectUpdate,
  type PartSummary,
  type Project,
  type ProjectPage,
} from './project.schemas.js';

/**
 * Creates a project with its sub-assembly part: the part named by `part`, or a new part of
 * kind sub_assembly named after the project — in the same transaction, each with a `created`
 * history event. `code` is a new one unless an import keeps another system's id.
 */
export async function createProject(
  ctx: Context,
  actor: Actor,
  input: ProjectCreate,
  code = ctx.newCode(),
): Promise<Project> {
  const { tags, customFields, part, ...data } = parseInput(ProjectCreate, input);
  const attributes = validateAttributes({ tags, customFields });
  const partRef = part === undefined ? undefined : parseCode(part, 'part');
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    let partCode = partRef;
    if (partCode !== undefined) await getPartBrief(db, partCode, 'part');
    else {
      partCode = ctx.newCode();
      await insertPart(db, {
        code: partCode,
        name: data.name,
        description: '',
        manufacturer: '',
        mpn: '',
        kind: 'sub_assembly',
        unit: 'pcs',
        archived: 0,
        created_at: at,
        updated_at: at,
      });
      await appendHistory(db, actor, at, [
        { subjectCode: partCode, type: 'created', data: { name: data.name, project: code } },
      ]);
    }
    await insertProject(db, {
      code,
      ...data,
      part_code: partCode,
      archived: 0,
      created_at: at,
      updated_at: at,
    });
    await addAttributes(db, [{ code, ...attributes }]);
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name, part: partCode } },
    ]);
  });
  return getProject(ctx, code);
}

/** Throws NotFoundError; `ref` is any forgiving form of the project's code. */
export async function getProject(ctx: Context, ref: string): Promise<Project> {
  const [project] = await toProjects(ctx.db, [await getProjectRow(ctx, ref)]);
  return project!;
}

export async function getProjectRow(
  ctx: Context,
  ref: string,
  field = 'code',
): Promise<ProjectRow> {
  const code = parseCode(ref, field);
  const row = await findProjectRow(ctx.db, code);
  if (!row) throw new NotFoundError('project', code, field);
  return row;
}

export async function listProjects(ctx: Context, query: ProjectQuery): Promise<ProjectPage> {
  const filter = parseInput(ProjectQuery, query);
  const { rows, total } = await listProjectRows(ctx.db, filter);
  return {
    items: await toProjects(ctx.db, rows),
    total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

/** Changes fields, tags, custom fields, the sub-assembly part; archives or restores. */
export async function updateProject(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: ProjectUpdate,
): Promise<Project> {
  const { tags, customFields, archived, part, requireTestsPassed, ...columns } = parseInput(
    ProjectUpdate,
    input,
  );
  const requireTests = requireTestsPassed === undefined ? undefined : requireTestsPassed ? 1 : 0;
  const attributes = validateAttributes({ tags, customFields });
  const partCode = part === undefined ? undefined : parseCode(part, 'part');
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getProjectRow(withDb(ctx, db), ref);
    if (partCode !== undefined) await getPartBrief(db, partCode, 'part');
    await applyEdit(
      db,
      actor,
      now(ctx),
      row,
      {
        columns: { ...columns, part_code: partCode, require_tests_passed: requireTests },
        attributes,
        archived,
        names: { part_code: 'part', require_tests_passed: 'requireTestsPassed' },
      },
      (set) => updateProjectRow(db, row.code, set),
    );
    return row.code;
  });
  return getProject(ctx, code);
}

/** The part with this code, or NotFoundError naming `field`. */
export async function getPartBrief(db: Database, code: string, field: string): Promise<PartBrief> {
  const part = (await findPartBriefs(db, [code])).get(code);
  if (!part) throw new NotFoundError('part', code, field);
  return part;
}

export function toPartSummary(part: PartBrief): PartSummary {
  return {
    code: part.code,
    shortCode: shortCode(part.code),
    name: part.name,
    mpn: part.mpn,
    unit: part.unit,
  };
}

async function toProjects(db: Database, rows: ProjectRow[]): Promise<Project[]> {
  const codes = rows.map((r) => r.code);
  const [attributes, parts, counts] = await Promise.all([
    loadAttributes(db, codes),
    findPartBriefs(
      db,
      rows.map((r) => r.part_code),
    ),
    countBomEntries(db, codes),
  ]);
  return rows.map((r) => {
    const part = parts.get(r.part_code)!;
    return {
      code: r.code,
      shortCode: shortCode(r.code),
      name: r.name,
      description: r.description,
      notes: r.notes,
      part: { ...toPartSummary(part), kind: part.kind },
      archived: r.archived === 1,
      ...attributes.get(r.code)!,
      bomEntries: counts.get(r.code) ?? 0,
      requireTestsPassed: r.require_tests_passed === 1,
      bomRevision: r.bom_revision,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}
