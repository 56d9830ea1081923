/**
 * What the floors write with: the barest way to put rows in a table — bare prepared statements
 * on SQLite, multi-row parameterized inserts on PostgreSQL — behind one interface, so that one
 * floor serves both databases.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/** The handful of operations the floor needs, on one connection inside one transaction. */
export interface FloorWriter {
  transaction(fn: () => Promise<void>): Promise<void>;
  insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void>;
  insertReturningId(table: string, columns: readonly string[], row: unknown[]): Promise<number>;
  /** The guarded decrement of an on-hand balance; an emptied balance is deleted. */
  take(lot: string, location: string, quantity: number): Promise<void>;
  /** One statement with `?` placeholders. */
  run(sql: string, parameters: unknown[]): Promise<void>;
  /** The table's rows (or `table where …`'s), for checking that the floor wrote them all. */
  count(table: string): Promise<number>;
}

export const insertSql = (table: string, columns: readonly string[]) =>
  `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;

const TAKE = `update stock_balance set quantity = quantity - ?
  where lot_code = ? and location_code = ? and status = 'on_hand' and quantity >= ? returning quantity`;
const DELETE_EMPTY = `delete from stock_balance
  where lot_code = ? and location_code = ? and status = 'on_hand' and quantity = 0`;

/** better-sqlite3: one prepared statement per table, run once per row. */
export function sqliteWriter(db: BetterSqlite3.Database): FloorWriter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    async transaction(fn) {
      // Immediate, like the service's transactions (src/db/sqlite-dialect.ts).
      db.exec('begin immediate');
      try {
        await fn();
        db.exec('commit');
      } catch (error) {
        db.exec('rollback');
        throw error;
      }
    },
    async insert(table, columns, rows) {
      const statement = prepared(insertSql(table, columns));
      for (const row of rows) statement.run(row);
    },
    async insertReturningId(table, columns, row) {
      return Number(prepared(insertSql(table, columns)).run(row).lastInsertRowid);
    },
    async take(lot, location, quantity) {
      const left = prepared(TAKE).pluck().get(quantity, lot, location, quantity);
      if (left === undefined) throw new Error(`floor: lot ${lot} is short`);
      if (Number(left) === 0) prepared(DELETE_EMPTY).run(lot, location);
    },
    async run(sql, parameters) {
      prepared(sql).run(parameters);
    },
    async count(table) {
      return Number(db.prepare(`select count(*) from ${table}`).pluck().get());
    },
  };
}

// Measured fastest (bench/receive.bench.ts) among 500, 2,000 and 5,000 rows per statement, all
// within PostgreSQL's 65,535-parameter limit.
const PG_ROWS_PER_STATEMENT = 500;

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** node-postgres: multi-row inserts of PG_ROWS_PER_STATEMENT rows. */
export function postgresWriter(client: pg.Client): FloorWriter {
  return {
    async transaction(fn) {
      await client.query('begin');
      try {
        await fn();
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async insert(table, columns, rows) {
      for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
        const batch = rows.slice(start, start + PG_ROWS_PER_STATEMENT);
        const tuples = batch.map(
          (_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
        );
        await client.query(
          `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`,
          batch.flat(),
        );
      }
    },
    async insertReturningId(table, columns, row) {
      const { rows } = await client.query<{ id: string }>(
        `${numbered(insertSql(table, columns))} returning id`,
        row,
      );
      return Number(rows[0]!.id);
    },
    async take(lot, location, quantity) {
      const { rows } = await client.query<{ quantity: string }>(numbered(TAKE), [
        quantity,
        lot,
        location,
        quantity,
      ]);
      if (rows.length === 0) throw new Error(`floor: lot ${lot} is short`);
      if (Number(rows[0]!.quantity) === 0) {
        await client.query(numbered(DELETE_EMPTY), [lot, location]);
      }
    },
    async run(sql, parameters) {
      await client.query(numbered(sql), parameters);
    },
    async count(table) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
      return Number(rows[0]!.n);
    },
  };
}
