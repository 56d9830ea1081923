/**
 * Assigning customer serials to every unit of a 10,000-unit build (src/serials/serial.service.ts
 * assignSerials: counter block, customer_serial rows under their unique constraints, lot names,
 * the change record) against the floor: the same rows written with bare prepared statements
 * (SQLite) or COPY FROM STDIN and one UPDATE from arrays (PostgreSQL) — the change record too, with the same content
 * (bench/support/floor-change-record.ts) — serials rendered, unit codes and the chain head read
 * before the clock starts. Each side runs on a fresh database holding the same build.
 * Target (issue 4): < 1 s on SQLite. PostgreSQL runs too when a server answers, as information.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startBuild } from '../src/builds/build.service.js';
import { openDatabase, type DatabaseOptions } from '../src/db/database.js';
import { parseSerialPattern, renderSerial } from '../src/domain/serial-format.js';
import { assignSerials, createSerialFormat } from '../src/serials/serial.service.js';
import type { Benchmark } from './support/benchmark.js';
import { prepareBuildFixture, type BuildFixture } from './support/build-fixture.js';
import {
  floorChangeRecord,
  lastRecordShape,
  readFloorHead,
  type FloorHead,
} from './support/floor-change-record.js';
import { postgresWriter, sqliteWriter, type FloorWriter } from './support/floor-writer.js';
import { connectAdmin, inSchema, PG_URL, schemaClient } from './support/postgres.js';
import { benchActor } from './support/dataset.js';
import { line, ms, printOutcome, progress, times, type Outcome } from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { collectGarbage, timeMs } from './support/timing.js';

const UNITS = 10_000;
const MAX_MS = 1000;
const RUNS = 5;
const PG_RUNS = 3;
const PATTERN = 'ACME-{YY}{WW}-{SEQ:5}';

interface Prepared {
  fixture: BuildFixture;
  format: string;
  build: string;
  head: FloorHead;
}

/** A database with a format and a started 10,000-unit build without serials (not timed). */
async function prepare(options: DatabaseOptions): Promise<Prepared> {
  const fixture = await prepareBuildFixture(openDatabase(options), {
    // One BOM line with a little stock: the build only starts, consuming nothing.
    entries: 1,
    stageOf: () => 1,
    lotsPerEntry: 1,
    lotUnits: 1,
  });
  const format = await createSerialFormat(fixture.ctx, benchActor, {
    name: 'Bench serials',
    pattern: PATTERN,
  });
  const build = await startBuild(fixture.ctx, benchActor, {
    project: fixture.project,
    location: fixture.location,
    quantity: UNITS,
  });
  return {
    fixture,
    format: format.code,
    build: build.code,
    head: await readFloorHead(fixture.handle.db),
  };
}

/**
 * What both sides must leave behind: serials, lots named by them, and the change record of the
 * assignment (its operation, objects and content's length).
 */
async function after(p: Prepared): Promise<string> {
  const db = p.fixture.handle.db;
  const { rows } = await sql<{ serials: number; named: number }>`select
    (select count(*) from customer_serial) as serials,
    (select count(*) from lot where name like 'ACME-%') as named`.execute(db);
  const r = rows[0]!;
  return `${Number(r.serials)} serials, ${Number(r.named)} named lots, ${await lastRecordShape(db)}`;
}

async function serviceRound(options: DatabaseOptions): Promise<{ ms: number; after: string }> {
  const p = await prepare(options);
  try {
    collectGarbage();
    const elapsed = await timeMs(() =>
      assignSerials(p.fixture.ctx, benchActor, p.format, { build: p.build }),
    );
    return { ms: elapsed, after: await after(p) };
  } finally {
    await p.fixture.handle.close();
  }
}

/** The floor's writes: the counter, the serials, the names, the change record; one transaction. */
async function floorWrites(
  w: FloorWriter,
  p: Prepared,
  units: string[],
  names: (w: FloorWriter, rows: [string, string][], at: string) => Promise<void>,
) {
  const pattern = parseSerialPattern(PATTERN);
  const date = new Date();
  const at = date.toISOString();
  const values = units.map((_, i) => renderSerial(pattern, { date, seq: i + 1 }));
  await w.transaction(async () => {
    await w.run(
      'insert into serial_counter (format_code, scope_key, period, next_value) values (?, ?, ?, ?)',
      [p.format, '', '', UNITS + 1],
    );
    await w.insert(
      'customer_serial',
      [
        'format_code',
        'lot_code',
        'scope_key',
        'period',
        'seq',
        'value',
        'assigned_at',
        'actor_code',
        'actor_name',
      ],
      units.map((u, i) => [p.format, u, '', '', i + 1, values[i], at, null, benchActor.name]),
    );
    await names(
      w,
      units.map((u, i) => [u, values[i]!]),
      at,
    );
    await floorChangeRecord(w, p.head, {
      at,
      operation: 'serial_assigned',
      events: units.map((u, i) => ({
        subject: u,
        type: 'serial_assigned',
        data: { format: p.format, serial: values[i], target: 'name' },
      })),
    });
  });
}

const unitCodes = async (p: Prepared) =>
  (
    await p.fixture.handle.db
      .selectFrom('lot')
      .select('code')
      .where('build_code', '=', p.build)
      .orderBy('build_serial')
      .execute()
  ).map((r) => r.code);

async function sqliteFloorRound(file: string): Promise<{ ms: number; after: string }> {
  const p = await prepare({ url: file });
  const units = await unitCodes(p);
  await p.fixture.handle.close();
  const db = openBareSqlite(file);
  try {
    const rename = db.prepare('update lot set name = ?, updated_at = ? where code = ?');
    collectGarbage();
    const elapsed = await timeMs(() =>
      floorWrites(sqliteWriter(db), p, units, async (_w, rows, at) => {
        for (const [code, name] of rows) rename.run(name, at, code);
      }),
    );
    const reopened = { ...p, fixture: { ...p.fixture, handle: openDatabase({ url: file }) } };
    try {
      return { ms: elapsed, after: await after(reopened) };
    } finally {
      await reopened.fixture.handle.close();
    }
  } finally {
    db.close();
  }
}

async function postgresFloorRound(schema: string): Promise<{ ms: number; after: string }> {
  const p = await prepare({ url: PG_URL, schema });
  const units = await unitCodes(p);
  const client = await schemaClient(schema);
  try {
    collectGarbage();
    const elapsed = await timeMs(() =>
      floorWrites(postgresWriter(client), p, units, async (w, rows, at) => {
        // The lots' new names in one statement: an array of codes and one of names.
        await w.run(
          `update lot set name = v.name, updated_at = ? from unnest(?::text[], ?::text[]) as v(code, name) where lot.code = v.code`,
          [at, rows.map((r) => r[0]), rows.map((r) => r[1])],
        );
      }),
    );
    return { ms: elapsed, after: await after(p) };
  } finally {
    await client.end();
    await p.fixture.handle.close();
  }
}

function outcome(database: string, service: number[], floor: number[], target: boolean): Outcome {
  const s = Math.min(...service);
  const f = Math.min(...floor);
  line(
    `  ${database}: service ${ms(s)} (runs ${service.map(ms).join(', ')}), floor ${ms(f)} (runs ${floor.map(ms).join(', ')}), ${times(s, f)}`,
  );
  return {
    name: `serials assign ${UNITS / 1000}k units, ${database}`,
    figure: ms(s),
    floor: ms(f),
    ratio: times(s, f),
    target: target ? `< ${ms(MAX_MS)}` : '≤ 3× COPY',
    met: target ? s < MAX_MS : s <= 3 * f,
  };
}

async function onPostgres(): Promise<Outcome[]> {
  const admin = await connectAdmin();
  if (!admin) return [];
  try {
    const service: { ms: number; after: string }[] = [];
    const floor: { ms: number; after: string }[] = [];
    for (let run = 0; run < PG_RUNS; run++) {
      progress(`PostgreSQL floor, run ${run + 1} of ${PG_RUNS}`);
      floor.push(await inSchema(admin, postgresFloorRound));
      progress(`PostgreSQL service, run ${run + 1} of ${PG_RUNS}`);
      service.push(await inSchema(admin, (schema) => serviceRound({ url: PG_URL, schema })));
    }
    checkSame('PostgreSQL', [...service, ...floor]);
    return [
      outcome(
        'PostgreSQL',
        service.map((r) => r.ms),
        floor.map((r) => r.ms),
        false,
      ),
    ];
  } finally {
    await admin.end();
  }
}

/** Throws unless every round (the service's first) left what the service left. */
function checkSame(database: string, rounds: { after: string }[]): void {
  const expected = rounds[0]!.after;
  if (!expected.startsWith(`${UNITS} serials, ${UNITS} named lots, serial_assigned of ${UNITS} `))
    throw new Error(`${database}: the service left ${expected}`);
  const wrong = rounds.find((r) => r.after !== expected);
  if (wrong)
    throw new Error(
      `${database}: a round left ${wrong.after}, the service ${expected}: the sides differ`,
    );
}

export const serialsAssign: Benchmark = {
  name: 'serials-assign',
  description: `customer serials (${PATTERN}) for every unit of a ${UNITS.toLocaleString('en-US')}-unit build vs bare prepared statements`,
  needsServerBuild: false,
  async run() {
    const tmp = mkdtempSync(path.join(tmpdir(), 'tracelot-bench-serials-'));
    const outcomes: Outcome[] = [];
    try {
      progress('warm-up: one round of each side');
      await sqliteFloorRound(path.join(tmp, 'warm-floor.db'));
      await serviceRound({ url: path.join(tmp, 'warm-service.db') });
      const service: { ms: number; after: string }[] = [];
      const floor: { ms: number; after: string }[] = [];
      for (let run = 0; run < RUNS; run++) {
        progress(`SQLite floor, run ${run + 1} of ${RUNS}`);
        floor.push(await sqliteFloorRound(path.join(tmp, `floor-${run}.db`)));
        progress(`SQLite service, run ${run + 1} of ${RUNS}`);
        service.push(await serviceRound({ url: path.join(tmp, `service-${run}.db`) }));
      }
      checkSame('SQLite', [...service, ...floor]);
      outcomes.push(
        outcome(
          'SQLite',
          service.map((r) => r.ms),
          floor.map((r) => r.ms),
          true,
        ),
      );
      outcomes.push(...(await onPostgres()));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};
