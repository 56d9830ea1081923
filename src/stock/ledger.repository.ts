import { sql, type Insertable, type RawBuilder } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import { LEDGER_LINE_COLUMNS, noteLedgerOperation } from '../db/change-log.js';
import type { Database } from '../db/database.js';
import type { StockBalanceTable, StockEntryTable } from '../db/schema.js';
import type { StockStatus } from '../domain/stock-status.js';
import type { BalanceKey } from './stock.repository.js';

/**
 * The SQL that writes stock_balance and stock_entry, and no other: called by ledger.ts alone,
 * which pairs every balance change with its ledger entries.
 */

export async function insertEntries(
  db: Database,
  rows: Insertable<StockEntryTable>[],
): Promise<void> {
  const first = rows[0];
  if (first) noteEntries(first);
  await insertMany(db, 'stock_entry', rows);
}

/** Every entry of one call belongs to one ledger operation: the change log reads them back. */
function noteEntries(
  entry: Pick<
    Insertable<StockEntryTable>,
    'operation' | 'type' | 'actor_code' | 'actor_name' | 'created_at'
  >,
): void {
  noteLedgerOperation({
    operation: entry.operation,
    type: entry.type,
    actor: { code: entry.actor_code ?? null, name: entry.actor_name },
    at: entry.created_at,
  });
}

/** The movements an operation recorded on some lots (its entries there), in the order written. */
export async function entriesOfOperation(db: Database, operation: string, lots: string[]) {
  const rows = await inChunks(lots, (chunk) =>
    db
      .selectFrom('stock_entry')
      .select(['id', 'lot_code', 'part_code', 'location_code', 'status', 'quantity'])
      .where('lot_code', 'in', chunk)
      .where('operation', '=', operation)
      .execute(),
  );
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/**
 * The movements one change record made on one lot (a side of a sync conflict: what it took,
 * to take back when the other side stands), in the order written.
 */
export async function entriesOfChange(db: Database, change: string, lot: string) {
  const rows = await db
    .selectFrom('stock_entry')
    .select(['id', 'lot_code', 'part_code', 'location_code', 'status', 'quantity'])
    .where(sql.ref('change_id'), '=', change)
    .where('lot_code', '=', lot)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/** Every entry of one operation, in the order written (a recall hold's, to release it). */
export async function entriesOf(db: Database, operation: string) {
  const rows = await db
    .selectFrom('stock_entry')
    .select(['id', 'lot_code', 'part_code', 'location_code', 'status', 'quantity'])
    .where('operation', '=', operation)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
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

/** The columns of a stock_entry row, in the order the set-based inserts fill them. */
export const ENTRY_COLUMNS = [
  ...LEDGER_LINE_COLUMNS,
  'actor_code',
  'actor_name',
  'created_at',
] as const;

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
 * too little — the caller must then fail its transaction, since the others were decreased, or
 * (releasing a recall hold) leave those keys out of everything else it writes.
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

/**
 * Finishing in bulk, whatever the number of units: ledger entries for every in-production
 * balance of the build's outputs (out of in_production, into on_hand), then the balances.
 */
export async function releaseOutputs(
  db: Database,
  build: string,
  entry: Pick<StockEntryTable, 'operation' | 'note' | 'actor_code' | 'actor_name' | 'created_at'>,
): Promise<void> {
  const outputs = (status: 'in_production' | 'on_hand', sign: 1 | -1) =>
    db
      .selectFrom('stock_balance as b')
      .innerJoin('lot', 'lot.code', 'b.lot_code')
      .select([
        sql<string>`cast(${entry.operation} as text)`.as('operation'),
        sql<string>`'status_changed'`.as('type'),
        'b.lot_code',
        'b.part_code',
        'b.location_code',
        sql<string>`cast(${status} as text)`.as('status'),
        sql<number>`b.quantity * ${sql.lit(sign)}`.as('quantity'),
        sql<string>`cast(${build} as text)`.as('ref_code'),
        sql<string>`cast(${entry.note} as text)`.as('note'),
        sql<string | null>`cast(${entry.actor_code} as text)`.as('actor_code'),
        sql<string>`cast(${entry.actor_name} as text)`.as('actor_name'),
        sql<string>`cast(${entry.created_at} as text)`.as('created_at'),
      ])
      .where('lot.build_code', '=', build)
      .where('b.status', '=', 'in_production');
  noteEntries({ ...entry, type: 'status_changed' });
  await db
    .insertInto('stock_entry')
    .columns(ENTRY_COLUMNS)
    .expression(outputs('in_production', -1))
    .execute();
  await db
    .insertInto('stock_entry')
    .columns(ENTRY_COLUMNS)
    .expression(outputs('on_hand', 1))
    .execute();
  await db
    .updateTable('stock_balance')
    .set({ status: 'on_hand' })
    .where('status', '=', 'in_production')
    .where('lot_code', 'in', (eb) =>
      eb.selectFrom('lot').select('code').where('build_code', '=', build),
    )
    .execute();
}

export interface HeldBalance {
  lot_code: string;
  location_code: string;
  status: StockStatus;
  part_code: string;
  quantity: number;
}

/**
 * A set of lots chosen by SQL, for a statement that acts on all of them at once: `with` defines
 * common table expressions, `codes` selects the lot codes from them. The feature that knows the
 * lots builds it (the trace: every lot a recall's roots went into), so the ledger stays the only
 * writer of balances without knowing how the lots were found.
 */
export interface LotSet {
  with: RawBuilder<unknown>;
  codes: RawBuilder<unknown>;
}

/**
 * Takes every balance of `statuses` of the lots at this site's locations out of stock_balance
 * in one guarded statement, and answers what it took: exactly what the caller must put back as
 * held and write to the ledger. A balance changed concurrently is taken as it is after that
 * change (PostgreSQL re-reads a locked row), never as it was. Balances at other sites'
 * locations are theirs to change (DESIGN.md "Sites").
 */
export async function takeBalancesOf(
  db: Database,
  lots: LotSet,
  statuses: readonly string[],
): Promise<HeldBalance[]> {
  const { rows } = await sql<HeldBalance>`${lots.with}
delete from stock_balance
 where status in (${sql.join(statuses)}) and lot_code in (${lots.codes})
   and location_code in (select l.code from location l join site s on s.id = l.site_id
                          where s.local <> 0)
returning lot_code, location_code, status, part_code, quantity`.execute(db);
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/**
 * Sets the balances of `lots` to the sum of their ledger entries (invariant 2): after a sync has
 * added entries of another site, whose balances do not travel (docs/sites.md).
 */
export async function rebuildBalances(db: Database, lots: readonly string[]): Promise<void> {
  await inChunks(
    lots,
    async (chunk) => {
      await db.deleteFrom('stock_balance').where('lot_code', 'in', chunk).execute();
      await sql`insert into stock_balance (lot_code, location_code, status, part_code, quantity)
      select lot_code, location_code, status, min(part_code), sum(quantity) from stock_entry
      where lot_code in (${sql.join(chunk)})
      group by lot_code, location_code, status having sum(quantity) <> 0`.execute(db);
      return [];
    },
    1000,
  );
}
