import type { Insertable, Selectable, Updateable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import { groupBy } from '../domain/collections.js';
import type { Database } from '../db/database.js';
import { namesByCode } from '../db/names.js';
import { registerCodes } from '../db/object-code.repository.js';
import type { PartTable, SupplierPartTable } from '../db/schema.js';
import { pageWithTotal } from '../db/paging.js';
import { filterList, lowerEquals, type PagedListFilter } from '../db/search.js';

export type PartRow = Selectable<PartTable>;

export async function insertPart(db: Database, row: Insertable<PartTable>): Promise<void> {
  await registerCodes(db, 'part', [row.code]);
  await db.insertInto('part').values(row).execute();
}

export async function findPartRow(db: Database, code: string): Promise<PartRow | undefined> {
  return db.selectFrom('part').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function updatePartRow(
  db: Database,
  code: string,
  changes: Updateable<PartTable>,
): Promise<void> {
  await db.updateTable('part').set(changes).where('code', '=', code).execute();
}

/**
 * Parts a BOM import creates, in multi-row statements: the bulk form of insertPart
 * above (codes registered first, so a colliding code fails the whole import).
 */
export async function insertParts(db: Database, rows: Insertable<PartTable>[]): Promise<void> {
  await registerCodes(
    db,
    'part',
    rows.map((r) => r.code),
  );
  await insertMany(db, 'part', rows);
}

export async function listPartRows(
  db: Database,
  filter: PagedListFilter,
): Promise<{ rows: PartRow[]; total: number }> {
  const query = filterList(db.selectFrom('part'), filter, ['name', 'mpn', 'manufacturer']);
  return pageWithTotal(query, (q) =>
    q.selectAll().orderBy('name').orderBy('code').limit(filter.limit).offset(filter.offset),
  );
}

/** Usable stock per part: the sum of on-hand balances. */
export async function onHandByPart(db: Database, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_balance')
    .select(['part_code', (eb) => eb.fn.sum<number>('quantity').as('quantity')])
    .where('part_code', 'in', codes)
    .where('status', '=', 'on_hand')
    .groupBy('part_code')
    .execute();
  return new Map(rows.map((r) => [r.part_code, Number(r.quantity)]));
}

export async function partHasLots(db: Database, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('lot')
    .select('code')
    .where('part_code', '=', code)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Units of the parts that exist among `codes`. */
export async function findPartUnits(
  db: Database,
  codes: string[],
): Promise<Map<string, PartTable['unit']>> {
  const rows = await inChunks(codes, (chunk) =>
    db.selectFrom('part').select(['code', 'unit']).where('code', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.code, r.unit]));
}

export type SupplierPartRow = Pick<Selectable<SupplierPartTable>, 'part_code' | 'supplier' | 'sku'>;

/** Replaces the supplier part numbers of a part. */
export async function replaceSupplierParts(
  db: Database,
  code: string,
  suppliers: { supplier: string; sku: string }[],
  at: string,
): Promise<void> {
  await db.deleteFrom('supplier_part').where('part_code', '=', code).execute();
  if (suppliers.length === 0) return;
  await db
    .insertInto('supplier_part')
    .values(suppliers.map((s) => ({ part_code: code, ...s, created_at: at })))
    .execute();
}

export async function supplierPartsOf(
  db: Database,
  codes: string[],
): Promise<Map<string, SupplierPartRow[]>> {
  const rows = await inChunks(codes, (chunk) =>
    db
      .selectFrom('supplier_part')
      .select(['part_code', 'supplier', 'sku'])
      .where('part_code', 'in', chunk)
      .orderBy('supplier')
      .orderBy('sku')
      .execute(),
  );
  return groupBy(rows, (r) => r.part_code);
}

/** The parts a distributor's part number names (any supplier when none is given). */
export async function partsWithSku(
  db: Database,
  sku: string,
  supplier?: string,
): Promise<PartRow[]> {
  let query = db
    .selectFrom('part')
    .innerJoin('supplier_part as sp', 'sp.part_code', 'part.code')
    .selectAll('part')
    .distinct()
    .where('sp.sku', '=', sku);
  if (supplier) query = query.where(lowerEquals('sp.supplier', supplier));
  return query.orderBy('part.name').limit(11).execute();
}

/** Parts by manufacturer part number, in any case; archived ones last. */
export async function partsWithMpn(db: Database, mpn: string): Promise<PartRow[]> {
  return db
    .selectFrom('part')
    .selectAll()
    .where(lowerEquals('mpn', mpn))
    .orderBy('archived')
    .orderBy('name')
    .limit(11)
    .execute();
}

export async function findPartByGtin(db: Database, gtin: string): Promise<PartRow | undefined> {
  return db.selectFrom('part').selectAll().where('gtin', '=', gtin).executeTakeFirst();
}

/** The first part other than `except` that has one of these supplier part numbers. */
export async function findPartWithSupplierPart(
  db: Database,
  suppliers: { supplier: string; sku: string }[],
  except: string,
): Promise<{ part_code: string; supplier: string; sku: string } | undefined> {
  if (suppliers.length === 0) return undefined;
  return db
    .selectFrom('supplier_part')
    .select(['part_code', 'supplier', 'sku'])
    .where('part_code', '!=', except)
    .where((eb) =>
      eb.or(
        suppliers.map((s) => eb.and([lowerEquals('supplier', s.supplier), eb('sku', '=', s.sku)])),
      ),
    )
    .executeTakeFirst();
}

export async function partUnits(db: Database, codes: string[]) {
  if (codes.length === 0) return new Map<string, { name: string; unit: PartTable['unit'] }>();
  const rows = await db
    .selectFrom('part')
    .select(['code', 'name', 'unit'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, unit: r.unit }]));
}

/** Code → name of the parts among `codes`. */
export async function partNames(db: Database, codes: string[]): Promise<Map<string, string>> {
  return namesByCode(db, 'part', codes);
}

/**
 * Supplier part numbers of parts created in bulk (a batch receipt): one multi-row statement.
 * A number another part took meanwhile fails on `supplier_part_unique`.
 */
export async function insertSupplierParts(
  db: Database,
  rows: Insertable<SupplierPartTable>[],
): Promise<void> {
  await insertMany(db, 'supplier_part', rows);
}
