/**
 * Receiving 100,000 lots in one receiveStock call, against inserting the same rows (object_code,
 * lot, stock_balance, stock_entry) with bare prepared statements in one transaction. Each side gets a
 * fresh, migrated database file. PostgreSQL runs too when a server answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { createContext, type Context } from '../src/context.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { newCode } from '../src/domain/code.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import { receiveStock } from '../src/stock/stock.service.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import {
  line,
  perSecond,
  printOutcome,
  progress,
  seconds,
  times,
  type Outcome,
} from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, timeMs } from './support/timing.js';

const LOTS = 100_000;
const MAX_TIMES_FLOOR = 3;
const RUNS = 2;
const PG_URL = process.env.TRACELOT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** One unit, in millionths (src/domain/quantity.ts). */
const ONE = 1_000_000;

export const LOT_COLUMNS = [
  'code',
  'part_code',
  'name',
  'description',
  'comments',
  'expiry',
  'vendor_lot',
  'date_code',
  'order_ref',
  'parent_code',
  'created_at',
  'updated_at',
];
export const OBJECT_CODE_COLUMNS = ['code', 'kind'];
export const BALANCE_COLUMNS = ['lot_code', 'location_code', 'status', 'part_code', 'quantity'];
export const ENTRY_COLUMNS = [
  'operation',
  'type',
  'lot_code',
  'part_code',
  'location_code',
  'status',
  'quantity',
  'note',
  'actor_code',
  'actor_name',
  'created_at',
];

/** The rows receiveStock writes for one item, as positional values per table. */
function rowsOf(operation: string, part: string, location: string, at: string) {
  const code = newCode();
  return {
    objectCode: [code, 'lot'],
    lot: [code, part, '', '', '', null, '', '', '', null, at, at],
    balance: [code, location, 'on_hand', part, ONE],
    entry: [
      operation,
      'received',
      code,
      part,
      location,
      'on_hand',
      ONE,
      '',
      benchActor.code,
      benchActor.name,
      at,
    ],
  };
}

export const insertSql = (table: string, columns: string[]) =>
  `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;

export const receive: Benchmark = {
  name: 'receive',
  description: `receiveStock of ${LOTS.toLocaleString('en-US')} lots in one call vs bare inserts in one transaction`,
  needsServerBuild: false,
  async run() {
    const outcomes: Outcome[] = [];
    const tmp = mkdtempSync(path.join(tmpdir(), 'tracelot-bench-'));
    try {
      await warmUp();
      // Alternating runs, each on a fresh database; the best of each side counts (a neighbour's
      // load on the machine only ever slows a run down).
      const floorRuns: number[] = [];
      const serviceRuns: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        progress(
          `SQLite floor, run ${run + 1} of ${RUNS}: bare prepared statements in one transaction`,
        );
        floorRuns.push(await sqliteFloorMs(path.join(tmp, `floor-${run}.db`)));
        progress(
          `SQLite service, run ${run + 1} of ${RUNS}: receiveStock of ${LOTS.toLocaleString('en-US')} items`,
        );
        serviceRuns.push(await sqliteServiceMs(path.join(tmp, `service-${run}.db`)));
      }
      const floorMs = Math.min(...floorRuns);
      const serviceMs = Math.min(...serviceRuns);
      const list = (runs: number[]) => runs.map((r) => seconds(r / 1000)).join(', ');
      line(
        `  SQLite: receiveStock ${seconds(serviceMs / 1000)} (${perSecond((LOTS * 1000) / serviceMs)} lots; runs ${list(serviceRuns)}), floor ${seconds(floorMs / 1000)} (${perSecond((LOTS * 1000) / floorMs)} lots; runs ${list(floorRuns)})`,
      );
      outcomes.push({
        name: `receive ${LOTS / 1000}k lots, SQLite`,
        figure: seconds(serviceMs / 1000),
        floor: seconds(floorMs / 1000),
        ratio: times(serviceMs, floorMs),
        target: `≤ ${MAX_TIMES_FLOOR}× floor`,
        met: serviceMs <= MAX_TIMES_FLOOR * floorMs,
      });

      const onPostgres = await receiveOnPostgres();
      if (onPostgres) outcomes.push(onPostgres);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/** Bare better-sqlite3: the same rows, prepared statements, one transaction; in ms. */
async function sqliteFloorMs(file: string): Promise<number> {
  const setup = await prepare(openDatabase({ url: file }));
  await setup.handle.close();
  const db = openBareSqlite(file);
  try {
    const statements = {
      objectCode: db.prepare(insertSql('object_code', OBJECT_CODE_COLUMNS)),
      lot: db.prepare(insertSql('lot', LOT_COLUMNS)),
      balance: db.prepare(insertSql('stock_balance', BALANCE_COLUMNS)),
      entry: db.prepare(insertSql('stock_entry', ENTRY_COLUMNS)),
    };
    const insert = db.transaction(() => {
      const operation = newCode();
      const at = new Date().toISOString();
      for (let i = 0; i < LOTS; i++) {
        const rows = rowsOf(operation, setup.part, setup.location, at);
        statements.objectCode.run(rows.objectCode);
        statements.lot.run(rows.lot);
        statements.balance.run(rows.balance);
        statements.entry.run(rows.entry);
      }
    });
    collectGarbage();
    // Immediate, like the service's transactions (src/db/sqlite-dialect.ts).
    const elapsed = await timeMs(() => insert.immediate());
    checkCounts('SQLite floor', (table) =>
      Number(db.prepare(`select count(*) from ${table}`).pluck().get()),
    );
    return elapsed;
  } finally {
    db.close();
  }
}

/** receiveStock of LOTS items in one call on a fresh database file; in ms. */
async function sqliteServiceMs(file: string): Promise<number> {
  const setup = await prepare(openDatabase({ url: file }));
  try {
    const items = itemsFor(setup.part, setup.location);
    collectGarbage();
    const elapsed = await timeMs(() => receiveStock(setup.ctx, benchActor, items));
    await checkCountsKysely('SQLite service', setup.handle);
    return elapsed;
  } finally {
    await setup.handle.close();
  }
}

interface Prepared {
  handle: DatabaseHandle;
  ctx: Context;
  part: string;
  location: string;
}

/** A migrated database with one part and one location (not timed). */
async function prepare(handle: DatabaseHandle): Promise<Prepared> {
  await migrateToLatest(handle.db);
  const ctx = createContext(handle.db);
  const part = (await createPart(ctx, benchActor, { name: 'Bench device' })).code;
  const location = (await createLocation(ctx, benchActor, { name: 'Bench shelf' })).code;
  return { handle, ctx, part, location };
}

function itemsFor(part: string, location: string, n = LOTS) {
  return Array.from({ length: n }, () => ({ part, location, quantity: 1 }));
}

/** Compiles the service's code paths on a throwaway database, so neither side runs cold. */
async function warmUp(): Promise<void> {
  const setup = await prepare(openDatabase({ url: ':memory:' }));
  await receiveStock(setup.ctx, benchActor, itemsFor(setup.part, setup.location, 5000));
  await setup.handle.close();
}

/** What receiving writes per lot: one row in each (object_code also holds the part and location). */
const COUNTED = ['lot', 'stock_balance', 'stock_entry', "object_code where kind = 'lot'"];

function checkCounts(label: string, count: (table: string) => number): void {
  for (const table of COUNTED) {
    const n = count(table);
    if (n !== LOTS) throw new Error(`${label}: ${table} holds ${n} rows, ${LOTS} expected`);
  }
}

async function checkCountsKysely(label: string, handle: DatabaseHandle): Promise<void> {
  const counts = new Map<string, number>();
  for (const table of COUNTED) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.raw(table)}`.execute(
      handle.db,
    );
    counts.set(table, Number(rows[0]!.n));
  }
  checkCounts(label, (table) => counts.get(table)!);
}

/** The same comparison on PostgreSQL, each side in a fresh schema dropped afterwards. */
async function receiveOnPostgres(): Promise<Outcome | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    line(`  PostgreSQL not reachable at ${PG_URL} (${String(error)}): skipped`);
    return undefined;
  }
  const schemas = [0, 1].map(() => `bench_${randomBytes(6).toString('hex')}`);
  try {
    for (const schema of schemas) await admin.query(`create schema ${schema}`);
    const [floorSchema, serviceSchema] = schemas as [string, string];

    progress('PostgreSQL floor: multi-row parameterized inserts in one transaction');
    const floorSetup = await prepare(openDatabase({ url: PG_URL, schema: floorSchema }));
    await floorSetup.handle.close();
    const client = new pg.Client({
      connectionString: PG_URL,
      options: `-c search_path=${floorSchema}`,
    });
    await client.connect();
    collectGarbage();
    const floorMs = await timeMs(async () => {
      const operation = newCode();
      const at = new Date().toISOString();
      const rows = Array.from({ length: LOTS }, () =>
        rowsOf(operation, floorSetup.part, floorSetup.location, at),
      );
      await client.query('begin');
      await insertRows(
        client,
        'object_code',
        OBJECT_CODE_COLUMNS,
        rows.map((r) => r.objectCode),
      );
      await insertRows(
        client,
        'lot',
        LOT_COLUMNS,
        rows.map((r) => r.lot),
      );
      await insertRows(
        client,
        'stock_balance',
        BALANCE_COLUMNS,
        rows.map((r) => r.balance),
      );
      await insertRows(
        client,
        'stock_entry',
        ENTRY_COLUMNS,
        rows.map((r) => r.entry),
      );
      await client.query('commit');
    });
    for (const table of COUNTED) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
      if (Number(rows[0]!.n) !== LOTS) throw new Error(`PostgreSQL floor: ${table} incomplete`);
    }
    await client.end();

    progress(`PostgreSQL service: receiveStock of ${LOTS.toLocaleString('en-US')} items`);
    const serviceSetup = await prepare(openDatabase({ url: PG_URL, schema: serviceSchema }));
    const items = itemsFor(serviceSetup.part, serviceSetup.location);
    collectGarbage();
    const serviceMs = await timeMs(() => receiveStock(serviceSetup.ctx, benchActor, items));
    await checkCountsKysely('PostgreSQL service', serviceSetup.handle);
    await serviceSetup.handle.close();

    line(
      `  PostgreSQL: receiveStock ${seconds(serviceMs / 1000)} (${perSecond((LOTS * 1000) / serviceMs)} lots), floor ${seconds(floorMs / 1000)} (${perSecond((LOTS * 1000) / floorMs)} lots)`,
    );
    return {
      name: `receive ${LOTS / 1000}k lots, PostgreSQL`,
      figure: seconds(serviceMs / 1000),
      floor: seconds(floorMs / 1000),
      ratio: times(serviceMs, floorMs),
      target: `(extra line)`,
      met: undefined,
    };
  } finally {
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

// Measured fastest here among 500, 2,000 and 5,000 rows per statement (all within the 65,535-parameter limit).
const PG_ROWS_PER_STATEMENT = 500;

export async function insertRows(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const size = PG_ROWS_PER_STATEMENT;
  for (let start = 0; start < rows.length; start += size) {
    const batch = rows.slice(start, start + size);
    const tuples = batch.map(
      (_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
    );
    await client.query(
      `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`,
      batch.flat(),
    );
  }
}
