import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { getByNameOrCode } from '../db/names.js';
import { parseJsonText, toJsonText } from '../db/json-text.js';
import { shortCode } from '../domain/code.js';
import { ConflictError } from '../domain/errors.js';
import { LABEL_MEDIA, labelsPerPage } from '../domain/label-media.js';
import { defaultTemplate, validateLabelTemplate } from '../domain/label-template.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findLabelTemplateByName,
  findLabelTemplateRow,
  insertLabelTemplate,
  listLabelTemplateRows,
  updateLabelTemplateRow,
  type LabelTemplateRow,
} from './label.repository.js';
import {
  LabelTemplateCreate,
  LabelTemplateQuery,
  LabelTemplateUpdate,
  type LabelTemplate,
} from './label.schemas.js';

export async function createLabelTemplate(
  ctx: Context,
  actor: Actor,
  input: LabelTemplateCreate,
): Promise<LabelTemplate> {
  const { name, ...definition } = parseInput(LabelTemplateCreate, input);
  const checked = validateLabelTemplate(definition);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    if (await findLabelTemplateByName(db, name)) throw nameTaken(name);
    await mapUniqueViolation(
      insertLabelTemplate(db, {
        code,
        name,
        definition: toJsonText(checked),
        archived: 0,
        created_at: at,
        updated_at: at,
      }),
      'label_template_name',
      () => nameTaken(name),
    );
    await appendHistory(db, actor, at, [{ subjectCode: code, type: 'created', data: { name } }]);
  });
  return getLabelTemplate(ctx, code);
}

const nameTaken = (name: string) =>
  new ConflictError(`a label template named '${name}' exists already`, 'name');

/** By code (any forgiving form) or by name; throws NotFoundError. */
export async function getLabelTemplate(ctx: Context, ref: string): Promise<LabelTemplate> {
  return toTemplate(await getLabelTemplateRow(ctx, ref));
}

/** A template's row by name (any case) or code; throws NotFoundError naming `field`. */
export async function getLabelTemplateRow(ctx: Context, ref: string, field = 'template') {
  return getByNameOrCode(
    ref,
    field,
    'label template',
    (name) => findLabelTemplateByName(ctx.db, name),
    (code) => findLabelTemplateRow(ctx.db, code),
  );
}

export async function listLabelTemplates(
  ctx: Context,
  query: { archived?: 'true' | 'false' | 'any' },
): Promise<LabelTemplate[]> {
  const { archived } = parseInput(LabelTemplateQuery, query);
  const rows = await listLabelTemplateRows(
    ctx.db,
    archived === 'any' ? undefined : archived === 'true',
  );
  return rows.map(toTemplate);
}

export async function updateLabelTemplate(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: LabelTemplateUpdate,
): Promise<LabelTemplate> {
  const { name, archived, ...changes } = parseInput(LabelTemplateUpdate, input);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getLabelTemplateRow(withDb(ctx, db), ref, 'code');
    const before = parseJsonText(row.definition);
    const definition = toJsonText(validateLabelTemplate({ ...before, ...changes }));
    if (name !== undefined && name.toLowerCase() !== row.name.toLowerCase()) {
      if (await findLabelTemplateByName(db, name)) throw nameTaken(name);
    }
    await applyEdit(
      db,
      actor,
      now(ctx),
      row,
      { columns: { name, definition }, attributes: {}, archived },
      (set) =>
        mapUniqueViolation(updateLabelTemplateRow(db, row.code, set), 'label_template_name', () =>
          nameTaken(name ?? ''),
        ),
    );
    return row.code;
  });
  return getLabelTemplate(ctx, code);
}

function toTemplate(row: LabelTemplateRow): LabelTemplate {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    name: row.name,
    ...parseJsonText(row.definition),
    archived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The media presets, each with the layout a template on it starts from. */
export function listLabelMedia() {
  return LABEL_MEDIA.map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    widthMm: m.widthMm,
    heightMm: m.heightMm,
    labelsPerPage: labelsPerPage(m),
    defaultTemplate: defaultTemplate(m.id),
  }));
}
