import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import { noteUnitStates } from '../db/change-log.js';
import type { Database } from '../db/database.js';
import { isPostgres } from '../db/migrations/helpers.js';
import { registerCodes } from '../db/object-code.repository.js';
import type { LotTable, PartTable } from '../db/schema.js';
import { pageWithTotal } from '../db/paging.js';
import { filterList, type PagedListFilter } from '../db/search.js';
import { groupBy } from '../domain/collections.js';
import type { UnitState } from '../domain/unit-state.js';

export type LotRow = Selectable<LotTable>;
export type LotWithPart = LotRow & {
  part_name: string;
  part_mpn: string;
  part_unit: PartTable['unit'];
};

export async function insertLots(db: Database, rows: Insertable<LotTable>[]): Promise<void> {
  await registerCodes(
    db,
    'lot',
    rows.map((r) => r.code),
  );
  await insertMany(db, 'lot', rows);
  for (const [state, codes] of groupBy(
    rows.filter((r) => r.unit_state),
    (r) => r.unit_state!,
  ))
    noteUnitStates(
      codes.map((r) => r.code),
      state,
    );
}

/**
 * Locks lots until the transaction ends, in code order, and returns their unit states as they
 * are now. The one lock order of every write to a lot: its lot row first (in code order when
 * several), then its balances. Two requests on the same lot — opposite moves, shipping and
 * scrapping a unit, filling one parent's BOM slot — queue here instead of deadlocking on its
 * balances. FOR NO KEY UPDATE leaves inserts that merely refer to a lot (ledger entries of other
 * operations) free. SQLite runs one write transaction at a time: there it only reads.
 */
export async function lockLots(
  db: Database,
  codes: readonly string[],
): Promise<Map<string, string | null>> {
  // Sorted before chunking, so that the chunks too lock in code order.
  const rows = await inChunks([...new Set(codes)].sort(), (chunk) => {
    const query = db
      .selectFrom('lot')
      .select(['code', 'unit_state'])
      .where('code', 'in', chunk)
      .orderBy('code');
    return (isPostgres(db) ? query.forNoKeyUpdate() : query).execute();
  });
  return new Map(rows.map((r) => [r.code, r.unit_state]));
}

export async function findLotRows(db: Database, codes: string[]): Promise<LotWithPart[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('lot')
    .innerJoin('part', 'part.code', 'lot.part_code')
    .selectAll('lot')
    .select(['part.name as part_name', 'part.mpn as part_mpn', 'part.unit as part_unit'])
    .where('lot.code', 'in', codes)
    .execute();
}

export async function updateLotRow(
  db: Database,
  code: string,
  changes: Updateable<LotTable>,
): Promise<void> {
  await db.updateTable('lot').set(changes).where('code', '=', code).execute();
}

export async function setUnitStates(db: Database, codes: string[], state: UnitState) {
  await inChunks(codes, (chunk) =>
    db.updateTable('lot').set({ unit_state: state }).where('code', 'in', chunk).execute(),
  );
  noteUnitStates(codes, state);
}

/**
 * Moves units from one state to another in guarded statements: only rows still in `from` change,
 * so of two concurrent requests for the same unit exactly one sees it move. Returns the codes
 * that moved; the caller fails its transaction when some did not.
 */
export async function moveUnitStates(
  db: Database,
  codes: string[],
  from: UnitState,
  to: UnitState,
): Promise<string[]> {
  const moved = await inChunks(codes, (chunk) =>
    db
      .updateTable('lot')
      .set({ unit_state: to })
      .where('code', 'in', chunk)
      .where('unit_state', '=', from)
      .returning('code')
      .execute(),
  );
  noteUnitStates(
    moved.map((r) => r.code),
    to,
  );
  return moved.map((r) => r.code);
}

/** Every unit of the build still in production becomes available (one statement). */
export async function releaseUnits(db: Database, build: string): Promise<void> {
  const released = await db
    .updateTable('lot')
    .set({ unit_state: 'available' })
    .where('build_code', '=', build)
    .where('unit_state', '=', 'in_production')
    .returning('code')
    .execute();
  noteUnitStates(
    released.map((r) => r.code),
    'available',
  );
}

/** Writes each unit's serial of the format into its lot's name. */
export async function writeLotNames(db: Database, format: string, lots: string[], at: string) {
  await inChunks(lots, (chunk) =>
    db
      .updateTable('lot')
      .set({
        name: sql`(select cs.value from customer_serial cs where cs.format_code = ${format} and cs.lot_code = lot.code)`,
        updated_at: at,
      })
      .where('code', 'in', chunk)
      .execute(),
  );
}

export interface LotFilter extends PagedListFilter {
  part?: string | undefined;
  location?: string | undefined;
  inStock: 'true' | 'false' | 'any';
}

/** Newest first. */
export async function listLotCodes(
  db: Database,
  filter: LotFilter,
): Promise<{ codes: string[]; total: number }> {
  let query = db.selectFrom('lot');
  if (filter.part) query = query.where('part_code', '=', filter.part);
  const location = filter.location;
  if (location) {
    query = query.where('code', 'in', (eb) =>
      eb.selectFrom('stock_balance').select('lot_code').where('location_code', '=', location),
    );
  }
  if (filter.inStock !== 'any') {
    const op = filter.inStock === 'true' ? 'in' : 'not in';
    query = query.where('code', op, (eb) => eb.selectFrom('stock_balance').select('lot_code'));
  }
  query = filterList(query, filter, ['name', 'vendor_lot', 'date_code', 'order_ref']);
  const { rows, total } = await pageWithTotal(query, (q) =>
    q
      .select('code')
      .orderBy('created_at', 'desc')
      .orderBy('code')
      .limit(filter.limit)
      .offset(filter.offset),
  );
  return { codes: rows.map((r) => r.code), total };
}

export async function lotSummaries(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('lot')
    .select(['code', 'name', 'expiry', 'vendor_lot', 'date_code', 'part_code', 'build_serial'])
    .where('code', 'in', codes)
    .execute();
}
