import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import {
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
  type Dialect,
} from '../../src/db/database.js';

/**
 * Every database suite runs on each dialect: SQLite in memory always, PostgreSQL when a
 * server answers at TRACELOT_TEST_PG_URL — and in CI always (an unreachable server fails).
 */
export const PG_URL = process.env.TRACELOT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(
        `PostgreSQL is required in CI but not reachable at ${PG_URL}: ${String(error)}`,
      );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const DIALECTS: Dialect[] = (await postgresReachable())
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL: the schema this database lives in; SQLite: the file or :memory:. */
  url: string;
  schema?: string;
}

/**
 * A fresh database, migrated unless `migrate` is false: SQLite in memory (or a file), PostgreSQL
 * in its own schema.
 */
export async function createTestDatabase(
  dialect: Dialect,
  sqliteFile = ':memory:',
  migrate = true,
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const handle = openDatabase({ url: sqliteFile });
    if (migrate) await migrateToLatest(handle.db);
    return { ...handle, url: sqliteFile };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase({ url: PG_URL, schema });
  if (migrate) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: PG_URL,
    schema,
    async close() {
      await handle.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/**
 * A fresh PostgreSQL database and a second connection pool to it, as a second server would open:
 * made before the enclosing describe block's tests, closed after them (read the fields in tests).
 */
export function useTwoPools(): { database: TestDatabase; second: DatabaseHandle } {
  const pools = {} as { database: TestDatabase; second: DatabaseHandle };
  beforeAll(async () => {
    pools.database = await createTestDatabase('postgres');
    pools.second = openDatabase({ url: pools.database.url, schema: pools.database.schema });
  });
  afterAll(async () => {
    await pools.second?.close();
    await pools.database?.close();
  });
  return pools;
}
