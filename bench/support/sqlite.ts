import BetterSqlite3 from 'better-sqlite3';
import { configureSqlite } from '../../src/db/database.js';

/**
 * A bare better-sqlite3 connection set up exactly like Tracelot's (configureSqlite: the same
 * pragmas and the same Unicode lower()), so a floor runs under the durability, locking and
 * caching settings of the service it is compared to.
 */
export function openBareSqlite(
  file: string,
  options: { readonly?: boolean } = {},
): BetterSqlite3.Database {
  return configureSqlite(new BetterSqlite3(file, { readonly: options.readonly ?? false }));
}
