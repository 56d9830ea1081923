/**
 * Traceability on a database of 1,000,000 units across three levels of sub-assemblies
 * (issue 3): recall (forward trace) of one supplier reel, target < 100 ms, and backward trace of
 * one product, target < 10 ms — each through the service (src/trace/trace.service.ts) against
 * its floor: the very statement the service sends, run bare (a better-sqlite3 prepared
 * statement; on PostgreSQL a named pg statement with the same plan settings). A third,
 * informational line recalls a lot consumed for whole builds (every unit of two module builds).
 *
 * The database is made through the real services (receiveStock, startBuild, completeStage,
 * finishBuild, installUnit; projects and BOMs are written straight into their tables, like the
 * test factories) and cached under bench/.data/. Per group of 5,000 products:
 * - 2 module builds of 5,000 units: stage 1 (resistor 2/unit from reels of 5,000, cap and MCU
 *   from reels that span completions) completed for units 1–2,500 and 2,501–5,000; stage 2
 *   (coating, one lot for two builds) for all units at once: build-scoped;
 * - 1 harness build (not serialized): one output lot of 5,000, from a wire reel;
 * - 1 board build of 5,000 units: stage 1 (connector reels, the harness lot) in two halves,
 *   two modules installed in each board;
 * - 1 product build of 5,000 units: stage 1 (enclosures, screws) for all, one board installed
 *   in each product.
 * 250,000 products + 250,000 boards + 500,000 modules = 1,000,000 units.
 * PostgreSQL gets a copy of the rows the services wrote (the tables a trace reads), cached in
 * its own schema.
 */
import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { finishBuild, startBuild } from '../src/builds/build.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { installUnit } from '../src/builds/installation.service.js';
import { createContext, type Context } from '../src/context.js';
import {
  migrateToLatest,
  openDatabase,
  SQLITE_FILE,
  type Database,
  type DatabaseHandle,
} from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import type { DB } from '../src/db/schema.js';
import { sqliteDialect } from '../src/db/sqlite-dialect.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import type { ReceiveItem } from '../src/stock/stock.schemas.js';
import { checkLedger, receiveStock } from '../src/stock/stock.service.js';
import { TRAVERSAL_PLAN_SQL } from '../src/trace/trace.repository.js';
import { traceBackward, traceForward } from '../src/trace/trace.service.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { DATA_ROOT } from './support/paths.js';
import { connectAdmin, PG_URL } from './support/postgres.js';
import {
  line,
  ms,
  printOutcome,
  progress,
  seconds,
  times,
  type Outcome,
} from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, median } from './support/timing.js';
import { makeProject } from '../test/support/build-factories.js';

/** Raise when the content built below changes, so cached databases are rebuilt. */
const DATASET_VERSION = 2;
/** Products (each holds a board holding two modules): 4 units each. */
const PRODUCTS = Number(process.env.TRACELOT_BENCH_TRACE_PRODUCTS ?? 250_000);
const BUILD_UNITS = 5_000;
const HALF = BUILD_UNITS / 2;
const RECALL_MAX_MS = 100;
const TRACE_MAX_MS = 10;
const SAMPLES = 20;
/** Timed calls of each side (after WARMUP untimed ones), alternating floor and service. */
const RUNS = 30;
const WARMUP = 3;

interface Meta {
  products: number;
  units: number;
  migrations: string[];
  buildSeconds: number;
  /** Parts whose lots are sampled. */
  parts: { resistor: string; coating: string; product: string };
}

export const trace: Benchmark = {
  name: 'trace',
  description: `recall of a reel and backward trace of a product on ${(PRODUCTS * 4).toLocaleString('en-US')} units in three levels vs the same statements bare`,
  needsServerBuild: false,
  async run() {
    const { dir, meta } = await traceDataset();
    line(
      `  database: ${meta.units.toLocaleString('en-US')} units (${meta.products.toLocaleString('en-US')} products, as many boards, twice as many modules), made through the services in ${seconds(meta.buildSeconds)}; ${dir}`,
    );
    const outcomes: Outcome[] = [];
    const handle = openDatabase({ dataDir: dir });
    const bare = openBareSqlite(path.join(dir, SQLITE_FILE), { readonly: true });
    try {
      const samples = sampleCodes(bare, meta);
      outcomes.push(...(await measureSqlite(handle.db, bare, samples)));
    } finally {
      bare.close();
      await handle.close();
    }
    const onPostgres = await measurePostgres(dir, meta);
    outcomes.push(...onPostgres);
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

interface Samples {
  reels: string[];
  products: string[];
  coating: string[];
}

/** Random resistor reels (each went into 2,500 modules), products, and coating lots. */
function sampleCodes(bare: ReturnType<typeof openBareSqlite>, meta: Meta): Samples {
  const lotsOf = (part: string) =>
    bare
      .prepare(
        'select code from lot where part_code = ? and code in (select lot_code from consumption)',
      )
      .pluck()
      .all(part) as string[];
  const pick = (codes: string[], n: number) =>
    Array.from({ length: n }, () => codes[randomInt(codes.length)]!);
  const products = bare
    .prepare('select code from lot where part_code = ? and build_serial = ?')
    .pluck();
  return {
    reels: pick(lotsOf(meta.parts.resistor), SAMPLES),
    coating: pick(lotsOf(meta.parts.coating), 4),
    products: Array.from(
      { length: SAMPLES },
      () => products.get(meta.parts.product, randomInt(1, BUILD_UNITS + 1)) as string,
    ),
  };
}

/** The SQL and parameters a service call sends, caught by a Kysely query log. */
async function capturedQueries(
  sqlite: ReturnType<typeof openBareSqlite>,
  call: (ctx: Context) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: sqliteDialect(sqlite),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await call(createContext(db));
  return captured;
}

/** The recursive statement among a call's queries; its one parameter is the root. */
function recursive(queries: CompiledQuery[], root: string): { sql: string } {
  const query = queries.find((q) => q.sql.startsWith('with recursive'));
  if (!query || query.parameters.length !== 1 || query.parameters[0] !== root) {
    throw new Error('expected one recursive statement with the root as its only parameter');
  }
  return { sql: query.sql };
}

async function measureSqlite(
  db: Database,
  bare: ReturnType<typeof openBareSqlite>,
  samples: Samples,
): Promise<Outcome[]> {
  const ctx = createContext(db);
  const outcomes: Outcome[] = [];
  const first = await traceForward(ctx, samples.reels[0]!);
  const found = (codes: string[]) => Promise.all(codes.map((c) => traceForward(ctx, c)));
  const sizes = (await found(samples.reels)).map((r) => r.counts.units);
  line(
    `  recall of a resistor reel: ${first.counts.units.toLocaleString('en-US')} units found (${first.counts.byLevel.map((l) => `level ${l.level}: ${l.units}`).join(', ')}); over ${SAMPLES} reels ${Math.min(...sizes)}–${Math.max(...sizes)}`,
  );

  const recallSql = recursive(
    await capturedQueries(bare, (c) => traceForward(c, samples.reels[0]!)),
    samples.reels[0]!,
  );
  const recallStatement = bare.prepare(recallSql.sql);
  const traceSql = recursive(
    await capturedQueries(bare, (c) => traceBackward(c, samples.products[0]!)),
    samples.products[0]!,
  );
  const traceStatement = bare.prepare(traceSql.sql);

  progress('SQLite recall: bare statement and service, alternately');
  const [recallFloor, recallService] = await alternate(
    (code) => recallStatement.all(code),
    (code) => traceForward(ctx, code),
    samples.reels,
  );
  outcomes.push(
    latency('trace recall of a reel, SQLite', recallService, recallFloor, RECALL_MAX_MS),
  );

  progress('SQLite backward trace: bare statement and service, alternately');
  const [traceFloor, traceService] = await alternate(
    (code) => traceStatement.all(code),
    (code) => traceBackward(ctx, code),
    samples.products,
  );
  const tree = await traceBackward(ctx, samples.products[0]!);
  line(
    `  backward trace of a product: ${tree.counts.nodes} nodes (${tree.counts.units} units, ${tree.counts.supplierLots} supplier lots), ${tree.counts.depth} levels`,
  );
  outcomes.push(
    latency('trace backward of a product, SQLite', traceService, traceFloor, TRACE_MAX_MS),
  );

  const coating = await traceForward(ctx, samples.coating[0]!);
  progress('SQLite recall of a build-scoped lot (information)');
  const [coatingFloor, coatingService] = await alternate(
    (code) => recallStatement.all(code),
    (code) => traceForward(ctx, code),
    samples.coating,
    8,
  );
  line(
    `  recall of a coating lot (consumed for whole builds): ${coating.counts.units.toLocaleString('en-US')} units, all build-scoped`,
  );
  outcomes.push(
    latency(
      `  (recall of ${coating.counts.units.toLocaleString('en-US')} units, SQLite)`,
      coatingService,
      coatingFloor,
    ),
  );
  return outcomes;
}

/**
 * Median milliseconds of the floor and of the service, called alternately on the sample codes
 * (a neighbour's load on the machine falls on both alike), after a few untimed calls of each.
 */
async function alternate(
  floor: (code: string) => unknown,
  service: (code: string) => Promise<unknown>,
  codes: string[],
  runs = RUNS,
): Promise<[number, number]> {
  for (let i = 0; i < WARMUP; i++) {
    await floor(codes[i % codes.length]!);
    await service(codes[i % codes.length]!);
  }
  const floorMs: number[] = [];
  const serviceMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const code = codes[i % codes.length]!;
    collectGarbage();
    let start = performance.now();
    await floor(code);
    floorMs.push(performance.now() - start);
    start = performance.now();
    await service(code);
    serviceMs.push(performance.now() - start);
  }
  return [median(floorMs), median(serviceMs)];
}

function latency(name: string, service: number, floor: number, maxMs?: number): Outcome {
  return {
    name,
    figure: ms(service),
    floor: ms(floor),
    ratio: times(service, floor),
    target: maxMs === undefined ? '-' : `< ${maxMs} ms`,
    met: maxMs === undefined ? undefined : service < maxMs,
  };
}

// ---------------------------------------------------------------------------------------------
// The dataset

async function traceDataset(): Promise<{ dir: string; meta: Meta }> {
  if (PRODUCTS % BUILD_UNITS !== 0)
    throw new Error(`products must be a multiple of ${BUILD_UNITS}`);
  const key = createHash('sha256').update(`${DATASET_VERSION}`).digest('hex').slice(0, 12);
  const dir = path.join(DATA_ROOT, `trace-${PRODUCTS * 4}-${key}`);
  const metaFile = path.join(dir, 'meta.json');
  if (!existsSync(metaFile)) await buildDataset(dir);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
  // A cached database is brought to the latest schema by the migrations, as a user's would be
  // on upgrading (a million units take half an hour or more to make through the services).
  const handle = openDatabase({ dataDir: dir });
  try {
    const ran = await migrateToLatest(handle.db);
    if (ran.length > 0) {
      progress(`migrated the cached database: ${ran.join(', ')}`);
      meta.migrations = Object.keys(migrations);
      writeFileSync(metaFile, JSON.stringify(meta, null, 2));
    }
  } finally {
    await handle.close();
  }
  return { dir, meta };
}

async function buildDataset(dir: string): Promise<void> {
  // Built beside its final place and renamed when complete: an interrupted build is never used.
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const groups = PRODUCTS / BUILD_UNITS;
  line(
    `  Building a database of ${(PRODUCTS * 4).toLocaleString('en-US')} units through the services in ${building} (cached; the first run takes a while)`,
  );
  const handle = openDatabase({ dataDir: building });
  const start = performance.now();
  try {
    await migrateToLatest(handle.db);
    const ctx = createContext(handle.db);
    const a = benchActor;
    const part = async (name: string, mpn: string) =>
      (await createPart(ctx, a, { name, mpn, manufacturer: 'Bench' })).code;
    const resistor = await part('Resistor 10k 0603', 'RC0603FR-0710KL');
    const cap = await part('Capacitor 100n 0402', 'GRM155R71C104KA88D');
    const mcu = await part('MCU', 'STM32G031K8T6');
    const coating = await part('Conformal coating', 'HumiSeal 1B31');
    const wire = await part('Wire AWG24', 'UL1007-24');
    const connector = await part('Connector 2x5', 'FTSH-105-01');
    const enclosure = await part('Enclosure', 'ENC-100');
    const screw = await part('Screw M3x6', 'ISO7380-M3x6');
    const line_ = (await createLocation(ctx, a, { name: 'Bench line' })).code;
    const store = (await createLocation(ctx, a, { name: 'Bench store' })).code;
    const module = await makeProject(
      ctx,
      [
        { part: resistor, perUnit: 2, stage: 1 },
        { part: cap, perUnit: 1, stage: 1 },
        { part: mcu, perUnit: 1, stage: 1 },
        { part: coating, perUnit: 1, stage: 2 },
      ],
      'Bench module',
    );
    const harness = await makeProject(ctx, [{ part: wire, perUnit: 1, stage: 1 }], 'Bench harness');
    const board = await makeProject(
      ctx,
      [
        { part: module.part, perUnit: 2, stage: 2 },
        { part: connector, perUnit: 1, stage: 1 },
        { part: harness.part, perUnit: 1, stage: 1 },
      ],
      'Bench board',
    );
    const product = await makeProject(
      ctx,
      [
        { part: board.part, perUnit: 1, stage: 2 },
        { part: enclosure, perUnit: 1, stage: 1 },
        { part: screw, perUnit: 4, stage: 1 },
      ],
      'Bench product',
    );

    const serials = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const units = async (build: string) =>
      (await listBuildUnits(ctx, build, { limit: BUILD_UNITS })).items.map((u) => u.code);
    const installNote = 'stage 2 is the installation of sub-assemblies';
    for (let g = 0; g < groups; g++) {
      // What the group needs, received as supplier lots; reels that do not divide the need
      // carry over into the next group's completions (FIFO).
      const week = String((g % 52) + 1).padStart(2, '0');
      const items: ReceiveItem[] = [];
      const receive = (p: string, quantity: number, count: number, prefix: string) => {
        for (let i = 0; i < count; i++) {
          items.push({
            part: p,
            location: store,
            quantity,
            lot: { vendorLot: `${prefix}-${g}-${i}`, dateCode: `25${week}`, orderRef: `PO-${g}` },
          });
        }
      };
      receive(resistor, 2 * HALF, 4, 'R');
      receive(cap, 4_000, g % 2 === 0 ? 3 : 2, 'C');
      receive(mcu, 3_000, g % 3 === 2 ? 3 : 4, 'U');
      receive(coating, 2 * BUILD_UNITS, 1, 'CT');
      if (g % 4 === 0) receive(wire, 4 * BUILD_UNITS, 1, 'W');
      receive(connector, HALF, 2, 'J');
      receive(enclosure, BUILD_UNITS, 1, 'E');
      receive(screw, 10_000, 2, 'S');
      await receiveStock(ctx, a, items);

      const modules: string[] = [];
      for (let m = 0; m < 2; m++) {
        const build = await startBuild(ctx, a, {
          project: module.code,
          quantity: BUILD_UNITS,
          location: line_,
        });
        await completeStage(ctx, a, build.code, 1, { units: serials(1, HALF) });
        await completeStage(ctx, a, build.code, 1, { units: serials(HALF + 1, BUILD_UNITS) });
        await completeStage(ctx, a, build.code, 2, {});
        await finishBuild(ctx, a, build.code, {});
        modules.push(...(await units(build.code)));
      }
      await startBuild(ctx, a, {
        project: harness.code,
        quantity: BUILD_UNITS,
        serialized: false,
        location: line_,
        run: true,
      });
      const boardBuild = await startBuild(ctx, a, {
        project: board.code,
        quantity: BUILD_UNITS,
        location: line_,
      });
      await completeStage(ctx, a, boardBuild.code, 1, { units: serials(1, HALF) });
      await completeStage(ctx, a, boardBuild.code, 1, { units: serials(HALF + 1, BUILD_UNITS) });
      const boards = await units(boardBuild.code);
      for (let i = 0; i < boards.length; i++) {
        await installUnit(ctx, a, { child: modules[2 * i]!, parent: boards[i]! });
        await installUnit(ctx, a, { child: modules[2 * i + 1]!, parent: boards[i]! });
      }
      await finishBuild(ctx, a, boardBuild.code, { allowIncomplete: true, note: installNote });
      const productBuild = await startBuild(ctx, a, {
        project: product.code,
        quantity: BUILD_UNITS,
        location: line_,
      });
      await completeStage(ctx, a, productBuild.code, 1, {});
      const products = await units(productBuild.code);
      for (let i = 0; i < products.length; i++) {
        await installUnit(ctx, a, { child: boards[i]!, parent: products[i]! });
      }
      await finishBuild(ctx, a, productBuild.code, { allowIncomplete: true, note: installNote });
      const elapsed = (performance.now() - start) / 1000;
      progress(
        `group ${g + 1} of ${groups}: ${((g + 1) * BUILD_UNITS * 4).toLocaleString('en-US')} units, ${elapsed.toFixed(0)} s (about ${((elapsed / (g + 1)) * (groups - g - 1)).toFixed(0)} s to go)`,
      );
    }
    progress('checking the ledger');
    const check = await checkLedger(ctx);
    if (!check.ok)
      throw new Error(`the ledger check failed: ${JSON.stringify(check.mismatches[0])}`);
    const meta: Meta = {
      products: PRODUCTS,
      units: PRODUCTS * 4,
      migrations: Object.keys(migrations),
      buildSeconds: (performance.now() - start) / 1000,
      parts: { resistor, coating, product: product.part },
    };
    writeFileSync(path.join(building, 'meta.json'), JSON.stringify(meta, null, 2));
  } finally {
    await handle.close();
  }
  // The planner's statistics, as a server that has run for a while would have them.
  const bare = openBareSqlite(path.join(building, SQLITE_FILE));
  bare.exec('analyze');
  bare.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a copy of the rows, measured the same way

/** The tables a trace reads, parents first (foreign keys). */
const COPIED: { table: string; identity?: boolean }[] = [
  { table: 'part' },
  { table: 'location' },
  { table: 'project' },
  { table: 'build' },
  { table: 'lot' },
  { table: 'object_code' },
  { table: 'stock_balance' },
  { table: 'completion', identity: true },
  { table: 'completion_range' },
  { table: 'consumption', identity: true },
  { table: 'installation', identity: true },
];

async function measurePostgres(dir: string, meta: Meta): Promise<Outcome[]> {
  const admin = await connectAdmin();
  if (!admin) return [];
  const schema = `bench_${path.basename(dir).replace(/[^a-z0-9]/g, '_')}`;
  let handle: DatabaseHandle | undefined;
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  try {
    const ready = await admin.query(
      `select 1 from information_schema.tables where table_schema = $1 and table_name = 'bench_copied'`,
      [schema],
    );
    if (ready.rowCount === 0) await copyToPostgres(admin, dir, schema);
    handle = openDatabase({ url: PG_URL, schema });
    if ((await migrateToLatest(handle.db)).length > 0) {
      for (const { table } of COPIED) await admin.query(`analyze ${schema}.${table}`);
    }
    await client.connect();
    const bare = openBareSqlite(path.join(dir, SQLITE_FILE), { readonly: true });
    let samples: Samples;
    try {
      samples = sampleCodes(bare, meta);
    } finally {
      bare.close();
    }
    return await measurePostgresCalls(handle.db, client, schema, samples);
  } finally {
    await client.end().catch(() => undefined);
    await handle?.close();
    await admin.end();
  }
}

async function copyToPostgres(admin: pg.Client, dir: string, schema: string): Promise<void> {
  progress(`PostgreSQL: copying the trace tables into schema ${schema} (cached)`);
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${schema}`);
  const handle = openDatabase({ url: PG_URL, schema });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  const sqlite = openBareSqlite(path.join(dir, SQLITE_FILE), { readonly: true });
  try {
    await client.query('begin');
    for (const { table, identity } of COPIED) {
      const columns = (
        sqlite.prepare(`select * from ${table} limit 1`).columns() as { name: string }[]
      ).map((c) => c.name);
      const rows = Math.floor(30_000 / columns.length);
      let batch: unknown[] = [];
      let count = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const n = batch.length / columns.length;
        const values = Array.from(
          { length: n },
          (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
        ).join(', ');
        await client.query(
          `insert into ${table} (${columns.join(', ')}) ${identity ? 'overriding system value ' : ''}values ${values}`,
          batch,
        );
        count += n;
        batch = [];
      };
      for (const row of sqlite.prepare(`select * from ${table}`).raw().iterate() as Iterable<
        unknown[]
      >) {
        batch.push(...row);
        if (batch.length >= rows * columns.length) await flush();
      }
      await flush();
      progress(`  ${table}: ${count.toLocaleString('en-US')} rows`);
    }
    await client.query('create table bench_copied (at text)');
    await client.query('commit');
    await client.query('analyze');
  } finally {
    sqlite.close();
    await client.end();
  }
}

async function measurePostgresCalls(
  db: Database,
  client: pg.Client,
  schema: string,
  samples: Samples,
): Promise<Outcome[]> {
  const ctx = createContext(db);
  const captured = async (call: (c: Context) => Promise<unknown>, root: string) => {
    const queries: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    const logged = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') queries.push(e.query);
      },
    });
    try {
      await call(createContext(logged));
    } finally {
      await logged.destroy();
    }
    return recursive(queries, root);
  };
  const recallSql = await captured((c) => traceForward(c, samples.reels[0]!), samples.reels[0]!);
  const traceSql = await captured(
    (c) => traceBackward(c, samples.products[0]!),
    samples.products[0]!,
  );
  // The floor runs the statement as the service does: with the same plan settings, in one
  // transaction (src/trace/trace.repository.ts withTraversalPlan).
  const bare = async (name: string, text: string, root: string) => {
    await client.query('begin');
    await client.query(TRAVERSAL_PLAN_SQL);
    await client.query({ name, text, values: [root] });
    await client.query('commit');
  };
  progress('PostgreSQL recall: bare statement and service, alternately');
  const [recallFloor, recallService] = await alternate(
    (code) => bare('recall', recallSql.sql, code),
    (code) => traceForward(ctx, code),
    samples.reels,
  );
  progress('PostgreSQL backward trace: bare statement and service, alternately');
  const [traceFloor, traceService] = await alternate(
    (code) => bare('trace', traceSql.sql, code),
    (code) => traceBackward(ctx, code),
    samples.products,
  );
  const recall = await traceForward(ctx, samples.reels[0]!);
  line(
    `  PostgreSQL recall of a resistor reel: ${recall.counts.units.toLocaleString('en-US')} units found`,
  );
  return [
    latency('trace recall of a reel, PostgreSQL', recallService, recallFloor, RECALL_MAX_MS),
    latency('trace backward of a product, PostgreSQL', traceService, traceFloor, TRACE_MAX_MS),
  ];
}
