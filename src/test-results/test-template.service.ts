import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import {
  canonicalDecimal,
  compareDecimals,
  type TestSpec,
  type TestValueType,
} from '../domain/test-value.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import { getPartRow } from '../parts/part.service.js';
import { countResultsOfTemplates } from './test-result.repository.js';
import {
  countTemplates,
  findTemplateByKey,
  findTemplateRow,
  insertTemplate,
  lastPosition,
  listTemplateRows,
  updateTemplateRow,
  type TestTemplateRow,
} from './test-template.repository.js';
import {
  MAX_TEMPLATES_PER_PART,
  TestTemplateCreate,
  TestTemplateQuery,
  TestTemplateUpdate,
  type TestTemplate,
  type TestTemplateListItem,
} from './test-template.schemas.js';

const NO_EDIT = { tags: undefined, customFields: undefined };

export async function createTestTemplate(
  ctx: Context,
  actor: Actor,
  partRef: string,
  input: TestTemplateCreate,
): Promise<TestTemplate> {
  const data = parseInput(TestTemplateCreate, input);
  const limits = checkLimits(data.valueType, data.min, data.max, data.unit);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const part = await getPartRow(withDb(ctx, db), partRef, 'part');
    if ((await countTemplates(db, part.code)) >= MAX_TEMPLATES_PER_PART) {
      throw new ConflictError(`a part has at most ${MAX_TEMPLATES_PER_PART} test templates`, 'key');
    }
    const duplicate = () =>
      new ConflictError(`the part has a test with key '${data.key}' already`, 'key');
    if (await findTemplateByKey(db, part.code, data.key)) throw duplicate();
    await mapUniqueViolation(
      insertTemplate(db, {
        code,
        part_code: part.code,
        key: data.key,
        name: data.name,
        description: data.description,
        required: data.required ? 1 : 0,
        value_type: data.valueType,
        unit: data.unit,
        min: limits.min,
        max: limits.max,
        requires_attachment: data.requiresAttachment ? 1 : 0,
        enabled: data.enabled ? 1 : 0,
        position: (await lastPosition(db, part.code)) + 1,
        created_at: at,
        updated_at: at,
      }),
      'test_template_part_key',
      duplicate,
    );
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { key: data.key, name: data.name } },
    ]);
  });
  return getTestTemplate(ctx, code);
}

export async function getTestTemplate(ctx: Context, ref: string): Promise<TestTemplate> {
  return toTemplate(await getTemplateRow(ctx, ref));
}

export async function listTestTemplates(
  ctx: Context,
  partRef: string,
  query: TestTemplateQuery = {},
): Promise<TestTemplateListItem[]> {
  const { disabled } = parseInput(TestTemplateQuery, query);
  const part = await getPartRow(ctx, partRef, 'part');
  const rows = await listTemplateRows(ctx.db, [part.code], { disabled: disabled === 'true' });
  const results = await countResultsOfTemplates(
    ctx.db,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({ ...toTemplate(r), results: results.get(r.code) ?? 0 }));
}

/**
 * Edits a template; the key never changes (stations upload by it). Recorded as `updated`.
 * Its type is a correction: it needs a reason (recorded as `test_type_corrected`) and is
 * refused while any result uses the template — voided ones too, since each was recorded and
 * judged as a value of the old type, and stays shown as one.
 */
export async function updateTestTemplate(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: TestTemplateUpdate,
): Promise<TestTemplate> {
  const data = parseInput(TestTemplateUpdate, input);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getTemplateRow(withDb(ctx, db), ref);
    const retype = data.valueType !== undefined && data.valueType !== row.value_type;
    if (retype) {
      if (!data.reason) throw new ValidationError('reason', 'say why the type changes');
      const results = (await countResultsOfTemplates(db, [row.code])).get(row.code) ?? 0;
      if (results > 0) {
        throw new ConflictError(
          `test '${row.key}' has ${results} result${results === 1 ? '' : 's'}: its type cannot change (define a new test instead)`,
          'valueType',
        );
      }
    }
    const valueType = data.valueType ?? row.value_type;
    const limits = checkLimits(
      valueType,
      data.min === undefined ? row.min : data.min,
      data.max === undefined ? row.max : data.max,
      data.unit ?? row.unit,
      data.valueType !== undefined && data.valueType !== 'number',
    );
    const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
    const at = now(ctx);
    await applyEdit(
      db,
      actor,
      at,
      row,
      {
        columns: {
          name: data.name,
          description: data.description,
          required: flag(data.required),
          value_type: data.valueType,
          unit: valueType === 'number' ? data.unit : '',
          min: limits.min,
          max: limits.max,
          requires_attachment: flag(data.requiresAttachment),
          enabled: flag(data.enabled),
          position: data.position,
        },
        attributes: NO_EDIT,
        names: { value_type: 'valueType', requires_attachment: 'requiresAttachment' },
      },
      (set) => updateTemplateRow(db, row.code, set),
    );
    if (retype) {
      await appendHistory(db, actor, at, [
        {
          subjectCode: row.code,
          type: 'test_type_corrected',
          data: { from: row.value_type, to: valueType, reason: data.reason },
        },
      ]);
    }
    return row.code;
  });
  return getTestTemplate(ctx, code);
}

export async function getTemplateRow(ctx: Context, ref: string): Promise<TestTemplateRow> {
  const code = parseCode(ref, 'code');
  const row = await findTemplateRow(ctx.db, code);
  if (!row) throw new NotFoundError('test template', code, 'code');
  return row;
}

export function toTemplate(row: TestTemplateRow): TestTemplate {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    part: row.part_code,
    key: row.key,
    name: row.name,
    description: row.description,
    required: row.required === 1,
    valueType: row.value_type,
    unit: row.unit,
    min: row.min,
    max: row.max,
    requiresAttachment: row.requires_attachment === 1,
    enabled: row.enabled === 1,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function specOf(row: TestTemplateRow): TestSpec {
  return {
    valueType: row.value_type,
    min: row.min,
    max: row.max,
    requiresAttachment: row.requires_attachment === 1,
  };
}

/**
 * Limits belong to number tests only; min ≤ max. `clear`: the type changes away from number,
 * so stored limits go.
 */
function checkLimits(
  valueType: TestValueType,
  min: number | string | null,
  max: number | string | null,
  unit: string,
  clear = false,
): { min: string | null; max: string | null } {
  if (clear) return { min: null, max: null };
  if (valueType !== 'number') {
    if (min !== null) throw new ValidationError('min', 'only number tests have limits');
    if (max !== null) throw new ValidationError('max', 'only number tests have limits');
    if (unit !== '') throw new ValidationError('unit', 'only number tests have a unit');
    return { min: null, max: null };
  }
  const lo = min === null ? null : canonicalDecimal(min, 'min');
  const hi = max === null ? null : canonicalDecimal(max, 'max');
  if (lo !== null && hi !== null && compareDecimals(lo, hi) > 0) {
    throw new ValidationError('max', `must not be below min (${lo})`);
  }
  return { min: lo, max: hi };
}
