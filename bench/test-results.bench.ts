/**
 * Test results (issue 4), each figure beside a floor measured in the same run:
 * - upload: 10,000 results (1,000 units × 10, five templates of every value type) against
 *   inserting the same rows (test_result, and the change record with one test_recorded event
 *   per unit, bench/support/floor-change-record.ts) with bare prepared statements in one
 *   transaction. Two figures: one POST /api/v1/test-results/batch to the real
 *   HTTP app with an API key (target ≥ 10,000 results/s), and the service call alone, as the
 *   other benchmarks compare (target ≤ 3× the floor's time; the request adds parsing and
 *   writing 1.5 MB of JSON, which the floor does not do).
 * - unit page: the data of a unit page (GET its tests and its history) for a unit with 1,000
 *   history events and 200 test results, through `tracelot serve` in a child process, requests
 *   one after the other; p50 of the pair. Target: < 20 ms. Floor: the same reads with bare
 *   prepared statements, no HTTP.
 * PostgreSQL runs too when a server answers, as information.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type pg from 'pg';
import { createApiKey } from '../src/auth/api-key.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { inTransaction, type DatabaseHandle, type DatabaseOptions } from '../src/db/database.js';
import { appendHistory } from '../src/history/history.repository.js';
import { buildApp } from '../src/http/app.js';
import { createLocation } from '../src/locations/location.service.js';
import { createProject } from '../src/projects/project.service.js';
import type { BatchRow } from '../src/test-results/test-result.schemas.js';
import { uploadTestResults } from '../src/test-results/test-result.service.js';
import { createTestTemplate } from '../src/test-results/test-template.service.js';
import { openBenchDatabase, withTempDir, type BenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { floorChangeRecord, readFloorHead } from './support/floor-change-record.js';
import { floorOnPostgres, floorOnSqlite } from './support/floor-run.js';
import type { FloorWriter } from './support/floor-writer.js';
import { connectAdmin, inSchema, PG_URL } from './support/postgres.js';
import { TRACELOT_BIN } from './support/paths.js';
import { freePort, spawnNode, waitForOk, type Child } from './support/processes.js';
import {
  line,
  ms,
  perSecond,
  printOutcome,
  progress,
  times,
  type Outcome,
} from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, median, timeMs } from './support/timing.js';

const UNITS = 1_000;
const PER_UNIT = 10;
const RESULTS = UNITS * PER_UNIT;
const MIN_PER_SECOND = 10_000;
const MAX_TIMES_FLOOR = 3;
const RUNS = 5;
const PAGE_EVENTS = 1_000;
const PAGE_RESULTS = 200;
const PAGE_REQUESTS = 300;
const MAX_PAGE_P50_MS = 20;

/** Five tests, one of each kind of judging: verdict given, computed from limits, text. */
const TEMPLATES = [
  { key: 'ict', name: 'In-circuit test' },
  { key: 'vcc', name: 'Supply', valueType: 'number', unit: 'V', min: '4.75', max: '5.25' },
  { key: 'fw', name: 'Firmware', valueType: 'text' },
  { key: 'idle_ma', name: 'Idle current', valueType: 'number', unit: 'mA', min: 100, max: 150 },
  { key: 'leak', name: 'Leak test' },
] as const;

function resultRows(units: string[]): BatchRow[] {
  const rows: BatchRow[] = [];
  const start = Date.parse('2026-11-01T08:00:00Z');
  for (const [u, unit] of units.entries()) {
    for (let k = 0; k < PER_UNIT; k++) {
      const t = k % TEMPLATES.length;
      const startedAt = new Date(start + (u * PER_UNIT + k) * 1000).toISOString();
      const endedAt = new Date(start + (u * PER_UNIT + k) * 1000 + 800).toISOString();
      const common = { unit, station: 'FCT-2', operator: 'kim', startedAt, endedAt };
      if (t === 0) rows.push({ ...common, key: 'ict', result: 'pass' });
      else if (t === 1)
        rows.push({ ...common, key: 'vcc', value: (4.9 + (k % 4) * 0.1).toFixed(2) });
      else if (t === 2) rows.push({ ...common, key: 'fw', value: 'v1.4.2', result: 'pass' });
      else if (t === 3) rows.push({ ...common, key: 'idle_ma', value: 120 + k });
      else rows.push({ ...common, key: 'leak', value: true });
    }
  }
  return rows;
}

interface Setup extends BenchDatabase {
  units: string[];
  apiKey: string;
}

/** A migrated database: a project with five test templates and a build of UNITS units. */
async function prepare(options: DatabaseOptions, units = UNITS): Promise<Setup> {
  const opened = await openBenchDatabase(options);
  const { handle, ctx } = opened;
  const project = await createProject(ctx, benchActor, { name: 'Bench sensor' });
  for (const t of TEMPLATES) await createTestTemplate(ctx, benchActor, project.part.code, t);
  const location = (await createLocation(ctx, benchActor, { name: 'Test bay' })).code;
  const build = await startBuild(ctx, benchActor, {
    project: project.code,
    quantity: units,
    location,
  });
  const rows = await handle.db
    .selectFrom('lot')
    .select('code')
    .where('build_code', '=', build.code)
    .orderBy('build_serial')
    .execute();
  const { key } = await createApiKey(ctx, benchActor, { name: 'station', role: 'editor' });
  return { ...opened, units: rows.map((r) => r.code), apiKey: key };
}

/** One upload through the real HTTP app (listening on a port), in ms. */
async function serviceUploadMs(setup: Setup, check = true): Promise<number> {
  const app = await buildApp({ ctx: setup.ctx });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const body = JSON.stringify({ results: resultRows(setup.units) });
    collectGarbage();
    let report: { stored: number; rejected: number } | undefined;
    const elapsed = await timeMs(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/test-results/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${setup.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      report = (await res.json()) as { stored: number; rejected: number };
    });
    if (report?.stored !== RESULTS)
      throw new Error(`upload: ${JSON.stringify(report).slice(0, 300)}`);
    if (check) await checkCount(setup.handle, 'service');
    return elapsed;
  } finally {
    await app.close();
  }
}

async function checkCount(handle: DatabaseHandle, label: string): Promise<void> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from test_result`.execute(
    handle.db,
  );
  if (Number(rows[0]!.n) !== RESULTS) throw new Error(`${label}: ${rows[0]!.n} results stored`);
}

const RESULT_COLUMNS = [
  'lot_code',
  'template_code',
  'key',
  'name',
  'result',
  'value_number',
  'value_text',
  'extra_values',
  'station',
  'operator',
  'started_at',
  'ended_at',
  'tested_at',
  'notes',
  'attachment_code',
  'actor_code',
  'actor_name',
  'recorded_at',
];

/** The rows the upload writes, as positional values, computed before the floor's clock runs. */
async function floorRows(setup: Setup) {
  const templates = new Map(
    (
      await setup.handle.db.selectFrom('test_template').select(['code', 'key', 'name']).execute()
    ).map((t) => [t.key, t]),
  );
  const at = new Date().toISOString();
  const results = resultRows(setup.units).map((r) => {
    const t = templates.get(r.key!)!;
    const number =
      typeof r.value === 'number' || (r.key === 'vcc' && r.value) ? String(r.value) : null;
    return [
      r.unit,
      t.code,
      t.key,
      t.name,
      'pass',
      number,
      r.key === 'fw' ? r.value : null,
      '{}',
      r.station,
      r.operator,
      r.startedAt,
      r.endedAt,
      r.endedAt,
      '',
      null,
      null,
      benchActor.name,
      at,
    ];
  });
  const events = setup.units.map((u) => ({
    subject: u,
    type: 'test_recorded' as const,
    data: { results: PER_UNIT, failed: 0, tests: TEMPLATES.map((t) => t.key) },
  }));
  return { at, results, events, head: await readFloorHead(setup.handle.db) };
}

/** A database ready for the floor, with the floor's rows read from it. */
async function prepareFloor(options: DatabaseOptions) {
  const setup = await prepare(options);
  return { ...setup, rows: await floorRows(setup) };
}

/** The floor: the same rows written bare in one transaction; in ms. */
async function uploadFloorMs(w: FloorWriter, setup: Awaited<ReturnType<typeof prepareFloor>>) {
  collectGarbage();
  const elapsed = await timeMs(() =>
    w.transaction(async () => {
      await w.insert('test_result', RESULT_COLUMNS, setup.rows.results);
      // The upload's change record: one test_recorded event per unit, as the service writes it.
      const { at, events, head } = setup.rows;
      await floorChangeRecord(w, head, { at, operation: 'test_recorded', events });
    }),
  );
  const n = await w.count('test_result');
  if (n !== RESULTS) throw new Error(`floor: ${n} results`);
  return elapsed;
}

async function sqliteHttpMs(file: string): Promise<number> {
  const setup = await prepare({ url: file });
  try {
    return await serviceUploadMs(setup);
  } finally {
    await setup.handle.close();
  }
}

/** The service call alone (uploadTestResults with the parsed JSON body), in ms. */
async function sqliteServiceMs(file: string): Promise<number> {
  const setup = await prepare({ url: file });
  try {
    const body = { results: resultRows(setup.units) };
    collectGarbage();
    let stored = 0;
    const elapsed = await timeMs(async () => {
      stored = (await uploadTestResults(setup.ctx, benchActor, body)).stored;
    });
    if (stored !== RESULTS) throw new Error(`service: ${stored} stored`);
    await checkCount(setup.handle, 'service');
    return elapsed;
  } finally {
    await setup.handle.close();
  }
}

/**
 * Runs the code paths at full size on a throwaway database, twice, so that the measured runs
 * find them compiled and optimised (the floor's better-sqlite3 loop has nothing to warm).
 */
async function warmUp(): Promise<void> {
  const setup = await prepare({ url: ':memory:' });
  for (let i = 0; i < 2; i++) {
    await uploadTestResults(setup.ctx, benchActor, { results: resultRows(setup.units) });
    await serviceUploadMs(setup, false);
  }
  await setup.handle.close();
}

async function uploadOnPostgres(admin: pg.Client): Promise<Outcome> {
  progress('PostgreSQL upload floor: COPY FROM STDIN in one transaction');
  const floor = await inSchema(admin, (schema) =>
    floorOnPostgres(schema, prepareFloor, uploadFloorMs),
  );
  progress('PostgreSQL upload: one batch request');
  const serviceMs = await inSchema(admin, async (schema) => {
    const setup = await prepare({ url: PG_URL, schema });
    try {
      return await serviceUploadMs(setup);
    } finally {
      await setup.handle.close();
    }
  });
  line(
    `  PostgreSQL upload: ${ms(serviceMs)} (${perSecond((RESULTS * 1000) / serviceMs)} results), floor ${ms(floor)}`,
  );
  return {
    name: `test upload ${RESULTS / 1000}k results, PostgreSQL`,
    figure: perSecond((RESULTS * 1000) / serviceMs),
    floor: perSecond((RESULTS * 1000) / floor),
    ratio: times(serviceMs, floor),
    target: '≤ 3× COPY',
    met: serviceMs <= 3 * floor,
  };
}

/** A unit with PAGE_RESULTS results (one upload) and PAGE_EVENTS more history events. */
async function preparePage(options: DatabaseOptions): Promise<{ setup: Setup; unit: string }> {
  const setup = await prepare(options, 1);
  const { handle } = setup;
  const unit = setup.units[0]!;
  const rows = Array.from({ length: PAGE_RESULTS }, (_, i) => ({
    unit,
    key: TEMPLATES[i % TEMPLATES.length]!.key,
    ...(i % 5 === 1 || i % 5 === 3 ? { value: i % 5 === 1 ? '5' : 120 } : {}),
    ...(i % 5 === 2 ? { value: 'v1', result: 'pass' as const } : {}),
    ...(i % 5 === 0 || i % 5 === 4 ? { result: 'pass' as const } : {}),
    endedAt: new Date(Date.parse('2026-11-01T08:00:00Z') + i * 60_000).toISOString(),
  }));
  const report = await uploadTestResults(setup.ctx, benchActor, { results: rows });
  if (report.stored !== PAGE_RESULTS)
    throw new Error(`page setup: ${JSON.stringify(report.rows[0])}`);
  await inTransaction(handle.db, (db) =>
    appendHistory(
      db,
      benchActor,
      new Date().toISOString(),
      Array.from({ length: PAGE_EVENTS - 2 }, (_, i) => ({
        subjectCode: unit,
        type: 'updated' as const,
        data: { comments: { from: `note ${i}`, to: `note ${i + 1}` } },
      })),
    ),
  );
  return { setup, unit };
}

/** p50 of GET tests + GET history, one after the other, against `tracelot serve`. */
async function pageP50(args: string[], unit: string, apiKey: string): Promise<number> {
  const port = await freePort();
  const child: Child = spawnNode([TRACELOT_BIN, 'serve', '--port', String(port), ...args]);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${origin}/api/health`, child);
    const headers = { authorization: `Bearer ${apiKey}` };
    const once = async () => {
      const [tests, history] = [
        await fetch(`${origin}/api/v1/units/${unit}/tests`, { headers }),
        await fetch(`${origin}/api/v1/lots/${unit}/history`, { headers }),
      ];
      const body = (await tests.json()) as { results: { total: number } };
      const events = (await history.json()) as { items: unknown[] };
      if (body.results.total !== PAGE_RESULTS || events.items.length < PAGE_EVENTS) {
        throw new Error(`unit page: ${body.results.total} results, ${events.items.length} events`);
      }
    };
    for (let i = 0; i < 30; i++) await once();
    const samples: number[] = [];
    for (let i = 0; i < PAGE_REQUESTS; i++) {
      const start = performance.now();
      await once();
      samples.push(performance.now() - start);
    }
    return median(samples);
  } finally {
    await child.stop();
  }
}

/** The same reads as bare prepared statements in this process (no HTTP, no JSON), p50 in ms. */
function pageFloorP50(file: string, unit: string): number {
  const db = openBareSqlite(file, { readonly: true });
  try {
    const results = db.prepare(
      'select * from test_result where lot_code = ? order by tested_at desc, id desc limit 50',
    );
    const latest = db.prepare(
      `select * from (select r.*, row_number() over (partition by r.template_code order by r.tested_at desc, r.id desc) rn
       from test_result r where r.lot_code = ? and r.template_code is not null) where rn = 1`,
    );
    // History is read from the change log: the records that name the unit.
    const events = db.prepare(
      `select r.* from change_object o join change_record r on r.id = o.change_id
       where o.object_code = ? order by r.hlc`,
    );
    const entries = db.prepare('select * from stock_entry where lot_code = ? order by id');
    const samples: number[] = [];
    for (let i = 0; i < PAGE_REQUESTS + 30; i++) {
      const start = performance.now();
      results.all(unit);
      latest.all(unit);
      events.all(unit);
      entries.all(unit);
      if (i >= 30) samples.push(performance.now() - start);
    }
    return median(samples);
  } finally {
    db.close();
  }
}

export const testResults: Benchmark = {
  name: 'test-results',
  description: `batch upload of ${RESULTS.toLocaleString('en-US')} test results in one request vs bare inserts; unit page data (${PAGE_EVENTS} events, ${PAGE_RESULTS} results) through tracelot serve`,
  needsServerBuild: true,
  async run() {
    const outcomes: Outcome[] = [];
    const admin = await connectAdmin();
    try {
      await withTempDir('tests', async (tmp) => {
        await warmUp();
        const floorRuns: number[] = [];
        const serviceRuns: number[] = [];
        const httpRuns: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          progress(`SQLite upload floor, run ${run + 1} of ${RUNS}`);
          floorRuns.push(
            await floorOnSqlite(path.join(tmp, `floor-${run}.db`), prepareFloor, uploadFloorMs),
          );
          progress(`SQLite upload service call, run ${run + 1} of ${RUNS}`);
          serviceRuns.push(await sqliteServiceMs(path.join(tmp, `service-${run}.db`)));
          progress(`SQLite upload over HTTP, run ${run + 1} of ${RUNS}: one request`);
          httpRuns.push(await sqliteHttpMs(path.join(tmp, `http-${run}.db`)));
        }
        // The best of each side: a neighbour's load only ever slows a run down.
        const floorMs = Math.min(...floorRuns);
        const serviceMs = Math.min(...serviceRuns);
        const httpMs = Math.min(...httpRuns);
        const list = (runs: number[]) => runs.map(ms).join(', ');
        line(
          `  SQLite upload: HTTP request ${ms(httpMs)} (runs ${list(httpRuns)}), service call ${ms(serviceMs)} (runs ${list(serviceRuns)}), floor ${ms(floorMs)} (runs ${list(floorRuns)})`,
        );
        const rate = (RESULTS * 1000) / httpMs;
        outcomes.push(
          {
            name: `test upload ${RESULTS / 1000}k results, SQLite HTTP`,
            figure: perSecond(rate),
            floor: perSecond((RESULTS * 1000) / floorMs),
            ratio: times(httpMs, floorMs),
            target: `≥ ${perSecond(MIN_PER_SECOND)}`,
            met: rate >= MIN_PER_SECOND,
          },
          {
            name: `test upload ${RESULTS / 1000}k, SQLite service call`,
            figure: ms(serviceMs),
            floor: ms(floorMs),
            ratio: times(serviceMs, floorMs),
            target: `≤ ${MAX_TIMES_FLOOR}× floor`,
            met: serviceMs <= MAX_TIMES_FLOOR * floorMs,
          },
        );
        if (admin) outcomes.push(await uploadOnPostgres(admin));

        progress(
          `unit page: a unit with ${PAGE_EVENTS} history events and ${PAGE_RESULTS} results`,
        );
        const dir = path.join(tmp, 'page');
        const page = await preparePage({ dataDir: dir });
        await page.setup.handle.close();
        const floorP50 = pageFloorP50(path.join(dir, 'tracelot.db'), page.unit);
        const p50 = await pageP50(['--data', dir], page.unit, page.setup.apiKey);
        line(
          `  SQLite unit page: p50 ${ms(p50)} (tests + history, ${PAGE_REQUESTS} pairs), floor ${ms(floorP50)}`,
        );
        outcomes.push({
          name: 'test unit page (tests + history), SQLite p50',
          figure: ms(p50),
          floor: ms(floorP50),
          ratio: times(p50, floorP50),
          target: `< ${MAX_PAGE_P50_MS} ms`,
          met: p50 < MAX_PAGE_P50_MS,
        });
        if (admin) {
          await inSchema(admin, async (schema) => {
            const pgPage = await preparePage({ url: PG_URL, schema });
            await pgPage.setup.handle.close();
            const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
            const pgP50 = await pageP50(
              ['--data', dir, '--database', url],
              pgPage.unit,
              pgPage.setup.apiKey,
            );
            line(`  PostgreSQL unit page: p50 ${ms(pgP50)}`);
            outcomes.push({
              name: 'test unit page (tests + history), PostgreSQL p50',
              figure: ms(pgP50),
              floor: '-',
              ratio: '-',
              target: '(extra line)',
              met: undefined,
            });
          });
        }
      });
    } finally {
      await admin?.end();
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};
