import type { Database, Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  ValueNode,
  type DatabaseConnection,
  type LimitNode,
  type Dialect,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes that matter under load:
 * - prepared statements are cached per SQL text (Kysely prepares every query anew);
 * - write transactions start with BEGIN IMMEDIATE, so a second process (the CLI next to a
 *   running server) waits on busy_timeout instead of failing mid-transaction with SQLITE_BUSY;
 * - a transaction SQLite has rolled back itself (a full disk, SQLITE_FULL) is not rolled back
 *   again: that second rollback failed ("no transaction is active") and hid the real error;
 * - migrations run in one such transaction (SQLite's DDL is transactional; Kysely assumes not),
 *   so processes that meet a new database at once take turns: the first migrates, the others
 *   then find nothing left to do, instead of creating the same tables again.
 */
export function sqliteDialect(database: Database): Dialect {
  const config = { database: cachingDatabase(database) };
  return {
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config, database),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new InlineLimitQueryCompiler(),
  };
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly database: Database,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.database.inTransaction) await super.rollbackTransaction(connection);
  }
}

/**
 * Writes integer LIMITs into the SQL text. SQLite (3.4x+) marks a bound LIMIT parameter as
 * plan-relevant, so binding it again expires the statement and every run re-prepares it:
 * the prepared-statement cache is defeated. Page sizes are few, so the cache stays small;
 * OFFSET stays a parameter (it does not expire statements).
 */
class InlineLimitQueryCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && Number.isSafeInteger(limit.value)) {
      this.append(`limit ${String(limit.value)}`);
    } else {
      super.visitLimit(node);
    }
  }
}

const STATEMENT_CACHE_SIZE = 500;

function cachingDatabase(db: Database): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
