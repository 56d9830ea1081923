/**
 * Receiving 100,000 lots in one receiveStock call, against inserting the same rows (object_code,
 * lot, stock_balance, stock_entry) with bare prepared statements in one transaction. Each side gets a
 * fresh, migrated database file. PostgreSQL runs too when a server answers, against COPY FROM
 * STDIN of the same rows (issue 14: ≤ 3× it).
 */
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle, DatabaseOptions } from '../src/db/database.js';
import { newCode } from '../src/domain/code.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { openBenchDatabase, withTempDir, type BenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { insertReceivedLots, receivedLotRows } from './support/floor-columns.js';
import { floorOnPostgres, floorOnSqlite } from './support/floor-run.js';
import type { FloorWriter } from './support/floor-writer.js';
import { connectAdmin, inSchema, PG_URL } from './support/postgres.js';
import {
  line,
  perSecond,
  printOutcome,
  progress,
  seconds,
  times,
  type Outcome,
} from './support/report.js';
import { collectGarbage, timeMs } from './support/timing.js';

const LOTS = 100_000;
const MAX_TIMES_FLOOR = 3;
const RUNS = 2;
/** One unit, in millionths (src/domain/quantity.ts). */
const ONE = 1_000_000;

/** The rows receiveStock writes for LOTS lots. */
function floorRows(part: string, location: string) {
  const operation = newCode();
  const at = new Date().toISOString();
  return Array.from({ length: LOTS }, () =>
    receivedLotRows(operation, at, { code: newCode(), part, location, quantity: ONE }),
  );
}

export const receive: Benchmark = {
  name: 'receive',
  description: `receiveStock of ${LOTS.toLocaleString('en-US')} lots in one call vs bare inserts in one transaction`,
  needsServerBuild: false,
  async run() {
    const outcomes: Outcome[] = [];
    await withTempDir('receive', async (tmp) => {
      await warmUp();
      // Alternating runs, each on a fresh database; the best of each side counts (a neighbour's
      // load on the machine only ever slows a run down).
      const floorRuns: number[] = [];
      const serviceRuns: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        progress(
          `SQLite floor, run ${run + 1} of ${RUNS}: bare prepared statements in one transaction`,
        );
        floorRuns.push(
          await floorOnSqlite(path.join(tmp, `floor-${run}.db`), prepare, floor('SQLite floor')),
        );
        progress(
          `SQLite service, run ${run + 1} of ${RUNS}: receiveStock of ${LOTS.toLocaleString('en-US')} items`,
        );
        serviceRuns.push(await serviceMs({ url: path.join(tmp, `service-${run}.db`) }, 'SQLite'));
      }
      const floorMs = Math.min(...floorRuns);
      const best = Math.min(...serviceRuns);
      const list = (runs: number[]) => runs.map((r) => seconds(r / 1000)).join(', ');
      line(
        `  SQLite: receiveStock ${seconds(best / 1000)} (${perSecond((LOTS * 1000) / best)} lots; runs ${list(serviceRuns)}), floor ${seconds(floorMs / 1000)} (${perSecond((LOTS * 1000) / floorMs)} lots; runs ${list(floorRuns)})`,
      );
      outcomes.push({
        name: `receive ${LOTS / 1000}k lots, SQLite`,
        figure: seconds(best / 1000),
        floor: seconds(floorMs / 1000),
        ratio: times(best, floorMs),
        target: `≤ ${MAX_TIMES_FLOOR}× floor`,
        met: best <= MAX_TIMES_FLOOR * floorMs,
      });

      const onPostgres = await receiveOnPostgres();
      if (onPostgres) outcomes.push(onPostgres);
    });
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/** The floor: the same rows written bare in one transaction (immediate on SQLite, like the service's); in ms. */
function floor(label: string) {
  return async (w: FloorWriter, setup: Setup): Promise<number> => {
    collectGarbage();
    const elapsed = await timeMs(() =>
      w.transaction(async () => {
        await insertReceivedLots(w, floorRows(setup.part, setup.location));
      }),
    );
    await checkCounts(label, (table) => w.count(table));
    return elapsed;
  };
}

/** receiveStock of LOTS items in one call on a fresh database; in ms. */
async function serviceMs(options: DatabaseOptions, dialect: string): Promise<number> {
  const setup = await prepare(options);
  try {
    const items = itemsFor(setup.part, setup.location);
    collectGarbage();
    const elapsed = await timeMs(() => receiveStock(setup.ctx, benchActor, items));
    await checkCountsKysely(`${dialect} service`, setup.handle);
    return elapsed;
  } finally {
    await setup.handle.close();
  }
}

interface Setup extends BenchDatabase {
  part: string;
  location: string;
}

/** A migrated database with one part and one location (not timed). */
async function prepare(options: DatabaseOptions): Promise<Setup> {
  const opened = await openBenchDatabase(options);
  const { ctx } = opened;
  const part = (await createPart(ctx, benchActor, { name: 'Bench device' })).code;
  const location = (await createLocation(ctx, benchActor, { name: 'Bench shelf' })).code;
  return { ...opened, part, location };
}

function itemsFor(part: string, location: string, n = LOTS) {
  return Array.from({ length: n }, () => ({ part, location, quantity: 1 }));
}

/** Compiles the service's code paths on a throwaway database, so neither side runs cold. */
async function warmUp(): Promise<void> {
  const setup = await prepare({ url: ':memory:' });
  await receiveStock(setup.ctx, benchActor, itemsFor(setup.part, setup.location, 5000));
  await setup.handle.close();
}

/** What receiving writes per lot: one row in each (object_code also holds the part and location). */
const COUNTED = ['lot', 'stock_balance', 'stock_entry', "object_code where kind = 'lot'"];

async function checkCounts(label: string, count: (table: string) => Promise<number>) {
  for (const table of COUNTED) {
    const n = await count(table);
    if (n !== LOTS) throw new Error(`${label}: ${table} holds ${n} rows, ${LOTS} expected`);
  }
}

async function checkCountsKysely(label: string, handle: DatabaseHandle): Promise<void> {
  await checkCounts(label, async (table) => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.raw(table)}`.execute(
      handle.db,
    );
    return Number(rows[0]!.n);
  });
}

/** The same comparison on PostgreSQL, each side in a fresh schema dropped afterwards. */
async function receiveOnPostgres(): Promise<Outcome | undefined> {
  const admin = await connectAdmin();
  if (!admin) return undefined;
  try {
    progress('PostgreSQL floor: COPY FROM STDIN in one transaction');
    const floorMs = await inSchema(admin, (schema) =>
      floorOnPostgres(schema, prepare, floor('PostgreSQL floor')),
    );
    progress(`PostgreSQL service: receiveStock of ${LOTS.toLocaleString('en-US')} items`);
    const service = await inSchema(admin, (schema) =>
      serviceMs({ url: PG_URL, schema }, 'PostgreSQL'),
    );
    line(
      `  PostgreSQL: receiveStock ${seconds(service / 1000)} (${perSecond((LOTS * 1000) / service)} lots), floor ${seconds(floorMs / 1000)} (${perSecond((LOTS * 1000) / floorMs)} lots)`,
    );
    return {
      name: `receive ${LOTS / 1000}k lots, PostgreSQL`,
      figure: seconds(service / 1000),
      floor: seconds(floorMs / 1000),
      ratio: times(service, floorMs),
      target: `≤ ${MAX_TIMES_FLOOR}× COPY`,
      met: service <= MAX_TIMES_FLOOR * floorMs,
    };
  } finally {
    await admin.end();
  }
}
