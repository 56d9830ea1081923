import {
  sql,
  type CompiledQuery,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type RawBuilder,
  type SelectQueryBuilder,
} from 'kysely';
import { noteWrite } from './change-log.js';
import type { Database } from './database.js';
import { isPostgres } from './migrations/helpers.js';
import type { DB } from './schema.js';
import { SCHEMA_COLUMNS } from './schema-columns.js';

// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
export const MAX_PARAMETERS = 30_000;
// Rows per statement: larger statements were no faster in the benchmarks and cost more to compile.
const MAX_ROWS = 500;
// Rows per statement on PostgreSQL, where a statement takes one array per column whatever the
// number of rows (selectArrays): bounds the size of one statement's arrays (a few MB).
export const MAX_ARRAY_ROWS = 10_000;

function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns)));
}

/**
 * Multi-row INSERTs of as many rows per statement as the parameter limits allow.
 *
 * Bulk writes (a 10,000-unit build, an upload of 10,000 test results) are hot paths where
 * building Kysely's syntax tree for every row costs more than the insert itself: when every row
 * has the first row's columns and no undefined value, the statement of a full chunk is compiled
 * once per dialect, table and columns and run with new parameters (SQLite's statement cache
 * then reuses the prepared statement). Other rows go through Kysely, which writes DEFAULT for a
 * missing value.
 */
export async function insertMany<T extends keyof DB & string>(
  db: Database,
  table: T,
  rows: Insertable<DB[T]>[],
  options: InsertOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  noteWrite(table);
  const columns = Object.keys(rows[0]!);
  if (isPostgres(db) && sameColumns(rows as Record<string, unknown>[], columns)) {
    for (const statement of insertStatements(db, table, rows)) {
      const query = statement.compile();
      await db.executeQuery(options.keepIds ? overridingIdentity(query) : query);
    }
    return;
  }
  const size = rowsPerStatement(columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const parameters = parametersOf(chunk as Record<string, unknown>[], columns);
    const query = parameters
      ? { ...insertStatement(db, table, columns, chunk.length), parameters }
      : // Kysely's types cannot follow a generic table name through insertInto().values().
        db
          .insertInto(table)
          .values(chunk as never)
          .compile();
    await db.executeQuery(options.keepIds && isPostgres(db) ? overridingIdentity(query) : query);
  }
}

/**
 * The statements of an insert of `rows` that the caller finishes (ON CONFLICT, RETURNING) and
 * runs: on PostgreSQL one per MAX_ARRAY_ROWS rows, from arrays (selectArrays), when every row
 * has the first row's columns; otherwise VALUES lists of `valuesRows` rows (by default as many
 * as the parameter limits allow, up to 500).
 */
export function insertStatements<T extends keyof DB & string>(
  db: Database,
  table: T,
  rows: Insertable<DB[T]>[],
  valuesRows?: number,
): InsertQueryBuilder<DB, T, InsertResult>[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const arrays = isPostgres(db) && sameColumns(rows as Record<string, unknown>[], columns);
  const size = arrays ? MAX_ARRAY_ROWS : (valuesRows ?? rowsPerStatement(columns.length));
  const statements: InsertQueryBuilder<DB, T, InsertResult>[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    statements.push(
      arrays
        ? db
            .insertInto(table)
            .columns(columns as never)
            .expression(selectArrays(db, table, columns, chunk) as never)
        : db.insertInto(table).values(chunk as never),
    );
  }
  return statements;
}

export interface InsertOptions {
  /**
   * The rows carry the values of identity columns (a restore of a whole instance): PostgreSQL
   * refuses to write a `generated always` identity column unless told to keep the value given.
   */
  keepIds?: boolean;
}

/**
 * The insert with PostgreSQL's OVERRIDING SYSTEM VALUE, which Kysely cannot write: it goes
 * between the column list and VALUES, and Kysely compiles every insert as
 * `insert into "t" ("a", …) values (…)`, whose first `) values (` ends the column list.
 */
function overridingIdentity(query: CompiledQuery): CompiledQuery {
  const text = query.sql.replace(/\) (values \(|select )/, ') overriding system value $1');
  if (text === query.sql) throw new Error(`not an insert with a column list: ${query.sql}`);
  return { ...query, sql: text };
}

/** Every row has exactly `columns`, none undefined (which Kysely would write as DEFAULT). */
function sameColumns(rows: Record<string, unknown>[], columns: string[]): boolean {
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return false;
    for (const column of columns) if (row[column] === undefined) return false;
  }
  return true;
}

/**
 * PostgreSQL: `rows` as one SELECT over `unnest($1::text[], $2::bigint[], …)`, one array
 * parameter per column, for an `insert … select` (issue 14: bulk paths at PostgreSQL's speed).
 * The statement's text and its syntax tree are the same whatever the number of rows, so it
 * costs one round trip and no per-row compiling, and PostgreSQL parses one array per column
 * instead of binding a parameter per value. It stays an ordinary statement of the caller's
 * transaction (all-or-nothing with it, ON CONFLICT and RETURNING as usual), and the change
 * log's plugin adds `change_id` and a fresh `uid` per row to its selections as it does to
 * VALUES. Every row must have every column of `columns` (undefined is not DEFAULT here).
 * Chosen over COPY FROM STDIN (pg-copy-streams), which would need the transaction's own
 * connection, a new dependency and a second path for ON CONFLICT and RETURNING: the bulk paths
 * measured 0.8–2.2× a COPY of the same rows (the benchmarks' floor, README "Performance").
 */
export function selectArrays<T extends keyof DB & string>(
  db: Database,
  table: T,
  columns: readonly string[],
  rows: readonly Insertable<DB[T]>[],
): SelectQueryBuilder<DB, never, Record<string, unknown>> {
  const arrays = columns.map((column) => columnArray(table, column, rows));
  const from = sql`unnest(${sql.join(arrays)})`.as<'u'>(
    sql`u(${sql.join(columns.map((c) => sql.id(c)))})`,
  );
  // `u` is no table of DB: Kysely's types cannot follow it, and the caller inserts it as it is.
  return db.selectFrom(from as never).selectAll() as never;
}

/** PostgreSQL: one column's values of `rows` as one typed array parameter. */
export function columnArray(
  table: keyof DB & string,
  column: string,
  rows: readonly object[],
): RawBuilder<unknown> {
  const kind = (SCHEMA_COLUMNS[table] as Record<string, string>)[column];
  if (kind === undefined) throw new Error(`${table} has no column ${column}`);
  // Every column is text or an integer (schema-columns.ts); bigint[] fits INTEGER columns too
  // (an assignment cast) and every quantity in millionths.
  const type = kind.startsWith('text') ? 'text[]' : 'bigint[]';
  const values = rows.map((row) => (row as Record<string, unknown>)[column] ?? null);
  return sql`${sql.val(values)}::${sql.raw(type)}`;
}

/** The rows' values in column order, or undefined when a row's columns differ. */
function parametersOf(rows: Record<string, unknown>[], columns: string[]): unknown[] | undefined {
  const parameters: unknown[] = [];
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return undefined;
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) return undefined;
      parameters.push(value);
    }
  }
  return parameters;
}

// Keyed by the dialect's adapter class: the SQL of an insert depends on the dialect only, so every
// database of one dialect (a test's, a benchmark round's) shares it.
const statements = new WeakMap<object, Map<string, CompiledQuery>>();

function insertStatement(
  db: Database,
  table: keyof DB & string,
  columns: string[],
  count: number,
): CompiledQuery {
  const dialect = db.getExecutor().adapter.constructor;
  let cache = statements.get(dialect);
  if (!cache) statements.set(dialect, (cache = new Map()));
  const key = `${table}\t${columns.join(',')}\t${count}`;
  let query = cache.get(key);
  if (!query) {
    const placeholder = Object.fromEntries(columns.map((c) => [c, null]));
    query = db
      .insertInto(table)
      .values(Array.from({ length: count }, () => placeholder) as never)
      .compile();
    if (query.parameters.length !== count * columns.length) {
      throw new Error(`${table}: insert compiled to ${query.parameters.length} parameters`);
    }
    // Full chunks repeat; the last, shorter chunk of each call would fill the cache.
    if (count === rowsPerStatement(columns.length)) cache.set(key, query);
  }
  return query;
}

/** Items per IN list: far below both databases' parameter limits. */
const IN_LIST_SIZE = 5000;

/**
 * Runs `query` on slices of `items` small enough for one statement's bound parameters (an IN
 * list, a multi-row statement) and joins what the slices answer, in order.
 */
export async function inChunks<T, R>(
  items: readonly T[],
  query: (chunk: T[]) => Promise<R[]>,
  size = IN_LIST_SIZE,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await query(items.slice(i, i + size))));
  }
  return out;
}
