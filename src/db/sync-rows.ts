import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { StoredRecord } from '../domain/change-record.js';
import { inChunks } from './bulk.js';
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
  // lookup of each row's record.
  const held = (column: string) =>
    sql`${sql.ref(column)} in (select c.id from change_record c where ${beyond(vector)})`;
  // A conflict travels with either of its two records too: a site that gets both from a peer
  // that had merged them (and met the conflict) does not meet it itself, and learns of it so.
  const only =
    Object.keys(vector).length === 0
      ? sql`change_id is not null`
      : table === 'sync_conflict'
        ? sql`(${held('change_id')} or ${held('kept_change')} or ${held('other_change')})`
        : held('change_id');
  for await (const read of tablePages(db, table, size, only)) {
    // Copies: tablePages goes on after the last row it yielded, by its key (a numbered row's id).
    const page = read.map((r) => ({ ...r }));
    for (const [column, target] of Object.entries(NUMBER_REFERENCES[table] ?? {})) {
      const uids = await uidsOf(
        db,
        target,
        page.map((r) => Number(r[column])),
      );
      for (const r of page) r[column] = uids.get(Number(r[column])) ?? null;
    }
    if (NUMBERED.has(table)) for (const r of page) delete r.id;
    yield page;
  }
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
  const key = syncKeyOf(table);
  return inChunks(
    rows,
    async (chunk) => {
      const tuples = chunk.map((r) => sql`(${sql.join(key.map((k) => r[k]))})`);
      const keys = sql.join(key.map((k) => sql.ref(k)));
      const list =
        isPostgres(db) || key.length === 1 ? sql.join(tuples) : sql`values ${sql.join(tuples)}`;
      const { rows: found } = await sql<Row>`select * from ${sql.table(table)}
        where (${keys}) in (${list})`.execute(db);
      return found;
    },
    Math.floor(2000 / key.length),
  );
}

/** Overwrites a row here, named by its sync key, with `row`'s values. */
export async function overwriteRow(db: Database, table: SyncedTable, row: Row): Promise<void> {
  const key = syncKeyOf(table);
  const sets = Object.keys(row)
    .filter((c) => !key.includes(c))
    .map((c) => sql`${sql.ref(c)} = ${row[c]}`);
  const where = key.map((k) => sql`${sql.ref(k)} = ${row[k]}`);
  await sql`update ${sql.table(table)} set ${sql.join(sets)}
    where ${sql.join(where, sql` and `)}`.execute(db);
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

/** The stored records among `ids`, with their hashes. */
export async function heldRecords(
  db: Database,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(ids)], (chunk) =>
    db.selectFrom('change_record').select(['id', 'hash']).where('id', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/**
 * The row here that already holds what `row` would (the same values in `match`, among the rows
 * still open: `open` null), if one does.
 */
export async function findClash(
  db: Database,
  table: SyncedTable,
  match: readonly string[],
  open: string | undefined,
  row: Row,
): Promise<Row | undefined> {
  const conditions = [
    ...match.map((c) => sql`${sql.ref(c)} = ${row[c]}`),
    ...(open ? [sql`${sql.ref(open)} is null`] : []),
  ];
  const { rows } = await sql<Row>`select * from ${sql.table(table)}
    where ${sql.join(conditions, sql` and `)} limit 1`.execute(db);
  return rows[0];
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
