/**
 * A batch receipt of 500 scanned bag labels in one commit (POST /stock/receive-batch's service
 * call): 450 labels of parts found by their Digi-Key number, 50 of 25 new parts created from
 * the rows (two bags each, listed under their Mouser number). Against it, the floor: the same
 * rows — lots, their codes, balances and ledger entries, and the new parts with their codes and
 * supplier numbers — inserted with bare prepared statements in one transaction (not the change
 * log, nor the lookups: the ratio includes what finding the parts and logging the change cost).
 * Runs alternate on fresh database files; the best of each side counts. PostgreSQL runs too
 * when a server answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createContext, type Context } from '../src/context.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { newCode } from '../src/domain/code.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import type { BatchRow } from '../src/stock/receive-batch.schemas.js';
import { receiveBatch } from '../src/stock/receive-batch.service.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { line, ms, printOutcome, progress, times, type Outcome } from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, timeMs } from './support/timing.js';
import {
  BALANCE_COLUMNS,
  ENTRY_COLUMNS,
  LOT_COLUMNS,
  OBJECT_CODE_COLUMNS,
  insertRows,
  insertSql,
} from './receive.bench.js';

const LABELS = 500;
const KNOWN_PARTS = 225;
const NEW_PARTS = 25;
const TARGET_MS = 2_000;
const RUNS = 5;
const PG_URL = process.env.TRACELOT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PART_COLUMNS = [
  'code',
  'name',
  'description',
  'manufacturer',
  'mpn',
  'kind',
  'unit',
  'archived',
  'created_at',
  'updated_at',
  'gtin',
];
const SUPPLIER_COLUMNS = ['part_code', 'supplier', 'sku', 'created_at'];

interface Setup {
  handle: DatabaseHandle;
  ctx: Context;
  location: string;
  /** The known parts' codes, in the order of their Digi-Key numbers. */
  parts: string[];
}

/** A migrated database with a location and KNOWN_PARTS parts with Digi-Key numbers (not timed). */
async function prepare(handle: DatabaseHandle): Promise<Setup> {
  await migrateToLatest(handle.db);
  const ctx = createContext(handle.db);
  const location = (await createLocation(ctx, benchActor, { name: 'Receiving' })).code;
  const parts: string[] = [];
  for (let i = 0; i < KNOWN_PARTS; i++) {
    const part = await createPart(ctx, benchActor, {
      name: `Part ${i}`,
      mpn: `MPN-${i}`,
      suppliers: [{ supplier: 'Digi-Key', sku: `296-${i}-ND` }],
    });
    parts.push(part.code);
  }
  return { handle, ctx, location, parts };
}

/** What 500 scanned labels pre-fill: supplier, numbers, quantity, lot, date code, order. */
function scannedRows(): BatchRow[] {
  const rows: BatchRow[] = [];
  for (let i = 0; i < LABELS - 2 * NEW_PARTS; i++) {
    const k = i % KNOWN_PARTS;
    rows.push(label('Digi-Key', `296-${k}-ND`, `MPN-${k}`, i));
  }
  for (let i = 0; i < 2 * NEW_PARTS; i++) {
    const k = Math.floor(i / 2);
    rows.push({ ...label('Mouser', `595-NEW-${k}`, `NEW-${k}`, i), createPart: true });
  }
  return rows;
}

function label(supplier: string, sku: string, mpn: string, i: number): BatchRow {
  return {
    supplier,
    sku,
    mpn,
    quantity: String(100 + i),
    lot: { vendorLot: `L${i}`, dateCode: '2248', orderRef: `PO-${i}` },
  };
}

/** The rows the receipt writes, as positional values per table (`parts`: the known ones). */
function floorRows(parts: string[], location: string) {
  const at = new Date().toISOString();
  const operation = newCode();
  const created = Array.from({ length: NEW_PARTS }, () => newCode());
  const newParts = created.map((code, k) => [
    code,
    `NEW-${k}`,
    '',
    '',
    `NEW-${k}`,
    'component',
    'pcs',
    0,
    at,
    at,
    null,
  ]);
  const suppliers = created.map((code, k) => [code, 'Mouser', `595-NEW-${k}`, at]);
  const lots = scannedRows().map((row, i) => {
    const code = newCode();
    const known = i < LABELS - 2 * NEW_PARTS;
    const part = known
      ? parts[i % KNOWN_PARTS]!
      : created[Math.floor((i - (LABELS - 2 * NEW_PARTS)) / 2)]!;
    const quantity = Number(row.quantity) * 1_000_000;
    return {
      objectCode: [code, 'lot'],
      lot: [
        code,
        part,
        '',
        '',
        '',
        null,
        row.lot!.vendorLot,
        '2248',
        row.lot!.orderRef,
        null,
        at,
        at,
      ],
      balance: [code, location, 'on_hand', part, quantity],
      entry: [
        operation,
        'received',
        code,
        part,
        location,
        'on_hand',
        quantity,
        '',
        null,
        'bench',
        at,
      ],
    };
  });
  return { created, newParts, suppliers, lots };
}

async function sqliteFloorMs(file: string): Promise<number> {
  const setup = await prepare(openDatabase({ url: file }));
  const { parts, location } = setup;
  await setup.handle.close();
  const db = openBareSqlite(file);
  try {
    const s = {
      objectCode: db.prepare(insertSql('object_code', OBJECT_CODE_COLUMNS)),
      part: db.prepare(insertSql('part', PART_COLUMNS)),
      supplier: db.prepare(insertSql('supplier_part', SUPPLIER_COLUMNS)),
      lot: db.prepare(insertSql('lot', LOT_COLUMNS)),
      balance: db.prepare(insertSql('stock_balance', BALANCE_COLUMNS)),
      entry: db.prepare(insertSql('stock_entry', ENTRY_COLUMNS)),
    };
    const insert = db.transaction(() => {
      const rows = floorRows(parts, location);
      for (const code of rows.created) s.objectCode.run([code, 'part']);
      for (const p of rows.newParts) s.part.run(p);
      for (const p of rows.suppliers) s.supplier.run(p);
      for (const r of rows.lots) {
        s.objectCode.run(r.objectCode);
        s.lot.run(r.lot);
        s.balance.run(r.balance);
        s.entry.run(r.entry);
      }
    });
    collectGarbage();
    const elapsed = await timeMs(() => insert.immediate());
    const lots = Number(db.prepare('select count(*) from lot').pluck().get());
    if (lots !== LABELS) throw new Error(`SQLite floor: ${lots} lots, ${LABELS} expected`);
    return elapsed;
  } finally {
    db.close();
  }
}

async function serviceMs(setup: Setup): Promise<number> {
  const rows = scannedRows();
  collectGarbage();
  let created = 0;
  const elapsed = await timeMs(async () => {
    const result = await receiveBatch(setup.ctx, benchActor, { location: setup.location, rows });
    created = result.createdParts.length;
    if (result.lots.length !== LABELS) throw new Error(`${result.lots.length} lots received`);
  });
  if (created !== NEW_PARTS) throw new Error(`${created} parts created, ${NEW_PARTS} expected`);
  return elapsed;
}

async function sqliteServiceMs(file: string): Promise<number> {
  const setup = await prepare(openDatabase({ url: file }));
  try {
    return await serviceMs(setup);
  } finally {
    await setup.handle.close();
  }
}

export const receiveBatchBench: Benchmark = {
  name: 'receive-batch',
  description: `a batch receipt of ${LABELS} scanned bag labels (${NEW_PARTS} new parts) in one commit vs bare inserts of the same rows`,
  needsServerBuild: false,
  async run() {
    const outcomes: Outcome[] = [];
    const tmp = mkdtempSync(path.join(tmpdir(), 'tracelot-bench-'));
    try {
      // Compiles the code paths on a throwaway database, so neither side runs cold.
      const warm = await prepare(openDatabase({ url: ':memory:' }));
      await serviceMs(warm);
      await warm.handle.close();
      const floorRuns: number[] = [];
      const serviceRuns: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        progress(`SQLite, run ${run + 1} of ${RUNS}`);
        floorRuns.push(await sqliteFloorMs(path.join(tmp, `floor-${run}.db`)));
        serviceRuns.push(await sqliteServiceMs(path.join(tmp, `service-${run}.db`)));
      }
      outcomes.push(outcome('SQLite', Math.min(...serviceRuns), Math.min(...floorRuns)));
      const list = (runs: number[]) => runs.map((r) => ms(r)).join(', ');
      line(`  SQLite runs: service ${list(serviceRuns)}; floor ${list(floorRuns)}`);
      const onPostgres = await onPostgresOutcome();
      if (onPostgres) outcomes.push(onPostgres);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

function outcome(dialect: string, service: number, floor: number): Outcome {
  return {
    name: `receive ${LABELS} scanned labels in one commit, ${dialect}`,
    figure: ms(service),
    floor: ms(floor),
    ratio: times(service, floor),
    target: `< ${TARGET_MS / 1000} s`,
    met: service < TARGET_MS,
  };
}

/** The same on PostgreSQL: multi-row inserts for the floor, each side in a fresh schema. */
async function onPostgresOutcome(): Promise<Outcome | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    line(`  PostgreSQL not reachable at ${PG_URL} (${String(error)}): skipped`);
    return undefined;
  }
  const schemas: string[] = [];
  const fresh = async () => {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    await admin.query(`create schema ${schema}`);
    return schema;
  };
  try {
    const floorRuns: number[] = [];
    const serviceRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      progress(`PostgreSQL, run ${run + 1} of ${RUNS}`);
      const floorSchema = await fresh();
      const floorSetup = await prepare(openDatabase({ url: PG_URL, schema: floorSchema }));
      await floorSetup.handle.close();
      const client = new pg.Client({
        connectionString: PG_URL,
        options: `-c search_path=${floorSchema}`,
      });
      await client.connect();
      collectGarbage();
      floorRuns.push(
        await timeMs(async () => {
          const rows = floorRows(floorSetup.parts, floorSetup.location);
          await client.query('begin');
          await insertRows(client, 'object_code', OBJECT_CODE_COLUMNS, [
            ...rows.created.map((c) => [c, 'part']),
            ...rows.lots.map((r) => r.objectCode),
          ]);
          await insertRows(client, 'part', PART_COLUMNS, rows.newParts);
          await insertRows(client, 'supplier_part', SUPPLIER_COLUMNS, rows.suppliers);
          await insertRows(
            client,
            'lot',
            LOT_COLUMNS,
            rows.lots.map((r) => r.lot),
          );
          await insertRows(
            client,
            'stock_balance',
            BALANCE_COLUMNS,
            rows.lots.map((r) => r.balance),
          );
          await insertRows(
            client,
            'stock_entry',
            ENTRY_COLUMNS,
            rows.lots.map((r) => r.entry),
          );
          await client.query('commit');
        }),
      );
      await client.end();
      const setup = await prepare(openDatabase({ url: PG_URL, schema: await fresh() }));
      try {
        serviceRuns.push(await serviceMs(setup));
      } finally {
        await setup.handle.close();
      }
    }
    const list = (runs: number[]) => runs.map((r) => ms(r)).join(', ');
    line(`  PostgreSQL runs: service ${list(serviceRuns)}; floor ${list(floorRuns)}`);
    return { ...outcome('PostgreSQL', Math.min(...serviceRuns), Math.min(...floorRuns)) };
  } finally {
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}
