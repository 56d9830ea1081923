import { sql, type ExpressionBuilder } from 'kysely';
import { inChunks } from '../db/bulk.js';
import { pageWithTotal } from '../db/paging.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { StockEntryType, StockStatus } from '../domain/stock-status.js';

export interface BalanceKey {
  lot_code: string;
  location_code: string;
  status: StockStatus;
}

export async function listLotBalances(db: Database, lotCodes: string[]) {
  if (lotCodes.length === 0) return [];
  return db
    .selectFrom('stock_balance')
    .innerJoin('location', 'location.code', 'stock_balance.location_code')
    .select([
      'stock_balance.lot_code',
      'stock_balance.location_code',
      'location.name as location_name',
      'stock_balance.status',
      'stock_balance.quantity',
    ])
    .where('stock_balance.lot_code', 'in', lotCodes)
    .execute();
}

export interface StockFilter {
  part?: string | undefined;
  location?: string | undefined;
  lot?: string | undefined;
  status?: StockStatus | undefined;
  limit: number;
  offset: number;
}

export async function listStockRows(db: Database, filter: StockFilter) {
  let query = db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .innerJoin('part', 'part.code', 'b.part_code')
    .innerJoin('location', 'location.code', 'b.location_code');
  if (filter.part) query = query.where('b.part_code', '=', filter.part);
  if (filter.location) query = query.where('b.location_code', '=', filter.location);
  if (filter.lot) query = query.where('b.lot_code', '=', filter.lot);
  if (filter.status) query = query.where('b.status', '=', filter.status);
  return pageWithTotal(query, (q) =>
    q
      .select([
        'b.lot_code',
        'lot.name as lot_name',
        'lot.expiry',
        'b.part_code',
        'part.name as part_name',
        'part.unit',
        'b.location_code',
        'location.name as location_name',
        'b.status',
        'b.quantity',
      ])
      .orderBy('lot.created_at')
      .orderBy('b.lot_code')
      .orderBy('b.location_code')
      .orderBy('b.status')
      .limit(filter.limit)
      .offset(filter.offset),
  );
}

export async function listLotEntries(db: Database, lotCode: string) {
  return db
    .selectFrom('stock_entry as e')
    .innerJoin('location', 'location.code', 'e.location_code')
    .selectAll('e')
    .select('location.name as location_name')
    .where('e.lot_code', '=', lotCode)
    .orderBy('e.id')
    .execute();
}

/**
 * The ledger entries of one type of these lots that refer to an object (a shipment's `shipped`
 * entries): found through the lots' index, a handful of entries each.
 */
export async function entriesOfRef(
  db: Database,
  lots: readonly string[],
  ref: string,
  type: StockEntryType,
) {
  return inChunks(lots, (chunk) =>
    db
      .selectFrom('stock_entry')
      .select(['id', 'lot_code', 'part_code', 'location_code', 'status', 'quantity'])
      .where('lot_code', 'in', chunk)
      .where('ref_code', '=', ref)
      .where('type', '=', type)
      .orderBy('id')
      .execute(),
  );
}

/**
 * Every (lot, location, status) whose balance differs from the sum of its ledger entries,
 * or whose balance names another part than its lot. Both sides are summed in one pass.
 */
export async function findLedgerMismatches(db: Database) {
  const mismatches = await db
    .selectFrom(
      db
        .selectFrom('stock_balance')
        .select([
          'lot_code',
          'location_code',
          'status',
          'quantity as balance',
          sql<number>`0`.as('ledger'),
        ])
        .unionAll(
          db
            .selectFrom('stock_entry')
            .select([
              'lot_code',
              'location_code',
              'status',
              sql<number>`0`.as('balance'),
              'quantity as ledger',
            ]),
        )
        .as('t'),
    )
    .select([
      't.lot_code',
      't.location_code',
      't.status',
      (eb) => eb.fn.sum<number>('t.balance').as('balance'),
      (eb) => eb.fn.sum<number>('t.ledger').as('ledger'),
    ])
    .groupBy(['t.lot_code', 't.location_code', 't.status'])
    .having((eb) => eb(eb.fn.sum('t.balance'), '<>', eb.fn.sum('t.ledger')))
    .limit(1000)
    .execute();
  const wrongPart = await db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .select(['b.lot_code', 'b.location_code', 'b.status', 'b.quantity'])
    .whereRef('b.part_code', '<>', 'lot.part_code')
    .limit(1000)
    .execute();
  // Below zero only where two sites took the same stock apart (docs/sites.md "Merge rules").
  const belowZero = await db
    .selectFrom('stock_balance')
    .select(['lot_code', 'location_code', 'status', 'quantity'])
    .where('quantity', '<', 0)
    .limit(1000)
    .execute();
  const counts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('stock_balance').select(eb.fn.countAll<number>().as('n')).as('balances'),
      eb.selectFrom('stock_entry').select(eb.fn.countAll<number>().as('n')).as('entries'),
    ])
    .executeTakeFirstOrThrow();
  return {
    mismatches,
    wrongPart,
    belowZero,
    balances: Number(counts.balances),
    entries: Number(counts.entries),
  };
}

/**
 * The status a lot's stock is put aside in (held or rejected; held when both), null when none:
 * a column for selects from `lot`, from which unitState derives a unit's state.
 */
export function stockAsideOf(eb: ExpressionBuilder<DB, 'lot'>) {
  return eb
    .selectFrom('stock_balance as aside')
    .select((e) => e.fn.min<string>('aside.status').as('status'))
    .whereRef('aside.lot_code', '=', 'lot.code')
    .where(isPutAside('aside'))
    .as('stock_aside');
}

/**
 * Whether the balance `alias` puts its lot's stock aside: positive and held or rejected. Written
 * with literals, not parameters, so that the partial index stock_balance_aside (migration 0012)
 * may serve: a planner uses it only when it can see the query implies the index's condition.
 */
export function isPutAside(alias: string) {
  return sql<boolean>`${sql.ref(`${alias}.status`)} in ('held', 'rejected') and ${sql.ref(`${alias}.quantity`)} > 0`;
}

/** stockAsideOf for these lots: the lots whose stock is put aside, with its status. */
export async function stockAsideOfLots(
  db: Database,
  lotCodes: readonly string[],
): Promise<Map<string, string>> {
  const rows = await inChunks(lotCodes, (chunk) =>
    db
      .selectFrom('lot')
      .select(['lot.code', stockAsideOf])
      .where('lot.code', 'in', chunk)
      .execute(),
  );
  return new Map(rows.flatMap((r) => (r.stock_aside === null ? [] : [[r.code, r.stock_aside]])));
}

/** Every balance of these lots, any status (a unit's stock wherever it is), quantities as numbers. */
export async function balancesOfLots(db: Database, lotCodes: readonly string[]) {
  const rows = await inChunks(lotCodes, (chunk) =>
    db.selectFrom('stock_balance').selectAll().where('lot_code', 'in', chunk).execute(),
  );
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/**
 * On-hand balances of unexpired lots of these parts, without lots carrying an excluded tag, at
 * this site's locations (another site's stock is that site's to use): what a build may pick
 * automatically.
 */
export async function candidateBalances(
  db: Database,
  partCodes: string[],
  today: string,
  excludeTags: string[],
) {
  if (partCodes.length === 0) return [];
  let query = db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .select(['b.lot_code', 'b.location_code', 'b.part_code', 'b.quantity', 'lot.created_at'])
    .where('b.part_code', 'in', partCodes)
    .where('b.status', '=', 'on_hand')
    .where((eb) => eb.or([eb('lot.expiry', 'is', null), eb('lot.expiry', '>=', today)]))
    .where('b.location_code', 'not in', (eb) =>
      eb
        .selectFrom('location as l')
        .innerJoin('site as s', 's.id', 'l.site_id')
        .select('l.code')
        .where('s.local', '=', 0),
    );
  if (excludeTags.length > 0) {
    query = query.where('b.lot_code', 'not in', (eb) =>
      eb.selectFrom('object_tag').select('object_code').where('tag', 'in', excludeTags),
    );
  }
  return query.execute();
}

/** On-hand balances of the given lots (lots chosen by hand), with what identifies them. */
export async function onHandOfLots(db: Database, lotCodes: string[]) {
  if (lotCodes.length === 0) return [];
  return db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .select(['b.lot_code', 'b.location_code', 'b.part_code', 'b.quantity', 'lot.created_at'])
    .where('b.lot_code', 'in', lotCodes)
    .where('b.status', '=', 'on_hand')
    .orderBy('b.location_code')
    .execute();
}
