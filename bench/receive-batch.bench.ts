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
import path from 'node:path';
import type { DatabaseOptions } from '../src/db/database.js';
import { newCode } from '../src/domain/code.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import type { BatchRow } from '../src/stock/receive-batch.schemas.js';
import { receiveBatch } from '../src/stock/receive-batch.service.js';
import { openBenchDatabase, withTempDir, type BenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import {
  OBJECT_CODE_COLUMNS,
  insertReceivedLots,
  receivedLotRows,
} from './support/floor-columns.js';
import { floorOnPostgres, floorOnSqlite } from './support/floor-run.js';
import type { FloorWriter } from './support/floor-writer.js';
import { connectAdmin, inSchema, PG_URL } from './support/postgres.js';
import { line, ms, printOutcome, progress, times, type Outcome } from './support/report.js';
import { collectGarbage, timeMs } from './support/timing.js';

const LABELS = 500;
const KNOWN_PARTS = 225;
const NEW_PARTS = 25;
const TARGET_MS = 2_000;
const RUNS = 5;
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

interface Setup extends BenchDatabase {
  location: string;
  /** The known parts' codes, in the order of their Digi-Key numbers. */
  parts: string[];
}

/** A migrated database with a location and KNOWN_PARTS parts with Digi-Key numbers (not timed). */
async function prepare(options: DatabaseOptions): Promise<Setup> {
  const opened = await openBenchDatabase(options);
  const { ctx } = opened;
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
  return { ...opened, location, parts };
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
    return receivedLotRows(
      operation,
      at,
      { code, part, location, quantity },
      { vendorLot: row.lot!.vendorLot, dateCode: '2248', orderRef: row.lot!.orderRef },
    );
  });
  return { created, newParts, suppliers, lots };
}

/** The floor: the same rows written bare in one transaction; in ms. */
async function floorMs(w: FloorWriter, setup: Setup): Promise<number> {
  collectGarbage();
  const elapsed = await timeMs(() =>
    w.transaction(async () => {
      const rows = floorRows(setup.parts, setup.location);
      await w.insert(
        'object_code',
        OBJECT_CODE_COLUMNS,
        rows.created.map((c) => [c, 'part']),
      );
      await w.insert('part', PART_COLUMNS, rows.newParts);
      await w.insert('supplier_part', SUPPLIER_COLUMNS, rows.suppliers);
      await insertReceivedLots(w, rows.lots);
    }),
  );
  const lots = await w.count('lot');
  if (lots !== LABELS) throw new Error(`floor: ${lots} lots, ${LABELS} expected`);
  return elapsed;
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

/** The receipt on a fresh database; in ms. */
async function freshServiceMs(options: DatabaseOptions): Promise<number> {
  const setup = await prepare(options);
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
    await withTempDir('receive-batch', async (tmp) => {
      // Compiles the code paths on a throwaway database, so neither side runs cold.
      const warm = await prepare({ url: ':memory:' });
      await serviceMs(warm);
      await warm.handle.close();
      const floorRuns: number[] = [];
      const serviceRuns: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        progress(`SQLite, run ${run + 1} of ${RUNS}`);
        floorRuns.push(await floorOnSqlite(path.join(tmp, `floor-${run}.db`), prepare, floorMs));
        serviceRuns.push(await freshServiceMs({ url: path.join(tmp, `service-${run}.db`) }));
      }
      outcomes.push(outcome('SQLite', Math.min(...serviceRuns), Math.min(...floorRuns)));
      const list = (runs: number[]) => runs.map((r) => ms(r)).join(', ');
      line(`  SQLite runs: service ${list(serviceRuns)}; floor ${list(floorRuns)}`);
      const onPostgres = await onPostgresOutcome();
      if (onPostgres) outcomes.push(onPostgres);
    });
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

/** The same on PostgreSQL: COPY FROM STDIN for the floor, each side in a fresh schema. */
async function onPostgresOutcome(): Promise<Outcome | undefined> {
  const admin = await connectAdmin();
  if (!admin) return undefined;
  try {
    const floorRuns: number[] = [];
    const serviceRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      progress(`PostgreSQL, run ${run + 1} of ${RUNS}`);
      floorRuns.push(await inSchema(admin, (schema) => floorOnPostgres(schema, prepare, floorMs)));
      serviceRuns.push(await inSchema(admin, (schema) => freshServiceMs({ url: PG_URL, schema })));
    }
    const list = (runs: number[]) => runs.map((r) => ms(r)).join(', ');
    line(`  PostgreSQL runs: service ${list(serviceRuns)}; floor ${list(floorRuns)}`);
    return outcome('PostgreSQL', Math.min(...serviceRuns), Math.min(...floorRuns));
  } finally {
    await admin.end();
  }
}
