import { PostgresAdapter, sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { DB } from '../../src/db/schema.js';

/**
 * Rows in every table of the database (Kysely's migration tables aside): a fingerprint to show
 * that a refused request changed nothing. Every table, not a chosen few, so that a write to a
 * table the test did not think of shows too. `except` leaves out tables that a refused request
 * rightly writes (a failed login counts towards throttling).
 */
export async function rowCounts(
  db: Database,
  options: { except?: (keyof DB)[] } = {},
): Promise<Record<keyof DB, number>> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // PostgreSQL: the tables of this database's own schema only (tests share one server).
  const tables = postgres
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master
        where type = 'table' and name not like 'sqlite%'`.execute(db);
  const names = tables.rows
    .map((row) => row.name)
    .filter((name) => !name.startsWith('kysely_') && !options.except?.includes(name as keyof DB))
    .sort();
  const out = {} as Record<keyof DB, number>;
  for (const name of names as (keyof DB)[]) out[name] = await rowCount(db, name);
  return out;
}

/** Rows in one table. */
export async function rowCount(db: Database, table: keyof DB): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
