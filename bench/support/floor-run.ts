import type { DatabaseHandle, DatabaseOptions } from '../../src/db/database.js';
import { postgresWriter, sqliteWriter, type FloorWriter } from './floor-writer.js';
import { PG_URL, schemaClient } from './postgres.js';
import { openBareSqlite } from './sqlite.js';

/**
 * One floor run: `prepare` makes what the floor starts from through the services on a fresh
 * database (not timed) and may read what the floor needs; then the database is closed and
 * `floor` writes through a bare connection to the same file or schema.
 */
type Prepare<S> = (options: DatabaseOptions) => Promise<S>;
type Floor<S, T> = (w: FloorWriter, setup: S) => Promise<T>;

/** The floor on the SQLite file `file`, with bare prepared statements. */
export async function floorOnSqlite<S extends { handle: DatabaseHandle }, T>(
  file: string,
  prepare: Prepare<S>,
  floor: Floor<S, T>,
): Promise<T> {
  const setup = await prepare({ url: file });
  await setup.handle.close();
  const db = openBareSqlite(file);
  try {
    return await floor(sqliteWriter(db), setup);
  } finally {
    db.close();
  }
}

/** The floor in the PostgreSQL schema `schema` (see inSchema), with multi-row inserts. */
export async function floorOnPostgres<S extends { handle: DatabaseHandle }, T>(
  schema: string,
  prepare: Prepare<S>,
  floor: Floor<S, T>,
): Promise<T> {
  const setup = await prepare({ url: PG_URL, schema });
  await setup.handle.close();
  const client = await schemaClient(schema);
  try {
    return await floor(postgresWriter(client), setup);
  } finally {
    await client.end();
  }
}
