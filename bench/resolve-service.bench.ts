/**
 * resolve(ctx, text) in-process on 1,000,000 lots, against a bare prepared-statement lookup on
 * the same file. A third, informational line runs the very SQL the service sends through a bare
 * prepared statement: what lies between it and the service is the JavaScript around the query.
 */
import { Kysely, type CompiledQuery } from 'kysely';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import type { DB } from '../src/db/schema.js';
import { sqliteDialect } from '../src/db/sqlite-dialect.js';
import { prefixUpperBound } from '../src/domain/code.js';
import { resolve } from '../src/resolver/resolve.service.js';
import type { Benchmark } from './support/benchmark.js';
import { DATASET_LOTS } from './support/benchmark.js';
import { lotsDataset, sampleLots } from './support/dataset.js';
import { floorLookup } from './support/floor-sql.js';
import { line, perSecond, printOutcome, progress, share, type Outcome } from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { compareRates } from './support/timing.js';

const SAMPLE = 100_000;
const WARMUP_MS = 500;
const ROUNDS = 12;
const SLICE_MS = 250;
const MIN_SHARE = 0.5;

export const resolveService: Benchmark = {
  name: 'resolve-service',
  description: `resolve(ctx, text) in-process on ${DATASET_LOTS.toLocaleString('en-US')} lots vs a bare prepared statement`,
  needsServerBuild: false,
  async run() {
    const dataset = await lotsDataset(DATASET_LOTS);
    const sample = sampleLots(dataset, SAMPLE);
    const handle = openDatabase({ dataDir: dataset.dir });
    const bare = openBareSqlite(dataset.file);
    const outcomes: Outcome[] = [];
    try {
      const ctx = createContext(handle.db);
      const lookup = floorLookup(bare);
      const modes = [
        {
          mode: 'full code',
          queries: sample.codes,
          floor: (q: string) => lookup.byCode(q),
          range: (q: string): [string, string] => [q, `${q}0`],
        },
        {
          mode: '8-char prefix',
          queries: sample.prefixes,
          floor: (q: string) => lookup.byPrefix(q),
          range: (q: string): [string, string] => [q, prefixUpperBound(q)],
        },
      ];
      for (const { mode, queries, floor, range } of modes) {
        const n = queries.length;
        const serviceSql = await capturedQuery(bare, queries[0]!);
        const [from0, to0] = range(queries[0]!);
        const statement = bare.prepare(serviceSql.sql);
        const serviceSqlBare = (q: string) => {
          const [from, to] = range(q);
          return statement.all(
            serviceSql.parameters.map((p) => (p === from0 ? from : p === to0 ? to : p)),
          );
        };

        progress(`${mode}: floor, service SQL bare and resolve() in alternating slices`);
        const [floorRate, sqlRate, serviceRate] = (await compareRates(
          [
            (i) => floor(queries[i % n]!),
            (i) => serviceSqlBare(queries[i % n]!),
            (i) => resolve(ctx, queries[i % n]!),
          ],
          { rounds: ROUNDS, sliceMs: SLICE_MS, warmupMs: WARMUP_MS },
        )) as [number, number, number];

        line(
          `  ${mode}: floor ${perSecond(floorRate)}, service's SQL as a bare statement ${perSecond(sqlRate)}, resolve() ${perSecond(serviceRate)}`,
        );
        outcomes.push(
          {
            name: `resolve-service ${mode}`,
            figure: perSecond(serviceRate),
            floor: perSecond(floorRate),
            ratio: share(serviceRate, floorRate),
            target: `≥ ${MIN_SHARE * 100} % of floor`,
            met: serviceRate >= MIN_SHARE * floorRate,
          },
          {
            name: `  (service's SQL, bare statement)`,
            figure: perSecond(sqlRate),
            floor: perSecond(floorRate),
            ratio: share(sqlRate, floorRate),
            target: '-',
            met: undefined,
          },
        );
      }
    } finally {
      bare.close();
      await handle.close();
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/** The SQL and parameters resolve() sends for `text`, caught by a Kysely query log. */
async function capturedQuery(
  sqlite: ReturnType<typeof openBareSqlite>,
  text: string,
): Promise<CompiledQuery> {
  let captured: CompiledQuery | undefined;
  const db = new Kysely<DB>({
    dialect: sqliteDialect(sqlite),
    log: (event) => {
      if (event.level === 'query') captured = event.query;
    },
  });
  await resolve(createContext(db), text);
  if (!captured) throw new Error('resolve() sent no query');
  return captured;
}
