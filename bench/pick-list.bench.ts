/**
 * The pick list (issue 12, part 3) of a 65-line BOM, beside a floor measured in the same run:
 * the same candidate balances (every on-hand balance of the BOM's parts, with its lot's receipt
 * time) read with one bare better-sqlite3 prepared statement. The figure is getPickList, the
 * work behind GET /builds/:code/pick-list: the build, its BOM copy and progress, the sourcing
 * (FIFO over three lots per line on twenty shelves), the lots' and locations' names, grouping.
 * The PDF of the same list is printed as information. Target: < 200 ms. SQLite in a temporary
 * folder; the data is made through the services.
 */
import { startBuild } from '../src/builds/build.service.js';
import { renderPickListPdf } from '../src/builds/pick-list-pdf.js';
import { getPickList } from '../src/builds/pick-list.service.js';
import type { Context } from '../src/context.js';
import { createLocation } from '../src/locations/location.service.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { makeProject } from '../test/support/build-factories.js';
import { withBenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { benchActor } from './support/dataset.js';
import { duration, line, printOutcome, progress, times, type Outcome } from './support/report.js';
import { collectGarbage, median, timeMs } from './support/timing.js';

const LINES = 65;
const SHELVES = 20;
const LOTS_PER_LINE = 3;
const UNITS = 100;
const MAX_MS = 200;
const RUNS = 15;

export const pickList: Benchmark = {
  name: 'pick-list',
  description: `pick list of a ${LINES}-line BOM (${LOTS_PER_LINE} lots per line on ${SHELVES} shelves, ${UNITS} units, two stages) vs its candidate balances read bare`,
  needsServerBuild: false,
  async run() {
    return withBenchDatabase('pick', async ({ ctx, bare }) => {
      progress('making the BOM, its stock and the build through the services');
      const { build, parts } = await dataset(ctx);
      const candidates = bare().prepare(
        `select b.lot_code, b.location_code, b.part_code, b.quantity, lot.created_at
           from stock_balance b join lot on lot.code = b.lot_code
          where b.part_code in (${parts.map(() => '?').join(', ')}) and b.status = 'on_hand'`,
      );
      const service: number[] = [];
      const pdf: number[] = [];
      const floor: number[] = [];
      let lines = 0;
      for (let i = 0; i < RUNS + 1; i++) {
        collectGarbage();
        const f = await timeMs(() => void candidates.all(...parts));
        collectGarbage();
        const s = await timeMs(async () => {
          const list = await getPickList(ctx, build, {});
          lines = list.locations.reduce((n, g) => n + g.lines.length, 0);
        });
        collectGarbage();
        const p = await timeMs(async () => renderPickListPdf(await getPickList(ctx, build, {})));
        // The first run warms caches and compiles: not counted.
        if (i === 0) continue;
        floor.push(f);
        service.push(s);
        pdf.push(p);
      }
      const [s, p, f] = [median(service), median(pdf), median(floor)];
      line(`  ${lines} lines picked`);
      const outcomes: Outcome[] = [
        {
          name: `pick list (${LINES} BOM lines): JSON`,
          figure: duration(s),
          floor: duration(f),
          ratio: times(s, f),
          target: `< ${duration(MAX_MS)}`,
          met: s < MAX_MS,
        },
        {
          name: `pick list (${LINES} BOM lines): PDF`,
          figure: duration(p),
          floor: duration(f),
          ratio: times(p, f),
          target: 'info',
          met: undefined,
        },
      ];
      outcomes.forEach(printOutcome);
      return outcomes;
    });
  },
};

/** A 65-line BOM in two stages, three lots per line spread over twenty shelves, a build started. */
async function dataset(ctx: Context): Promise<{ build: string; parts: string[] }> {
  const shelves: string[] = [];
  for (let i = 1; i <= SHELVES; i++)
    shelves.push((await createLocation(ctx, benchActor, { name: `Shelf ${i}` })).code);
  const project = await makeProject(
    ctx,
    Array.from({ length: LINES }, (_, i) => ({ perUnit: 1 + (i % 4), stage: i < 40 ? 1 : 2 })),
    'Bench pick board',
  );
  // Each lot holds a little more than half a line's need: FIFO takes two of the three.
  await receiveStock(
    ctx,
    benchActor,
    project.parts.flatMap((part, i) =>
      Array.from({ length: LOTS_PER_LINE }, (_, k) => ({
        part,
        location: shelves[(i * LOTS_PER_LINE + k) % SHELVES]!,
        quantity: Math.ceil((UNITS * (1 + (i % 4))) / 2) + 10,
      })),
    ),
  );
  const location = shelves[0]!;
  const build = await startBuild(ctx, benchActor, {
    project: project.code,
    quantity: UNITS,
    location,
  });
  return { build: build.code, parts: project.parts };
}
