import type { Compilable, CompiledQuery } from 'kysely';
import { noteCompiledWrite } from './change-log.js';
import type { Database } from './database.js';

/**
 * A query built and compiled once per database dialect, then run with new parameters: for hot
 * paths (every scan, every API request) where building and compiling a query with Kysely costs
 * more than running it. `build` receives the database and uses placeholder values; `run` takes
 * the real values in the order the placeholders appear in the SQL.
 */
export function preparedQuery<R>(build: (db: Database) => Compilable<R>) {
  // Keyed by the dialect's adapter, which a transaction shares with its database.
  const compiled = new WeakMap<object, CompiledQuery<R>>();
  return async function run(db: Database, parameters: readonly unknown[]): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = build(db).compile();
      compiled.set(adapter, query);
    }
    if (query.parameters.length !== parameters.length) {
      throw new Error(
        `prepared query expects ${query.parameters.length} parameters, got ${parameters.length}`,
      );
    }
    // Run again without compiling, the statement passes the change guard's plugin no more.
    noteCompiledWrite(query);
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
