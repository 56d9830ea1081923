import { LEDGER_LINE_COLUMNS } from '../db/change-log.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { StoredRecord } from '../domain/change-record.js';

/**
 * Reads of the change log and of the state it is checked against. The log's one writer is
 * src/db/change-log.ts; nothing here writes.
 */

/** What a list of records shows of each; RECORD_COLUMNS adds what verifying its hash needs. */
const SUMMARY_COLUMNS = [
  'id',
  'site_id',
  'seq',
  'hlc',
  'at',
  'actor_code',
  'actor_name',
  'operation',
  'hash',
] as const;
/** A change record's columns (the benchmarks' floors write them too). */
export const RECORD_COLUMNS = [...SUMMARY_COLUMNS, 'content', 'prev_hash'] as const;

/** The site's records after `seq`, in chain order. */
export async function recordsAfter(
  db: Database,
  site: string,
  seq: number,
  limit: number,
): Promise<StoredRecord[]> {
  const rows = await db
    .selectFrom('change_record')
    .select(RECORD_COLUMNS)
    .where('site_id', '=', site)
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(numbered);
}

export async function recordOfSite(
  db: Database,
  site: string,
  seq: number,
): Promise<StoredRecord | undefined> {
  const row = await db
    .selectFrom('change_record')
    .select(RECORD_COLUMNS)
    .where('site_id', '=', site)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row && numbered(row);
}

/** The number of the site's first record at or after the time. */
export async function firstSeqFrom(
  db: Database,
  site: string,
  from: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('change_record')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('site_id', '=', site)
    .where('at', '>=', from)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? undefined : Number(row.seq);
}

export async function findRecord(db: Database, id: string): Promise<StoredRecord | undefined> {
  const row = await db
    .selectFrom('change_record')
    .select(RECORD_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && numbered(row);
}

/**
 * The signature records of a record: change-log.ts writes them right after it, in the same
 * transaction, so they are the `signed` records that follow it in its site's chain.
 */
export async function findSignatureRecords(
  db: Database,
  signed: { site_id: string; seq: number },
): Promise<StoredRecord[]> {
  const rows = await db
    .selectFrom('change_record')
    .select(RECORD_COLUMNS)
    .where('site_id', '=', signed.site_id)
    .where('seq', '>', signed.seq)
    .where('seq', '<=', signed.seq + 10)
    .orderBy('seq')
    .execute();
  const out: StoredRecord[] = [];
  for (const row of rows) {
    if (row.operation !== 'signed') break;
    out.push(numbered(row));
  }
  return out;
}

export interface ChangeFilter {
  actor?: string | undefined;
  object?: string | undefined;
  operation?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** Records matching the filter, newest first, without their content (a page of a list). */
export async function listRecords(db: Database, filter: ChangeFilter) {
  let query = db.selectFrom('change_record');
  if (filter.actor !== undefined) {
    const actor = filter.actor;
    query = query.where((eb) =>
      eb.or([eb('actor_code', '=', actor), eb('actor_name', '=', actor)]),
    );
  }
  if (filter.operation !== undefined) query = query.where('operation', '=', filter.operation);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (filter.object !== undefined) {
    const object = filter.object;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('change_object').select('change_id').where('object_code', '=', object),
    );
  }
  const { rows, total } = await pageWithTotal(query, (q) =>
    q
      .select(SUMMARY_COLUMNS)
      .select((eb) =>
        eb
          .selectFrom('change_object')
          .select((o) => o.fn.countAll<number>().as('n'))
          .whereRef('change_object.change_id', '=', 'change_record.id')
          .as('objects'),
      )
      .orderBy('hlc', 'desc')
      .orderBy('site_id')
      .limit(filter.limit)
      .offset(filter.offset),
  );
  return {
    rows: rows.map((r) => ({ ...r, seq: Number(r.seq), objects: Number(r.objects ?? 0) })),
    total,
  };
}

/** Every record that touched the object, in clock order, without content. */
export async function recordsTouching(db: Database, object: string) {
  const rows = await db
    .selectFrom('change_object as o')
    .innerJoin('change_record as r', 'r.id', 'o.change_id')
    .select(['r.id', 'r.site_id', 'r.seq', 'r.at', 'r.actor_name', 'r.operation', 'r.hash'])
    .where('o.object_code', '=', object)
    .orderBy('r.hlc')
    .orderBy('r.site_id')
    .execute();
  return rows.map(numbered);
}

/** Records with a time in [from, to), in clock order, a page at a time (export). */
export async function recordsInClockOrder(
  db: Database,
  after: { hlc: string; site: string } | null,
  range: { from?: string | undefined; to?: string | undefined },
  limit: number,
): Promise<StoredRecord[]> {
  let query = db.selectFrom('change_record').select(RECORD_COLUMNS);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('hlc', '>', after.hlc),
        eb.and([eb('hlc', '=', after.hlc), eb('site_id', '>', after.site)]),
      ]),
    );
  if (range.from !== undefined) query = query.where('at', '>=', range.from);
  if (range.to !== undefined) query = query.where('at', '<', range.to);
  const rows = await query.orderBy('hlc').orderBy('site_id').limit(limit).execute();
  return rows.map(numbered);
}

/** Ledger entries after `afterId`, in id order, a page at a time. */
export async function entriesAfter(db: Database, afterId: number, limit: number) {
  const rows = await db
    .selectFrom('stock_entry')
    .select(['id', ...LEDGER_LINE_COLUMNS])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), quantity: Number(r.quantity) }));
}

export async function allBalances(db: Database) {
  const rows = await db
    .selectFrom('stock_balance')
    .select(['lot_code', 'location_code', 'status', 'quantity'])
    .where('quantity', '<>', 0)
    .execute();
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

export async function allUnitStates(db: Database) {
  return db
    .selectFrom('lot')
    .select(['code', 'unit_state'])
    .where('unit_state', 'is not', null)
    .execute();
}

function numbered<R extends { seq: number | string }>(row: R): R & { seq: number } {
  return { ...row, seq: Number(row.seq) };
}
