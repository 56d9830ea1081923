import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { StoredRecord } from '../domain/change-record.js';
import { columnArray, inChunks, MAX_ARRAY_ROWS, MAX_PARAMETERS } from './bulk.js';
import type { Database } from './database.js';
import { tablePages, type Row } from './instance-rows.js';
import { TABLE_KEYS } from './instance-tables.js';
import { isPostgres } from './migrations/helpers.js';
import type { SyncConflictTable } from './schema.js';
import { NUMBER_REFERENCES, NUMBERED, type SyncedTable } from './synced-tables.js';

/**
 * The SQL of sync between sites (src/sync, docs/sites.md "How sites sync"): which records and
 * rows one site holds beyond what another holds, and the reads and writes that apply them.
 */

/** Per site, the number of the last of its records held here. */
export type Vector = Record<string, number>;

export async function readVector(db: Database): Promise<Vector> {
  const rows = await db.selectFrom('site').select(['id', 'head_seq']).execute();
  return Object.fromEntries(rows.map((r) => [r.id, Number(r.head_seq)]));
}

/** `c.seq` is beyond what `vector` holds of `c.site_id` (a record the vector's holder lacks). */
function beyond(vector: Vector): RawBuilder<boolean> {
  const sites = Object.entries(vector);
  const held = sites.length
    ? sql`case c.site_id ${sql.join(
        sites.map(([site, seq]) => sql`when ${site} then ${sql.lit(seq)}`),
        sql` `,
      )} else 0 end`
    : sql`0`;
  return sql<boolean>`c.seq > ${held}`;
}

/** The records beyond `vector`, in clock order (each site's in chain order), a page at a time. */
export async function* recordsBeyond(
  db: Database,
  vector: Vector,
  size: number,
): AsyncGenerator<StoredRecord[]> {
  let last: { hlc: string; site_id: string } | undefined;
  for (;;) {
    const after = last ? sql`and (c.hlc, c.site_id) > (${last.hlc}, ${last.site_id})` : sql``;
    const { rows } = await sql<StoredRecord>`select c.* from change_record c
      where ${beyond(vector)} ${after} order by c.hlc, c.site_id limit ${sql.lit(size)}`.execute(
      db,
    );
    for (const r of rows) r.seq = Number(r.seq);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}

/**
 * The rows of `table` last written by a record beyond `vector`, in key order, a page at a time:
 * numbered rows without their local id, and references to numbered rows as those rows' uids.
 */
export async function* rowsBeyond(
  db: Database,
  table: SyncedTable,
  vector: Vector,
  size: number,
): AsyncGenerator<Row[]> {
  // A vector holding nothing (a first sync, an export of everything) wants every row: no
  // lookup of each row's record. Otherwise each row's record is looked up by its key: an IN
  // (subquery) is built whole for every page (SQLite makes it per statement): a scan of every
  // record per page, 0.5 s a page at 100,000 records, against 30 ms for this (issue 13).
  const held = (column: string) =>
    sql`exists (select 1 from change_record c
      where c.id = ${sql.ref(`${table}.${column}`)} and ${beyond(vector)})`;
  // A conflict travels with either of its two records too: a site that gets both from a peer
  // that had merged them (and met the conflict) does not meet it itself, and learns of it so.
  const only =
    Object.keys(vector).length === 0
      ? sql`change_id is not null`
      : table === 'sync_conflict'
        ? sql`(${held('change_id')} or ${held('kept_change')} or ${held('other_change')})`
        : held('change_id');
  const references = Object.entries(NUMBER_REFERENCES[table] ?? {});
  const changed = NUMBERED.has(table) || references.length > 0;
  for await (const read of tablePages(db, table, size, only)) {
    // Copies of rows changed below: tablePages goes on after the last row it yielded, by its key
    // (a numbered row's id). Other rows go as read. A numbered row's copy is made without its
    // id rather than `delete`d from: an object that lost a property is slow to JSON.stringify
    // (an export of a million ledger entries took 26 s of JavaScript for 10 s of SQL).
    const page = changed ? read.map(NUMBERED.has(table) ? withoutId : (r) => ({ ...r })) : read;
    for (const [column, target] of references) {
      const uids = await uidsOf(
        db,
        target,
        page.map((r) => Number(r[column])),
      );
      for (const r of page) r[column] = uids.get(Number(r[column])) ?? null;
    }
    yield page;
  }
}

function withoutId(row: Row): Row {
  const { id: _id, ...rest } = row;
  return rest;
}

async function uidsOf(db: Database, table: SyncedTable, ids: number[]) {
  const rows = await inChunks([...new Set(ids)], async (chunk) => {
    const { rows } = await sql<{ id: number; uid: string }>`select id, uid from
      ${sql.table(table)} where id in (${sql.join(chunk)})`.execute(db);
    return rows;
  });
  return new Map(rows.map((r) => [Number(r.id), r.uid]));
}

/** The local ids of numbered rows, by uid. */
export async function idsOf(
  db: Database,
  table: SyncedTable,
  uids: readonly string[],
): Promise<Map<string, number>> {
  const rows = await inChunks([...new Set(uids)], async (chunk) => {
    const { rows } = await sql<{ id: number; uid: string }>`select id, uid from
      ${sql.table(table)} where uid in (${sql.join(chunk)})`.execute(db);
    return rows;
  });
  return new Map(rows.map((r) => [r.uid, Number(r.id)]));
}

/** The columns that name a row of `table` at every site: its uid if numbered, else its key. */
export function syncKeyOf(table: SyncedTable): readonly string[] {
  return NUMBERED.has(table) ? ['uid'] : (TABLE_KEYS[table] as readonly string[]);
}

/** The rows here whose sync keys are among those of `rows`. */
export async function rowsWithKeys(
  db: Database,
  table: SyncedTable,
  rows: readonly Row[],
): Promise<Row[]> {
  return rowsMatching(db, table, syncKeyOf(table), rows);
}

/**
 * The rows here whose values in `columns` are among those of `rows` (and, given `open`, whose
 * `open` column is null): one statement per chunk of rows, whatever the number of rows.
 */
async function rowsMatching(
  db: Database,
  table: SyncedTable,
  columns: readonly string[],
  rows: readonly Row[],
  open?: string,
): Promise<Row[]> {
  return inChunks(
    rows,
    async (chunk) => {
      const tuples = chunk.map((r) => sql`(${sql.join(columns.map((k) => r[k]))})`);
      const keys = sql.join(columns.map((k) => sql.ref(k)));
      const list =
        isPostgres(db) || columns.length === 1 ? sql.join(tuples) : sql`values ${sql.join(tuples)}`;
      const still = open ? sql`and ${sql.ref(open)} is null` : sql``;
      const { rows: found } = await sql<Row>`select * from ${sql.table(table)}
        where (${keys}) in (${list}) ${still}`.execute(db);
      return found;
    },
    Math.floor(2000 / columns.length),
  );
}

/**
 * Overwrites rows here, each named by its sync key, with its values (every row the same
 * columns): one UPDATE … FROM a list of the rows per chunk, not a statement per row (issue 13).
 * A key given twice takes its last row's values, as updates one after another would.
 */
export async function overwriteRows(
  db: Database,
  table: SyncedTable,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const key = syncKeyOf(table);
  const keyOf = (r: Row) => JSON.stringify(key.map((k) => r[k]));
  const last = [...new Map(rows.map((r) => [keyOf(r), r])).values()];
  const columns = Object.keys(last[0]!);
  const sets = sql.join(
    columns.filter((c) => !key.includes(c)).map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`),
  );
  const where = sql.join(
    key.map((k) => sql`${sql.ref(`${table}.${k}`)} = ${sql.ref(`v.${k}`)}`),
    sql` and `,
  );
  const names = sql.join(columns.map((c) => sql.id(c)));
  const postgres = isPostgres(db);
  await inChunks(
    last,
    async (chunk) => {
      // PostgreSQL: one typed array per column (bulk.ts selectArrays); SQLite: a VALUES list
      // (a subquery cannot name its columns there, a common table expression can).
      const list = postgres
        ? sql``
        : sql`with v(${names}) as (values ${sql.join(
            chunk.map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`),
          )})`;
      const from = postgres
        ? sql`unnest(${sql.join(columns.map((c) => columnArray(table, c, chunk)))}) as v(${names})`
        : sql`v`;
      await sql`${list} update ${sql.table(table)} set ${sets} from ${from}
        where ${where}`.execute(db);
      return [];
    },
    postgres
      ? MAX_ARRAY_ROWS
      : Math.max(1, Math.min(500, Math.floor(MAX_PARAMETERS / columns.length))),
  );
}

/** The clock, site and number of records held here, by id. */
export async function recordStamps(
  db: Database,
  ids: readonly string[],
): Promise<Map<string, { hlc: string; site: string; seq: number }>> {
  const rows = await inChunks([...new Set(ids)], (chunk) =>
    db
      .selectFrom('change_record')
      .select(['id', 'hlc', 'site_id', 'seq'])
      .where('id', 'in', chunk)
      .execute(),
  );
  return new Map(rows.map((r) => [r.id, { hlc: r.hlc, site: r.site_id, seq: Number(r.seq) }]));
}

/**
 * The records held of each site's numbers `from`…`to`, keyed `<site>\t<seq>`: one range of the
 * (site_id, seq) index a site, where looking up a batch by its random ids costs a lookup each.
 */
export async function heldRecords(
  db: Database,
  ranges: readonly { site: string; from: number; to: number }[],
): Promise<Map<string, { id: string; hash: string }>> {
  const held = new Map<string, { id: string; hash: string }>();
  for (const { site, from, to } of ranges) {
    const rows = await db
      .selectFrom('change_record')
      .select(['id', 'seq', 'hash'])
      .where('site_id', '=', site)
      .where('seq', '>=', from)
      .where('seq', '<=', to)
      .execute();
    for (const r of rows) held.set(`${site}\t${Number(r.seq)}`, { id: r.id, hash: r.hash });
  }
  return held;
}

/**
 * The rows here that already hold what `rows` would (the same values in `match`, among the rows
 * still open: `open` null): one query for a whole page of new rows.
 */
export async function findClashes(
  db: Database,
  table: SyncedTable,
  match: readonly string[],
  open: string | undefined,
  rows: readonly Row[],
): Promise<Row[]> {
  return rowsMatching(db, table, match, rows, open);
}

/** Lists a conflict, once: false when a conflict of that code is listed already. */
export async function insertConflict(
  db: Database,
  conflict: Insertable<SyncConflictTable>,
): Promise<boolean> {
  const result = await db
    .insertInto('sync_conflict')
    .values(conflict)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a row here, named by its sync key (a clash's later row, kept in its conflict). */
export async function deleteRow(db: Database, table: SyncedTable, row: Row): Promise<void> {
  const where = syncKeyOf(table).map((k) => sql`${sql.ref(k)} = ${row[k]}`);
  await sql`delete from ${sql.table(table)} where ${sql.join(where, sql` and `)}`.execute(db);
}

/** Listed conflicts, open ones only unless `all`, newest first. */
export async function listConflictRows(
  db: Database,
  options: { all: boolean; limit: number; offset: number },
) {
  let query = db.selectFrom('sync_conflict');
  if (!options.all) query = query.where('resolved_at', 'is', null);
  const count = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const total = Number(count.total);
  const rows = await query
    .selectAll()
    .orderBy('detected_at', 'desc')
    .orderBy('code')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total };
}

export async function findConflictRow(db: Database, code: string) {
  return db.selectFrom('sync_conflict').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function resolveConflictRow(
  db: Database,
  code: string,
  resolution: { at: string; by: string; text: string },
): Promise<boolean> {
  const result = await db
    .updateTable('sync_conflict')
    .set({ resolved_at: resolution.at, resolved_by: resolution.by, resolution: resolution.text })
    .where('code', '=', code)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The time, actor and site name of records, by id (for the sides of conflicts). */
export async function recordOrigins(db: Database, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { at: string; actor: string; site: string }>();
  const rows = await db
    .selectFrom('change_record as c')
    .innerJoin('site as s', 's.id', 'c.site_id')
    .select(['c.id', 'c.at', 'c.actor_name', 's.name'])
    .where('c.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { at: r.at, actor: r.actor_name, site: r.name }]));
}

/**
 * When the oldest record of `sites` (this site's ids: its current one and earlier epochs) that
 * `vector` does not cover was written; null when it covers them all. One index lookup a site.
 */
export async function oldestRecordBeyond(
  db: Database,
  sites: readonly string[],
  vector: Vector,
): Promise<string | null> {
  let oldest: string | null = null;
  for (const site of sites) {
    const row = await db
      .selectFrom('change_record')
      .select('at')
      .where('site_id', '=', site)
      .where('seq', '>', vector[site] ?? 0)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (row && (oldest === null || row.at < oldest)) oldest = row.at;
  }
  return oldest;
}

export async function listPeerRows(db: Database) {
  return db
    .selectFrom('sync_peer as p')
    .innerJoin('site as s', 's.id', 'p.site_id')
    .select([
      'p.site_id',
      'p.url',
      'p.api_key',
      'p.added_at',
      'p.last_sync_at',
      'p.last_result',
      's.name',
    ])
    .orderBy('s.name')
    .execute();
}

export async function savePeerRow(
  db: Database,
  peer: { site_id: string; url: string; api_key: string; added_at: string },
): Promise<void> {
  await db
    .insertInto('sync_peer')
    .values(peer)
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ url: peer.url, api_key: peer.api_key }))
    .execute();
}

export async function notePeerSync(
  db: Database,
  site: string,
  at: string,
  result: object,
): Promise<void> {
  await db
    .updateTable('sync_peer')
    .set({ last_sync_at: at, last_result: JSON.stringify(result) })
    .where('site_id', '=', site)
    .execute();
}
