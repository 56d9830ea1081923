import type { Insertable } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS = 30_000;

/** Multi-row INSERTs of as many rows per statement as the parameter limits allow. */
export async function insertMany<T extends keyof DB & string>(
  db: Database,
  table: T,
  rows: Insertable<DB[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's types cannot follow a generic table name through insertInto().values().
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/** Items per IN list: far below both databases' parameter limits. */
export const IN_LIST_SIZE = 5000;

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
