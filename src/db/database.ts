import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type LogEvent,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { BusyError } from '../domain/errors.js';
import { newCode } from '../domain/code.js';
import { changeGuardPlugin, currentChangeId, gatherChange, unloggedWrites } from './change-log.js';
import { isTransactionCollision } from './errors.js';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';
import { sqliteDialect } from './sqlite-dialect.js';

export type Database = Kysely<DB>;
export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Database;
  dialect: Dialect;
  /** Where the data lives, for messages: a file path or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL; a file path, `sqlite:<path>` or `:memory:` for SQLite. */
  url?: string | undefined;
  /** Data folder; the SQLite file `tracelot.db` lies here when no URL is given. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string | undefined;
  poolSize?: number | undefined;
  /** Hears of every statement run, with its duration (the server's metrics time queries). */
  onQuery?: ((millis: number, failed: boolean) => void) | undefined;
}

export const SQLITE_FILE = 'tracelot.db';

/** Whether a `--database` URL names PostgreSQL (anything else is a SQLite file). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the database named by the options; does not migrate (see migrateToLatest). */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const url = options.url ?? '';
  if (isPostgresUrl(url)) return openPostgres(url, options);
  const file = url
    ? url.replace(/^sqlite:/, '')
    : path.join(options.dataDir ?? 'tracelot-data', SQLITE_FILE);
  return openSqlite(file, options);
}

/** Kysely's log hook, when someone listens: it times each statement where it executes. */
function queryLog(options: DatabaseOptions): { log?: (event: LogEvent) => void } {
  const listen = options.onQuery;
  return listen
    ? { log: (event) => listen(event.queryDurationMillis, event.level === 'error') }
    : {};
}

/** The settings of every Tracelot SQLite connection (the benchmarks' floors use them too). */
export function configureSqlite(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  // First: switching a new file to WAL waits for another process opening it at the same time.
  sqlite.pragma('busy_timeout = 5000');
  if (!sqlite.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Reads from a memory map and a 64 MB page cache instead of a read() per page: lookups in a
  // database of millions of lots stay in memory.
  sqlite.pragma('mmap_size = 1073741824');
  sqlite.pragma('cache_size = -65536');
  // SQLite's own lower() folds A–Z only, PostgreSQL's all of Unicode: case-insensitive names and
  // searches must behave the same on both. (Indexes on lower(…) are built with this function, so
  // write to a Tracelot database only through Tracelot.)
  sqlite.function('lower', { deterministic: true }, (s: unknown) =>
    typeof s === 'string' ? s.toLowerCase() : s,
  );
  // Row versions (migration 0021; PostgreSQL has them as SQL functions): the record of the change
  // being written, and a random id for a numbered row.
  sqlite.function('tracelot_change', { deterministic: false }, () => currentChangeId());
  sqlite.function('tracelot_uid', { deterministic: false }, () => newCode());
  return sqlite;
}

function openSqlite(file: string, options: DatabaseOptions): DatabaseHandle {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = configureSqlite(new BetterSqlite3(file));
  const db = new Kysely<DB>({
    dialect: sqliteDialect(sqlite),
    plugins: [changeGuardPlugin],
    ...queryLog(options),
  });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

// int8 (counts, quantities in millionths, ids) as numbers: every value we store stays below 2^53.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
};

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // While PostgreSQL is down or restarting, a request fails in seconds (503) instead of hanging.
    connectionTimeoutMillis: 5000,
    types: types as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that the server ends (a restart, a dropped database) is an 'error' event:
  // unheard, it would end the process. The pool drops that connection; the next query opens a
  // new one or fails, and /api/health says why.
  pool.on('error', () => {});
  // A connection that is checked out (inside a transaction, between its queries) has no pool
  // listener: the server ending it (a restart: 57P01, "Connection terminated unexpectedly") would
  // be an unheard 'error' that ends the process. The query or commit under way fails by itself
  // (503, see isDatabaseUnavailable), and the pool discards the broken connection.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    plugins: [changeGuardPlugin],
    ...queryLog(options),
  });
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return { db, dialect: 'postgres', location, close: () => db.destroy() };
}

/** Runs every pending migration; forward-only. Safe to run from several servers at once. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  if (await isUpToDate(db)) return [];
  // Kysely looks for its migration tables in every schema unless told which one is ours.
  const schema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    // A migration changes the shape of the data, not the record: its writes (backfills, the
    // genesis record of 0012) are not changes a person made, and the change log may not exist yet.
    const { error, results } = await unloggedWrites('a migration', () =>
      migrator.migrateToLatest(),
    );
    // Kysely finds its migration tables by listing the tables of every schema; a schema that
    // another client drops meanwhile fails that listing with invalid_schema_name (3F000), or
    // with undefined_table (42P01) naming that schema's migration table. It is someone else's
    // schema: list again.
    if (droppedMeanwhile(error, schema) && attempt < 5) continue;
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
}

function droppedMeanwhile(error: unknown, schema: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === '3F000') return true;
  return (
    code === '42P01' &&
    /\.kysely_migration/.test(message ?? '') &&
    !(message ?? '').includes(`"${schema}.`)
  );
}

/** The name of this build's last migration: an export names it, an import must match it. */
export const LATEST_MIGRATION = Object.keys(migrations).at(-1)!;

/**
 * Whether the latest migration has run: one read of our own migration table. Every CLI command
 * migrates first, and Kysely's migrator lists the tables of every schema each time it runs,
 * which on a shared PostgreSQL server can fail when another client drops a schema meanwhile.
 */
async function isUpToDate(db: Database): Promise<boolean> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from kysely_migration where name = ${LATEST_MIGRATION}`.execute(db);
    return rows.length === 1;
  } catch {
    // No migration table yet: a new database.
    return false;
  }
}

async function currentSchema(db: Database): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/** How often a transaction is run in all when it keeps colliding with others. */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * Joins the caller's transaction or opens one. An outermost transaction that PostgreSQL aborts
 * for colliding with another (deadlock, serialization failure) has written nothing, so it is run
 * again, whole, up to TRANSACTION_ATTEMPTS times; then it is a BusyError (503). So `fn` must have
 * no effect but its database writes: side effects (files, events, output) come after it returns.
 * A joined transaction is never retried here: only its outermost owner can run it again.
 */
export async function inTransaction<T>(
  db: Database,
  fn: (trx: Transaction<DB> | Database) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => gatherChange(trx, () => fn(trx)));
    } catch (error) {
      if (!isTransactionCollision(error)) throw error;
      if (attempt === TRANSACTION_ATTEMPTS) throw new BusyError();
      // A random pause, growing with the attempts, so that the colliding ones do not meet again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/**
 * Whether the database answers: a one-row read of the site table (on SQLite a bare `select 1`
 * would not touch the file), given up after `timeoutMs`. Undefined when it answers, else why not.
 */
export async function pingDatabase(db: Database, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const read = sql`select 1 as ok from site where local = 1`.execute(db).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'error',
  );
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
