import { loadAttributes } from '../attributes/attribute.repository.js';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { normalizeGtin } from '../domain/scan/gs1.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findPartByGtin,
  findPartWithSupplierPart,
  replaceSupplierParts,
  supplierPartsOf,
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
  type SupplierPart,
} from './part.schemas.js';

/** Creates a part; `code` is a new one unless an import keeps another system's id. */
export async function createPart(
  ctx: Context,
  actor: Actor,
  input: PartCreate,
  code = ctx.newCode(),
): Promise<Part> {
  const { tags, customFields, gtin, suppliers, ...data } = parseInput(PartCreate, input);
  const attributes = validateAttributes({ tags, customFields });
  const identifiers = validateIdentifiers(gtin, suppliers);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await writePart(db, code, identifiers.gtin, () =>
      insertPart(db, {
        code,
        ...data,
        gtin: identifiers.gtin ?? null,
        archived: 0,
        created_at: at,
        updated_at: at,
      }),
    );
    await writeSuppliers(db, code, identifiers.suppliers ?? [], at);
    await addAttributes(db, [{ code, ...attributes }]);
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name } },
    ]);
  });
  return getPart(ctx, code);
}

interface Identifiers {
  /** 14 digits, null to remove, undefined to leave as it is. */
  gtin: string | null | undefined;
  suppliers: SupplierPart[] | undefined;
}

function validateIdentifiers(
  gtin: string | null | undefined,
  suppliers: SupplierPart[] | undefined,
): Identifiers {
  const seen = new Set<string>();
  for (const [i, s] of (suppliers ?? []).entries()) {
    const key = `${s.supplier.toLowerCase()}\n${s.sku}`;
    if (seen.has(key))
      throw new ValidationError(`suppliers.${i}`, `${s.supplier} ${s.sku} is listed twice`);
    seen.add(key);
  }
  return { gtin: gtin ? normalizeGtin(gtin) : gtin, suppliers };
}

/**
 * Runs the part's write; a GTIN another part has is a conflict. The check gives the clear
 * message; the unique index covers the race on PostgreSQL (SQLite's writers take turns).
 */
async function writePart(
  db: Database,
  code: string,
  gtin: string | null | undefined,
  write: () => Promise<void>,
): Promise<void> {
  const conflict = () => new ConflictError(`another part has the GTIN ${gtin}`, 'gtin');
  if (gtin) {
    const other = await findPartByGtin(db, gtin);
    if (other && other.code !== code) throw conflict();
  }
  await mapUniqueViolation(write(), 'part_gtin', conflict);
}

async function writeSuppliers(
  db: Database,
  code: string,
  suppliers: SupplierPart[],
  at: string,
): Promise<void> {
  const conflict = (taken?: { supplier: string; sku: string }) =>
    new ConflictError(
      taken
        ? `another part has the ${taken.supplier} part number ${taken.sku}`
        : 'another part has one of these supplier part numbers',
      'suppliers',
    );
  const taken = await findPartWithSupplierPart(db, suppliers, code);
  if (taken) throw conflict(taken);
  await mapUniqueViolation(
    replaceSupplierParts(db, code, suppliers, at),
    'supplier_part_unique',
    () => conflict(),
  );
}

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
  const { tags, customFields, archived, gtin, suppliers, ...columns } = parseInput(
    PartUpdate,
    input,
  );
  const attributes = validateAttributes({ tags, customFields });
  const identifiers = validateIdentifiers(gtin, suppliers);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getPartRow(withDb(ctx, db), ref);
    if (columns.unit && columns.unit !== row.unit && (await partHasLots(db, row.code))) {
      throw new ConflictError('cannot change the unit of a part that has stock lots', 'unit');
    }
    const at = now(ctx);
    await applyEdit(
      db,
      actor,
      at,
      row,
      { columns: { ...columns, gtin: identifiers.gtin }, attributes, archived },
      (set) => writePart(db, row.code, identifiers.gtin, () => updatePartRow(db, row.code, set)),
    );
    if (identifiers.suppliers)
      await changeSuppliers(db, actor, at, row.code, identifiers.suppliers);
    return row.code;
  });
  return getPart(ctx, code);
}

/** Replaces the supplier part numbers when they differ, recording the change. */
async function changeSuppliers(
  db: Database,
  actor: Actor,
  at: string,
  code: string,
  suppliers: SupplierPart[],
): Promise<void> {
  const label = (list: SupplierPart[]) => list.map((s) => `${s.supplier} ${s.sku}`).sort();
  const before = label((await supplierPartsOf(db, [code])).get(code) ?? []);
  const after = label(suppliers);
  if (before.join('\n') === after.join('\n')) return;
  await writeSuppliers(db, code, suppliers, at);
  await appendHistory(db, actor, at, [
    { subjectCode: code, type: 'updated', data: { suppliers: { from: before, to: after } } },
  ]);
}

async function toParts(ctx: Context, rows: PartRow[]): Promise<Part[]> {
  const codes = rows.map((r) => r.code);
  const [attributes, onHand, suppliers] = await Promise.all([
    loadAttributes(ctx.db, codes),
    onHandByPart(ctx.db, codes),
    supplierPartsOf(ctx.db, codes),
  ]);
  return rows.map((r) => ({
    code: r.code,
    shortCode: shortCode(r.code),
    name: r.name,
    description: r.description,
    manufacturer: r.manufacturer,
    mpn: r.mpn,
    kind: r.kind,
    unit: r.unit,
    archived: r.archived === 1,
    ...attributes.get(r.code)!,
    gtin: r.gtin,
    suppliers: (suppliers.get(r.code) ?? []).map(({ supplier, sku }) => ({ supplier, sku })),
    onHand: toUnits(onHand.get(r.code) ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
