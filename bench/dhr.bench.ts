/**
 * The Device History Record (issue 11, part 4), each figure beside a floor measured in the
 * same run: the same rows read with bare better-sqlite3 prepared statements (no JSON, no PDF).
 * - a unit with 200 test results and 50 service events (50 history events with them): the
 *   record as JSON and as PDF, target < 1 s;
 * - a build of 1,000 units (two results and a service event each): target < 10 s.
 * The figures are the service call (getUnitDhr / getBuildDhr) and the PDF rendered from it, the
 * work behind GET …/dhr.pdf; the JSON alone is printed as information. SQLite in a temporary
 * folder; the database is made through the services.
 */
import { startBuild } from '../src/builds/build.service.js';
import type { Context } from '../src/context.js';
import { renderDhrPdf } from '../src/dhr/dhr-pdf.js';
import { getBuildDhr, getUnitDhr } from '../src/dhr/dhr.service.js';
import { createLocation } from '../src/locations/location.service.js';
import { createProject } from '../src/projects/project.service.js';
import type { BatchRow } from '../src/test-results/test-result.schemas.js';
import { uploadTestResults } from '../src/test-results/test-result.service.js';
import { createTestTemplate } from '../src/test-results/test-template.service.js';
import { addServiceEvent } from '../src/units/service-event.service.js';
import { withBenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { duration, line, printOutcome, progress, times, type Outcome } from './support/report.js';
import type { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, median, timeMs } from './support/timing.js';

const UNIT_RESULTS = 200;
const UNIT_EVENTS = 50;
const BUILD_UNITS = 1_000;
const UNIT_MAX_MS = 1_000;
const BUILD_MAX_MS = 10_000;
const RUNS = 5;

export const dhr: Benchmark = {
  name: 'dhr',
  description: `Device History Record (JSON + PDF) of a unit with ${UNIT_RESULTS} results and ${UNIT_EVENTS} events, and of a ${BUILD_UNITS.toLocaleString('en-US')}-unit build, vs the same rows read bare`,
  needsServerBuild: false,
  async run() {
    return withBenchDatabase('dhr', async ({ ctx, bare: openBare }) => {
      progress('making the unit and the build through the services');
      const { unit, build } = await dataset(ctx);
      const bare = openBare();
      const outcomes = [
        ...(await measure(
          `dhr unit (${UNIT_RESULTS} results, ${UNIT_EVENTS} events)`,
          UNIT_MAX_MS,
          () => getUnitDhr(ctx, unit),
          () => floorOf(bare, [unit]),
        )),
        ...(await measure(
          `dhr build (${BUILD_UNITS.toLocaleString('en-US')} units)`,
          BUILD_MAX_MS,
          () => getBuildDhr(ctx, build),
          () => floorOf(bare, unitsOf(bare, build), build),
        )),
      ];
      outcomes.forEach(printOutcome);
      return outcomes;
    });
  },
};

/** A unit with its results and events, and a build of BUILD_UNITS units with a few of each. */
async function dataset(ctx: Context): Promise<{ unit: string; build: string }> {
  const project = await createProject(ctx, benchActor, { name: 'Bench monitor' });
  const part = project.part.code;
  await createTestTemplate(ctx, benchActor, part, { key: 'ict', name: 'In-circuit test' });
  await createTestTemplate(ctx, benchActor, part, {
    key: 'vcc',
    name: 'Supply',
    valueType: 'number',
    unit: 'V',
    min: '4.75',
    max: '5.25',
  });
  const location = (await createLocation(ctx, benchActor, { name: 'Test bay' })).code;
  const unitsOfBuild = async (quantity: number) => {
    const build = await startBuild(ctx, benchActor, { project: project.code, quantity, location });
    const rows = await ctx.db
      .selectFrom('lot')
      .select('code')
      .where('build_code', '=', build.code)
      .orderBy('build_serial')
      .execute();
    return { build: build.code, units: rows.map((r) => r.code) };
  };
  const results = (units: string[], each: number): BatchRow[] =>
    units.flatMap((unit) =>
      Array.from({ length: each }, (_, k) =>
        k % 2 === 0
          ? { unit, key: 'ict', result: 'pass' as const, station: 'ICT-1', operator: 'kim' }
          : { unit, key: 'vcc', value: (4.9 + (k % 4) * 0.05).toFixed(2), station: 'FCT-2' },
      ),
    );
  const events = async (unit: string, n: number) => {
    for (let i = 0; i < n; i++)
      await addServiceEvent(ctx, benchActor, unit, {
        type: i % 2 ? 'inspection' : 'note',
        text: `Inspection ${i}: connectors seated, label legible, no visible damage on the housing.`,
      });
  };

  const single = await unitsOfBuild(1);
  await uploadTestResults(ctx, benchActor, { results: results(single.units, UNIT_RESULTS) });
  await events(single.units[0]!, UNIT_EVENTS);

  const many = await unitsOfBuild(BUILD_UNITS);
  await uploadTestResults(ctx, benchActor, { results: results(many.units, 2) });
  for (const unit of many.units) await events(unit, 1);
  return { unit: single.units[0]!, build: many.build };
}

function unitsOf(bare: ReturnType<typeof openBareSqlite>, build: string): string[] {
  return bare
    .prepare('select code from lot where build_code = ? order by build_serial')
    .pluck()
    .all(build) as string[];
}

/** The rows a record shows, read with bare prepared statements: what any record must read. */
function floorOf(bare: ReturnType<typeof openBareSqlite>, units: string[], build?: string): void {
  const byUnit = [
    'select * from lot join part on part.code = lot.part_code where lot.code = ?',
    'select * from test_result r left join test_template t on t.code = r.template_code where r.lot_code = ? order by r.tested_at, r.id',
    'select * from service_event where lot_code = ? order by created_at',
    'select * from history_event where subject_code = ? order by id',
    'select * from shipment_unit su join shipment s on s.code = su.shipment_code where su.lot_code = ?',
    'select * from installation where parent_code = ? or child_code = ?',
    'select * from attachment where subject_code = ?',
    'select * from customer_serial where lot_code = ?',
  ].map((text) => bare.prepare(text));
  const buildCode =
    build ??
    (bare.prepare('select build_code from lot where code = ?').pluck().get(units[0]) as string);
  for (const text of [
    'select * from build where code = ?',
    'select * from build_entry where build_code = ?',
    'select * from completion where build_code = ?',
    'select * from consumption where build_code = ?',
  ])
    bare.prepare(text).all(buildCode);
  for (const unit of units)
    for (const statement of byUnit)
      statement.all(...Array.from({ length: statement.source.split('?').length - 1 }, () => unit));
}

/** Median of RUNS runs of the record as PDF, as JSON alone, and of the floor. */
async function measure(
  name: string,
  maxMs: number,
  record: () => Promise<Parameters<typeof renderDhrPdf>[0]>,
  floor: () => void,
): Promise<Outcome[]> {
  const pdf: number[] = [];
  const json: number[] = [];
  const bare: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    collectGarbage();
    const floorMs = await timeMs(floor);
    collectGarbage();
    const jsonMs = await timeMs(async () => JSON.stringify(await record()));
    collectGarbage();
    const pdfMs = await timeMs(async () => (bytes = (await renderDhrPdf(await record())).length));
    // The first run warms caches and compiles: not counted.
    if (i === 0) continue;
    bare.push(floorMs);
    json.push(jsonMs);
    pdf.push(pdfMs);
  }
  const [p, j, f] = [median(pdf), median(json), median(bare)];
  line(`  ${name}: PDF of ${(bytes / 1024).toFixed(0)} KiB`);
  return [
    {
      name: `${name}: PDF`,
      figure: duration(p),
      floor: duration(f),
      ratio: times(p, f),
      target: `< ${duration(maxMs)}`,
      met: p < maxMs,
    },
    {
      name: `${name}: JSON`,
      figure: duration(j),
      floor: duration(f),
      ratio: times(j, f),
      target: '',
      met: undefined,
    },
  ];
}
