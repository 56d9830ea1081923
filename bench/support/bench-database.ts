import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createContext, type Context } from '../../src/context.js';
import {
  migrateToLatest,
  openDatabase,
  SQLITE_FILE,
  type DatabaseHandle,
  type DatabaseOptions,
} from '../../src/db/database.js';
import { openBareSqlite } from './sqlite.js';

/** A migrated database and a context on it: where every benchmark's data is made. */
export interface BenchDatabase {
  handle: DatabaseHandle;
  ctx: Context;
}

/** Opens and migrates the database the options name (not timed). */
export async function openBenchDatabase(options: DatabaseOptions): Promise<BenchDatabase> {
  const handle = openDatabase(options);
  await migrateToLatest(handle.db);
  return { handle, ctx: createContext(handle.db) };
}

/** A temporary folder for `fn`, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `tracelot-bench-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A fresh SQLite data folder, migrated, for `fn`. `bare()` opens a read-only bare connection to
 * its file for a floor (closed, like the database and the folder, when `fn` ends).
 */
export async function withBenchDatabase<T>(
  prefix: string,
  fn: (db: BenchDatabase & { bare(): BetterSqlite3.Database }) => Promise<T>,
): Promise<T> {
  return withTempDir(prefix, async (dir) => {
    const opened = await openBenchDatabase({ dataDir: dir });
    const bares: BetterSqlite3.Database[] = [];
    const bare = () => {
      const connection = openBareSqlite(path.join(dir, SQLITE_FILE), { readonly: true });
      bares.push(connection);
      return connection;
    };
    try {
      return await fn({ ...opened, bare });
    } finally {
      for (const connection of bares) connection.close();
      await opened.handle.close();
    }
  });
}
