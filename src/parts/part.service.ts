import { loadAttributes } from '../attributes/attribute.repository.js';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { toUnits, type Unit } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-changes.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findPartRow,
  insertPart,
  listPartRows,
  onHandByPart,
  partHasLots,
  updatePartRow,
  type PartRow,
} from './part.repository.js';
import {
  PartCreate,
  PartQuery,
  PartUpdate,
  type Part,
  type PartPage,
  type PartKind,
} from './part.schemas.js';

export async function createPart(ctx: Context, actor: Actor, input: PartCreate): Promise<Part> {
  const { tags, customFields, ...data } = parseInput(PartCreate, input);
  const attributes = validateAttributes({ tags, customFields });
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await insertPart(db, { code, ...data, archived: 0, created_at: at, updated_at: at });
    await addAttributes(db, [{ code, ...attributes }]);
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name } },
    ]);
  });
  return getPart(ctx, code);
}

/** Throws NotFoundError; `ref` is any forgiving form of the part's code. */
export async function getPart(ctx: Context, ref: string): Promise<Part> {
  const [part] = await toParts(ctx, [await getPartRow(ctx, ref)]);
  return part!;
}

export async function getPartRow(ctx: Context, ref: string, field = 'code'): Promise<PartRow> {
  const code = parseCode(ref, field);
  const row = await findPartRow(ctx.db, code);
  if (!row) throw new NotFoundError('part', code, field);
  return row;
}

export async function listParts(ctx: Context, query: PartQuery): Promise<PartPage> {
  const filter = parseInput(PartQuery, query);
  const { rows, total } = await listPartRows(ctx.db, filter);
  return { items: await toParts(ctx, rows), total, limit: filter.limit, offset: filter.offset };
}

export async function updatePart(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: PartUpdate,
): Promise<Part> {
  const { tags, customFields, archived, ...columns } = parseInput(PartUpdate, input);
  const attributes = validateAttributes({ tags, customFields });
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getPartRow(withDb(ctx, db), ref);
    if (columns.unit && columns.unit !== row.unit && (await partHasLots(db, row.code))) {
      throw new ConflictError('cannot change the unit of a part that has stock lots', 'unit');
    }
    await applyEdit(db, actor, now(ctx), row, { columns, attributes, archived }, (set) =>
      updatePartRow(db, row.code, set),
    );
    return row.code;
  });
  return getPart(ctx, code);
}

async function toParts(ctx: Context, rows: PartRow[]): Promise<Part[]> {
  const codes = rows.map((r) => r.code);
  const [attributes, onHand] = await Promise.all([
    loadAttributes(ctx.db, codes),
    onHandByPart(ctx.db, codes),
  ]);
  return rows.map((r) => ({
    code: r.code,
    shortCode: shortCode(r.code),
    name: r.name,
    description: r.description,
    manufacturer: r.manufacturer,
    mpn: r.mpn,
    kind: r.kind as PartKind,
    unit: r.unit as Unit,
    archived: r.archived === 1,
    ...attributes.get(r.code)!,
    onHand: toUnits(onHand.get(r.code) ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
