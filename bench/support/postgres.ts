import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { line } from './report.js';

export const PG_URL =
  process.env.TRACELOT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The connection that creates and drops the benchmarks' schemas, or undefined when no server
 * answers (the report says so: PostgreSQL figures are extra lines, not a requirement).
 */
export async function connectAdmin(): Promise<pg.Client | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    line(`  PostgreSQL not reachable at ${PG_URL} (${String(error)}): skipped`);
    return undefined;
  }
}

/** `fn` in a fresh schema, dropped afterwards: each side of each run starts empty. */
export async function inSchema<T>(
  admin: pg.Client,
  fn: (schema: string) => Promise<T>,
): Promise<T> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  try {
    return await fn(schema);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
  }
}

/** A bare node-postgres connection whose tables are those of `schema` (a floor's). */
export async function schemaClient(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  return client;
}
