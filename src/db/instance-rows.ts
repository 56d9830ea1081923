import { sql, type RawBuilder } from 'kysely';
import { inChunks } from './bulk.js';
import type { Database } from './database.js';
import { columnsOf, TABLE_KEYS, type InstanceTable } from './instance-tables.js';
import { isPostgres } from './migrations/helpers.js';
import type { DB } from './schema.js';

/**
 * The SQL of a whole-instance export and import (src/transfer): generic over the tables of
 * instance-tables.ts, since a dump holds every table alike. Rows are read and written as plain
 * column → value records; the transfer feature turns them into JSON lines and back.
 */

export type Row = Record<string, unknown>;

/**
 * Runs `fn` in one read transaction: every read sees the same snapshot, so a write committed
 * meanwhile cannot tear an export. PostgreSQL: REPEATABLE READ, read only. SQLite: a deferred
 * BEGIN, whose first read fixes the snapshot (WAL) without taking the write lock that Tracelot's
 * own transactions (BEGIN IMMEDIATE) take, so servers keep writing while it runs.
 */
export async function inReadSnapshot<T>(db: Database, fn: (db: Database) => Promise<T>) {
  return db.connection().execute(async (connection) => {
    const begin = isPostgres(db) ? 'begin isolation level repeatable read read only' : 'begin';
    await sql.raw(begin).execute(connection);
    try {
      const result = await fn(connection);
      await sql.raw('commit').execute(connection);
      return result;
    } catch (error) {
      await sql.raw('rollback').execute(connection);
      throw error;
    }
  });
}

/**
 * A table's rows in key order, `size` at a time (keyset paging: each page starts after the
 * last key of the one before, so no table is ever read whole). Text keys compare byte-wise on
 * both databases (PostgreSQL's "C" collation is SQLite's BINARY), so the order, and with it an
 * export's bytes, is the same on either.
 */
export async function* tablePages(
  db: Database,
  table: InstanceTable,
  size: number,
  /** Only the rows meeting this condition (a sync's rows beyond a vector). */
  only?: RawBuilder<unknown>,
): AsyncGenerator<Row[]> {
  const columns = columnsOf(table);
  const key = TABLE_KEYS[table] as readonly string[];
  const postgres = isPostgres(db);
  const keyRef = (name: string): RawBuilder<unknown> =>
    postgres && !columns.find((c) => c.name === name)!.integer
      ? sql`${sql.ref(name)} collate "C"`
      : sql`${sql.ref(name)}`;
  const keys = sql.join(key.map(keyRef));
  let last: Row | undefined;
  for (;;) {
    const conditions = [
      ...(last ? [sql`(${keys}) > (${sql.join(key.map((k) => last![k]))})`] : []),
      ...(only ? [only] : []),
    ];
    const after = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
    const { rows } = await sql<Row>`select ${sql.join(columns.map((c) => sql.ref(c.name)))}
      from ${sql.table(table)} ${after} order by ${keys} limit ${sql.lit(size)}`.execute(db);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}

/** Rows in a table. */
export async function countRows(db: Database, table: InstanceTable): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]!.n);
}

/** Empties a table (an import replaces what the first start of an instance wrote). */
export async function clearTable(db: Database, table: keyof DB): Promise<void> {
  await db.deleteFrom(table).execute();
}

/**
 * Sets a column of rows already inserted, by key, from (key, value) pairs: how a reference
 * within one table (a lot's parent) is restored, once every row it may name is in.
 */
export async function setByKey(
  db: Database,
  table: InstanceTable,
  column: string,
  pairs: readonly [string, string][],
): Promise<void> {
  const [key] = TABLE_KEYS[table] as readonly string[];
  await inChunks(
    pairs,
    async (chunk) => {
      const cases = sql.join(
        chunk.map(([k, v]) => sql`when ${k} then ${v}`),
        sql` `,
      );
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = case ${sql.ref(key!)} ${cases} end
        where ${sql.ref(key!)} in (${sql.join(chunk.map(([k]) => k))})`.execute(db);
      return [];
    },
    500,
  );
}

/**
 * PostgreSQL: moves every identity sequence of this schema past the highest id its table now
 * holds, so that the next row written after an import of rows with their ids gets a new one.
 * (SQLite's integer primary keys continue from the highest id by themselves.)
 */
export async function resetIdentities(db: Database): Promise<void> {
  if (!isPostgres(db)) return;
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
      db,
    );
  }
}
