import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import { pageWithTotal } from '../db/paging.js';
import type { Database } from '../db/database.js';
import type { DB, StockBalanceTable, StockEntryTable } from '../db/schema.js';

export interface BalanceKey {
  lot_code: string;
  location_code: string;
  status: string;
}

export async function insertEntries(
  db: Database,
  rows: Insertable<StockEntryTable>[],
): Promise<void> {
  await insertMany(db, 'stock_entry', rows);
}

/** Balances of lots that are new in this transaction: nothing to add to. */
export async function insertBalances(
  db: Database,
  rows: Insertable<StockBalanceTable>[],
): Promise<void> {
  await insertMany(db, 'stock_balance', rows);
}

export async function increaseBalance(
  db: Database,
  key: BalanceKey,
  partCode: string,
  quantity: number,
): Promise<void> {
  await db
    .insertInto('stock_balance')
    .values({ ...key, part_code: partCode, quantity })
    .onConflict((oc) =>
      oc
        .columns(['lot_code', 'location_code', 'status'])
        .doUpdateSet({ quantity: sql`stock_balance.quantity + ${quantity}` }),
    )
    .execute();
}

/**
 * Adds quantities to balances, creating the missing ones: multi-row upserts (whatever the number
 * of balances, a handful of statements).
 */
export async function increaseBalances(
  db: Database,
  rows: Insertable<StockBalanceTable>[],
): Promise<void> {
  // One statement may not touch a row twice (PostgreSQL refuses): one row per balance.
  const merged = new Map<string, Insertable<StockBalanceTable>>();
  for (const row of rows) {
    const key = `${row.lot_code}\t${row.location_code}\t${row.status}`;
    const seen = merged.get(key);
    merged.set(
      key,
      seen ? { ...seen, quantity: Number(seen.quantity) + Number(row.quantity) } : row,
    );
  }
  const unique = inKeyOrder(merged);
  // Five bound parameters per row: below both databases' limits.
  for (let i = 0; i < unique.length; i += 5000) {
    await db
      .insertInto('stock_balance')
      .values(unique.slice(i, i + 5000))
      .onConflict((oc) =>
        oc
          .columns(['lot_code', 'location_code', 'status'])
          .doUpdateSet({ quantity: sql`stock_balance.quantity + excluded.quantity` }),
      )
      .execute();
  }
}

/**
 * Takes `quantity` out of a balance only if it holds that much, in one guarded statement:
 * concurrent requests cannot both take the last units. Returns what is left, or undefined
 * when the balance holds less (nothing changed then). An emptied balance row is deleted.
 */
export async function decreaseBalance(
  db: Database,
  key: BalanceKey,
  quantity: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('stock_balance')
    .set({ quantity: sql`quantity - ${quantity}` })
    .where('lot_code', '=', key.lot_code)
    .where('location_code', '=', key.location_code)
    .where('status', '=', key.status)
    .where('quantity', '>=', quantity)
    .returning('quantity')
    .executeTakeFirst();
  if (row && Number(row.quantity) === 0) await deleteEmptyBalance(db, key);
  return row ? Number(row.quantity) : undefined;
}

/**
 * Takes quantities out of many balances in one guarded statement per 2,000 (the bulk form of
 * decreaseBalance): a balance is decreased only if it holds enough. Returns the keys that held
 * too little — the caller must then fail its transaction, since the others were decreased.
 * Emptied balance rows are deleted.
 */
export async function decreaseBalances(
  db: Database,
  items: readonly (BalanceKey & { quantity: number })[],
): Promise<BalanceKey[]> {
  // One statement may not update a row twice: one item per balance.
  const merged = new Map<string, BalanceKey & { quantity: number }>();
  for (const item of items) {
    const key = `${item.lot_code}\t${item.location_code}\t${item.status}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, quantity: seen.quantity + item.quantity } : { ...item });
  }
  const all = inKeyOrder(merged);
  const taken = new Set<string>();
  const emptied: BalanceKey[] = [];
  for (let i = 0; i < all.length; i += 2000) {
    const chunk = all.slice(i, i + 2000);
    // VALUES columns are column1…column4 on both databases; the cast types the quantity for
    // PostgreSQL, which reads untyped parameters in VALUES as text.
    const values = sql.join(
      chunk.map(
        (b) => sql`(${b.lot_code}, ${b.location_code}, ${b.status}, cast(${b.quantity} as bigint))`,
      ),
    );
    const { rows } = await sql<BalanceKey & { quantity: number | string }>`update stock_balance
   set quantity = stock_balance.quantity - v.column4
  from (values ${values}) as v
 where stock_balance.lot_code = v.column1 and stock_balance.location_code = v.column2
   and stock_balance.status = v.column3 and stock_balance.quantity >= v.column4
returning stock_balance.lot_code, stock_balance.location_code, stock_balance.status,
          stock_balance.quantity`.execute(db);
    for (const r of rows) {
      taken.add(`${r.lot_code}\t${r.location_code}\t${r.status}`);
      if (Number(r.quantity) === 0) emptied.push(r);
    }
  }
  for (let i = 0; i < emptied.length; i += 2000) {
    const chunk = emptied.slice(i, i + 2000);
    await db
      .deleteFrom('stock_balance')
      .where('quantity', '=', 0)
      .where('lot_code', 'in', [...new Set(chunk.map((b) => b.lot_code))])
      .execute();
  }
  return [...merged.entries()].filter(([key]) => !taken.has(key)).map(([, b]) => b);
}

/**
 * The rows of a multi-row balance write sorted by balance key, so that two such writes (two
 * completions, a shipment and a completion) touch shared balances in the same order, as the
 * plans PostgreSQL picks for them follow it; a deadlock that still happens is retried whole.
 */
function inKeyOrder<T>(byKey: Map<string, T>): T[] {
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** Sets a counted balance only if it still holds `expected` (a concurrent change fails it). */
export async function replaceBalance(
  db: Database,
  key: BalanceKey,
  expected: number,
  count: number,
): Promise<boolean> {
  const row = await db
    .updateTable('stock_balance')
    .set({ quantity: count })
    .where('lot_code', '=', key.lot_code)
    .where('location_code', '=', key.location_code)
    .where('status', '=', key.status)
    .where('quantity', '=', expected)
    .returning('quantity')
    .executeTakeFirst();
  if (row && count === 0) await deleteEmptyBalance(db, key);
  return row !== undefined;
}

async function deleteEmptyBalance(db: Database, key: BalanceKey): Promise<void> {
  await db
    .deleteFrom('stock_balance')
    .where('lot_code', '=', key.lot_code)
    .where('location_code', '=', key.location_code)
    .where('status', '=', key.status)
    .where('quantity', '=', 0)
    .execute();
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
  status?: string | undefined;
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
  const counts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('stock_balance').select(eb.fn.countAll<number>().as('n')).as('balances'),
      eb.selectFrom('stock_entry').select(eb.fn.countAll<number>().as('n')).as('entries'),
    ])
    .executeTakeFirstOrThrow();
  return {
    mismatches,
    wrongPart,
    balances: Number(counts.balances),
    entries: Number(counts.entries),
  };
}

/**
 * Takes whole balances out of stock — scrapping, cancelling, shipping units — with one guarded
 * statement, and writes a ledger entry for each (its quantity negated). False, with nothing
 * written, when a balance changed meanwhile: the caller must fail its transaction and say what
 * to try again.
 */
export async function takeOutBalances(
  db: Database,
  balances: readonly (BalanceKey & { part_code: string; quantity: number })[],
  entry: Pick<
    Insertable<StockEntryTable>,
    'operation' | 'type' | 'note' | 'actor_code' | 'actor_name' | 'created_at' | 'ref_code'
  >,
): Promise<boolean> {
  if ((await decreaseBalances(db, balances)).length > 0) return false;
  await insertEntries(
    db,
    balances.map((b) => ({
      ...entry,
      lot_code: b.lot_code,
      part_code: b.part_code,
      location_code: b.location_code,
      status: b.status,
      quantity: -b.quantity,
    })),
  );
  return true;
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
    .where('aside.status', 'in', ['held', 'rejected'])
    .where('aside.quantity', '>', 0)
    .as('stock_aside');
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
 * On-hand balances of unexpired lots of these parts, without lots carrying an excluded tag:
 * what a build may pick automatically.
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
    .where((eb) => eb.or([eb('lot.expiry', 'is', null), eb('lot.expiry', '>=', today)]));
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
