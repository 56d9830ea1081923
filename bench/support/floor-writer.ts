/**
 * What the floors write with: the barest way to put rows in a table — bare prepared statements
 * on SQLite, COPY FROM STDIN on PostgreSQL — behind one interface, so that one floor serves both
 * databases.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { NUMBERED, SYNCED } from '../../src/db/synced-tables.js';
import { newCode } from '../../src/domain/code.js';

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
  let change = newCode();
  return {
    async transaction(fn) {
      change = newCode();
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
      const { all, extra } = versioned(table, columns, change);
      const statement = prepared(insertSql(table, all));
      for (const row of rows)
        statement.run(extra.length ? [...row, ...extra.map((f) => f())] : row);
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

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A value in COPY's text format: \N for null; backslash, tab, newline and return escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/**
 * The columns a floor's insert writes, and the values it adds to each row: what the change
 * log's plugin adds to a service's insert into a synced table — the id of the change (here one
 * per floor transaction), and a fresh uid per row of a numbered table — so that a floor writes
 * the same rows as the service, not narrower ones.
 */
function versioned(table: string, columns: readonly string[], change: string) {
  const extra: (() => string)[] = [];
  const all = [...columns];
  if (SYNCED.has(table) && !columns.includes('change_id')) {
    all.push('change_id');
    extra.push(() => change);
  }
  if (NUMBERED.has(table) && !columns.includes('uid')) {
    all.push('uid');
    extra.push(newCode);
  }
  return { all, extra };
}

/** Rows of COPY text per chunk written to the stream. */
const COPY_CHUNK_ROWS = 1000;

/**
 * COPY FROM STDIN of `rows` into `table` on `client` (pg-copy-streams), in COPY's text format:
 * PostgreSQL's own bulk load, the floor of issue 14.
 */
async function copyRows(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  change: string,
): Promise<void> {
  if (rows.length === 0) return;
  const { all, extra } = versioned(table, columns, change);
  function* text() {
    for (let start = 0; start < rows.length; start += COPY_CHUNK_ROWS) {
      let chunk = '';
      for (const row of rows.slice(start, start + COPY_CHUNK_ROWS)) {
        chunk += row.map(copyValue).join('\t');
        for (const value of extra) chunk += `\t${value()}`;
        chunk += '\n';
      }
      yield chunk;
    }
  }
  await pipeline(
    Readable.from(text()),
    client.query(copyFrom(`copy ${table} (${all.join(', ')}) from stdin`)),
  );
}

/** node-postgres: COPY FROM STDIN for inserts, in one transaction of the floor's connection. */
export function postgresWriter(client: pg.Client): FloorWriter {
  // The id the rows of a transaction name, as the service's rows name their change record.
  let change = newCode();
  return {
    async transaction(fn) {
      change = newCode();
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
      await copyRows(client, table, columns, rows, change);
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
