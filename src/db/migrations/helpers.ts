import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database schema
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Code columns compare byte-wise on both databases, so a prefix lookup is an index range
 * (`code >= prefix AND code < upper`) whatever the server's default collation.
 */
export function codeType(db: Kysely<unknown>): RawBuilder<unknown> {
  return isPostgres(db) ? sql`text collate "C"` : sql`text`;
}

/** An append-only row id: bigint identity on PostgreSQL, the rowid on SQLite. */
export function serialType(db: Kysely<unknown>): RawBuilder<unknown> {
  return isPostgres(db) ? sql`bigint generated always as identity` : sql`integer`;
}
