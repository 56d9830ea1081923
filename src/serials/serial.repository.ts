import { groupBy } from '../domain/collections.js';
import { sql, type Insertable, type Selectable } from 'kysely';
import { inChunks, insertStatements, MAX_PARAMETERS } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { lowerEquals } from '../db/search.js';
import { pageWithTotal } from '../db/paging.js';
import { containsPattern, lowerLike } from '../db/search.js';
import type { CustomerSerialTable, SerialFormatTable } from '../db/schema.js';
import type { UnitState } from '../domain/unit-state.js';
import { registerCodes } from '../db/object-code.repository.js';

export type SerialFormatRow = Selectable<SerialFormatTable> & { part_name: string | null };
export type CustomerSerialRow = Insertable<CustomerSerialTable>;
export const FORMAT_NAME_INDEX = 'serial_format_name';

export async function insertFormat(db: Database, row: Insertable<SerialFormatTable>) {
  await registerCodes(db, 'serial_format', [row.code]);
  await db.insertInto('serial_format').values(row).execute();
}

const formats = (db: Database) =>
  db
    .selectFrom('serial_format as f')
    .leftJoin('part as p', 'p.code', 'f.part_code')
    .selectAll('f')
    .select('p.name as part_name');

export async function findFormatRow(db: Database, code: string) {
  return formats(db).where('f.code', '=', code).executeTakeFirst();
}

export async function findFormatByName(db: Database, name: string) {
  return formats(db).where(lowerEquals('f.name', name)).executeTakeFirst();
}

export async function listFormatRows(
  db: Database,
  filter: {
    q?: string | undefined;
    archived: 'true' | 'false' | 'all';
    limit: number;
    offset: number;
  },
) {
  let query = formats(db);
  if (filter.archived !== 'all')
    query = query.where('f.archived', '=', filter.archived === 'true' ? 1 : 0);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([lowerLike('f.name', pattern), lowerLike('f.pattern', pattern)]),
    );
  }
  return pageWithTotal(query.clearSelect(), (q) =>
    q
      .selectAll('f')
      .select('p.name as part_name')
      .orderBy(sql`lower(f.name)`)
      .orderBy('f.code')
      .limit(filter.limit)
      .offset(filter.offset),
  );
}

export async function updateFormatRow(
  db: Database,
  code: string,
  changes: Partial<
    Pick<SerialFormatTable, 'name' | 'target' | 'field_name' | 'archived' | 'updated_at'>
  >,
) {
  await db.updateTable('serial_format').set(changes).where('code', '=', code).execute();
}

/** Serials given per format. */
export async function countAssigned(db: Database, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('customer_serial')
    .select(['format_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('format_code', 'in', codes)
    .groupBy('format_code')
    .execute();
  return new Map(rows.map((r) => [r.format_code, Number(r.n)]));
}

export interface CounterKey {
  format: string;
  scope: string;
  period: string;
}

/**
 * Takes `count` numbers from a counter and returns the first: one upsert, so concurrent
 * requests get disjoint blocks (PostgreSQL locks the row until commit; SQLite writes one
 * transaction at a time).
 */
export async function takeNumbers(db: Database, key: CounterKey, count: number): Promise<number> {
  const row = await db
    .insertInto('serial_counter')
    .values({
      format_code: key.format,
      scope_key: key.scope,
      period: key.period,
      next_value: 1 + count,
    })
    .onConflict((oc) =>
      oc
        .columns(['format_code', 'scope_key', 'period'])
        .doUpdateSet({ next_value: sql`serial_counter.next_value + ${count}` }),
    )
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return Number(row.next_value) - count;
}

/** The next number a counter would give, without taking it. */
export async function peekNumber(db: Database, key: CounterKey): Promise<number> {
  const row = await db
    .selectFrom('serial_counter')
    .select('next_value')
    .where('format_code', '=', key.format)
    .where('scope_key', '=', key.scope)
    .where('period', '=', key.period)
    .executeTakeFirst();
  return row ? Number(row.next_value) : 1;
}

/**
 * Moves a counter past the highest number already given in its period: after a restore from an
 * older backup the counter is behind the serials that exist, and this skips them.
 */
export async function skipUsedNumbers(db: Database, key: CounterKey): Promise<void> {
  await db
    .updateTable('serial_counter')
    .set({
      next_value: sql`(select coalesce(max(seq), 0) + 1 from customer_serial where format_code = ${key.format} and scope_key = ${key.scope} and period = ${key.period})`,
    })
    .where('format_code', '=', key.format)
    .where('scope_key', '=', key.scope)
    .where('period', '=', key.period)
    .where(
      'next_value',
      '<=',
      sql<number>`(select coalesce(max(seq), 0) from customer_serial where format_code = ${key.format} and scope_key = ${key.scope} and period = ${key.period})`,
    )
    .execute();
}

/**
 * Inserts serials in multi-row statements; a value taken already in the scope is skipped (the
 * unique constraint decides, also against concurrent requests). Returns the units that got one.
 * A unit that has a serial of the format already fails the statement (the primary key).
 */
export async function insertSerials(db: Database, rows: CustomerSerialRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  // On SQLite as many rows per statement as the parameters allow (measured faster here).
  const valuesRows = Math.floor(MAX_PARAMETERS / Object.keys(rows[0] ?? {}).length);
  for (const statement of insertStatements(db, 'customer_serial', rows, valuesRows)) {
    const result = await statement
      .onConflict((oc) => oc.columns(['format_code', 'scope_key', 'value']).doNothing())
      .returning('lot_code')
      .execute();
    for (const r of result) inserted.add(r.lot_code);
  }
  return inserted;
}

export interface UnitRow {
  code: string;
  part_code: string;
  build_code: string | null;
  build_serial: number | null;
  unit_state: UnitState | null;
  /** The unit's serial of the format, if it has one. */
  serial: string | null;
}

const units = (db: Database, format: string) =>
  db
    .selectFrom('lot as l')
    .leftJoin('customer_serial as cs', (join) =>
      join.onRef('cs.lot_code', '=', 'l.code').on('cs.format_code', '=', format),
    )
    .select([
      'l.code',
      'l.part_code',
      'l.build_code',
      'l.build_serial',
      'l.unit_state',
      'cs.value as serial',
    ]);

export async function unitsOfBuild(
  db: Database,
  format: string,
  build: string,
): Promise<UnitRow[]> {
  return units(db, format)
    .where('l.build_code', '=', build)
    .where('l.build_serial', 'is not', null)
    .orderBy('l.build_serial')
    .execute();
}

export async function lotsByCodes(
  db: Database,
  format: string,
  codes: string[],
): Promise<UnitRow[]> {
  return inChunks(codes, (chunk) => units(db, format).where('l.code', 'in', chunk).execute());
}

export async function serialsOfLot(db: Database, lot: string) {
  return db
    .selectFrom('customer_serial as cs')
    .innerJoin('serial_format as f', 'f.code', 'cs.format_code')
    .select(['f.code', 'f.name', 'cs.value', 'cs.assigned_at'])
    .where('cs.lot_code', '=', lot)
    .orderBy('cs.assigned_at')
    .orderBy('f.name')
    .execute();
}

/** The customer serials of these units (a page of a build's units), by unit code. */
export async function serialsOfLots(
  db: Database,
  lots: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await inChunks(lots, (chunk) =>
    db
      .selectFrom('customer_serial')
      .select(['lot_code', 'value'])
      .where('lot_code', 'in', chunk)
      .orderBy('assigned_at')
      .orderBy('value')
      .execute(),
  );
  const found = new Map<string, string[]>();
  for (const [lot, own] of groupBy(rows, (r) => r.lot_code))
    found.set(
      lot,
      own.map((r) => r.value),
    );
  return found;
}

/**
 * Moves every customer-serial counter past the numbers its format's serials use, wherever they
 * were given: a counter never hands out a number another site gave.
 */
export async function advanceSerialCounters(db: Database): Promise<void> {
  const used = sql`(select max(cs.seq) + 1 from customer_serial cs
    where cs.format_code = serial_counter.format_code and cs.scope_key = serial_counter.scope_key
      and cs.period = serial_counter.period)`;
  await sql`update serial_counter set next_value = ${used}
    where next_value < ${used}`.execute(db);
}
