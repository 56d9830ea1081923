import type { Insertable, Selectable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { ShipmentTable, ShipmentUnitTable } from '../db/schema.js';
import { containsPattern, lowerLike } from '../db/search.js';
import { registerCodes } from '../db/object-code.repository.js';

export type ShipmentRow = Selectable<ShipmentTable>;

export async function insertShipment(db: Database, row: Insertable<ShipmentTable>): Promise<void> {
  await registerCodes(db, 'shipment', [row.code]);
  await db.insertInto('shipment').values(row).execute();
}

export async function insertShipmentUnits(
  db: Database,
  rows: Insertable<ShipmentUnitTable>[],
): Promise<void> {
  await insertMany(db, 'shipment_unit', rows);
}

export async function findShipmentRow(
  db: Database,
  code: string,
): Promise<ShipmentRow | undefined> {
  return db.selectFrom('shipment').selectAll().where('code', '=', code).executeTakeFirst();
}

/** A shipment's units in the order they were scanned, with what a list of them shows. */
export async function listShipmentUnits(db: Database, shipment: string) {
  return db
    .selectFrom('shipment_unit as su')
    .innerJoin('lot', 'lot.code', 'su.lot_code')
    .innerJoin('part', 'part.code', 'lot.part_code')
    .select([
      'su.lot_code',
      'su.returned_at',
      'su.returned_by',
      'su.return_reason',
      'lot.name as lot_name',
      'lot.build_code',
      'lot.build_serial',
      'lot.unit_state',
      'lot.part_code',
      'part.name as part_name',
    ])
    .where('su.shipment_code', '=', shipment)
    .orderBy('su.position')
    .execute();
}

export async function listShipmentRows(
  db: Database,
  filter: { q?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('shipment');
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([lowerLike('customer', pattern), lowerLike('reference', pattern)]),
    );
  }
  return pageWithTotal(query, (q) =>
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('code')
      .limit(filter.limit)
      .offset(filter.offset),
  );
}

/** Units of a page of shipments that came back. */
export async function countReturned(db: Database, shipments: string[]) {
  if (shipments.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('shipment_unit')
    .select(['shipment_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('shipment_code', 'in', shipments)
    .where('returned_at', 'is not', null)
    .groupBy('shipment_code')
    .execute();
  return new Map(rows.map((r) => [r.shipment_code, Number(r.n)]));
}

/** The shipment a unit is out in now, if any (a row neither returned nor reversed is open). */
export async function findOpenShipmentUnit(db: Database, lot: string) {
  return db
    .selectFrom('shipment_unit')
    .selectAll()
    .where('lot_code', '=', lot)
    .where('returned_at', 'is', null)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();
}

/** The shipments units are out in now (a recall says where its units went), by unit code. */
export async function findOpenShipmentsOf(db: Database, lots: readonly string[]) {
  const rows = await inChunks(lots, (chunk) =>
    db
      .selectFrom('shipment_unit as su')
      .innerJoin('shipment as s', 's.code', 'su.shipment_code')
      .select(['su.lot_code', 's.code', 's.customer', 's.reference', 's.shipped_on'])
      .where('su.lot_code', 'in', chunk)
      .where('su.returned_at', 'is', null)
      .where('su.reversed_at', 'is', null)
      .execute(),
  );
  return new Map(rows.map((r) => [r.lot_code, r]));
}

/** The shipment a unit went out in, and whether and why it came back. */
export type LatestShipment = Pick<
  ShipmentRow,
  'code' | 'customer' | 'reference' | 'shipped_on' | 'created_at'
> &
  Pick<Selectable<ShipmentUnitTable>, 'lot_code' | 'returned_at' | 'return_reason'>;

/**
 * Every shipment `lots` were entered in, oldest first, with the return that closed it, if any,
 * and its reversal when it was entered by mistake (a record keeps what was corrected, marked).
 */
export async function listShipmentsOf(db: Database, lots: readonly string[]) {
  return inChunks(lots, (chunk) =>
    db
      .selectFrom('shipment_unit as su')
      .innerJoin('shipment as s', 's.code', 'su.shipment_code')
      .select([
        'su.lot_code',
        's.code',
        's.customer',
        's.reference',
        's.shipped_on',
        's.note',
        's.created_at',
        'su.returned_at',
        'su.returned_by',
        'su.return_reason',
        's.reversed_at',
        's.reversed_by',
        's.reverse_reason',
      ])
      .where('su.lot_code', 'in', chunk)
      .orderBy('s.created_at')
      .orderBy('s.code')
      .execute(),
  );
}

/**
 * The latest shipment each of `lots` went out in, by lot; a lot never shipped is absent. A
 * reversed shipment was entered by mistake: it is no shipment of its units.
 */
export async function findLatestShipmentsOf(
  db: Database,
  lots: string[],
): Promise<Map<string, LatestShipment>> {
  const rows = await listShipmentsOf(db, lots);
  const latest = new Map<string, LatestShipment>();
  for (const row of rows) {
    if (row.reversed_at !== null) continue;
    const seen = latest.get(row.lot_code);
    const later =
      !seen ||
      row.created_at > seen.created_at ||
      (row.created_at === seen.created_at && row.code < seen.code);
    if (later) latest.set(row.lot_code, row);
  }
  return latest;
}

/** Closes a unit's open shipment row; false when it was closed meanwhile. */
export async function closeShipmentUnit(
  db: Database,
  shipment: string,
  lot: string,
  ret: { returned_at: string; returned_by: string; return_reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('shipment_unit')
    .set(ret)
    .where('shipment_code', '=', shipment)
    .where('lot_code', '=', lot)
    .where('returned_at', 'is', null)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Marks a shipment reversed, guarded: of two concurrent reversals exactly one changes the row.
 * False when it was reversed already.
 */
export async function markShipmentReversed(
  db: Database,
  shipment: string,
  reversal: {
    reversed_at: string;
    reversed_by_code: string | null;
    reversed_by: string;
    reverse_reason: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('shipment')
    .set(reversal)
    .where('code', '=', shipment)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes a reversed shipment's open rows, so that its units may ship again; how many closed. */
export async function closeReversedUnits(
  db: Database,
  shipment: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('shipment_unit')
    .set({ reversed_at: at })
    .where('shipment_code', '=', shipment)
    .where('returned_at', 'is', null)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
