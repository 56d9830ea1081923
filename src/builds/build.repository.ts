import { sql, type Insertable, type Selectable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import { groupBy } from '../domain/collections.js';
import type { Database } from '../db/database.js';
import { codeMatch, containsPattern, lowerLike } from '../db/search.js';
import { pageWithTotal } from '../db/paging.js';
import type { BuildEntryTable, BuildStageTable, BuildTable } from '../db/schema.js';
import type { BuildStatus } from '../domain/build-status.js';
import type { Actor } from '../domain/roles.js';
import type { SerialRange } from '../domain/serial-ranges.js';
import { registerCodes } from '../db/object-code.repository.js';
import { isPutAside, stockAsideOf } from '../stock/stock.repository.js';

export type BuildRow = Selectable<BuildTable>;
export type BuildEntryRow = Selectable<BuildEntryTable>;

export async function insertBuild(db: Database, row: Insertable<BuildTable>): Promise<void> {
  await registerCodes(db, 'build', [row.code]);
  await db.insertInto('build').values(row).execute();
}

export async function insertBuildEntries(db: Database, rows: Insertable<BuildEntryTable>[]) {
  await insertMany(db, 'build_entry', rows);
}

export type BuildStageRow = Selectable<BuildStageTable>;

/** The project's named stages as the build started with them. */
export async function insertBuildStages(db: Database, rows: Insertable<BuildStageTable>[]) {
  await insertMany(db, 'build_stage', rows);
}

export async function listBuildStages(db: Database, build: string): Promise<BuildStageRow[]> {
  return db
    .selectFrom('build_stage')
    .selectAll()
    .where('build_code', '=', build)
    .orderBy('stage')
    .execute();
}

export async function findBuildRow(db: Database, code: string): Promise<BuildRow | undefined> {
  return db.selectFrom('build').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Marks the build as being changed, if it is in progress: a guarded update that also serialises
 * concurrent changes of one build (the row stays locked until the transaction ends).
 */
export async function lockBuildInProgress(
  db: Database,
  code: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('build')
    .set({ updated_at: at })
    .where('code', '=', code)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setBuildStatus(
  db: Database,
  code: string,
  changes: {
    status: BuildStatus;
    finished_at: string | null;
    finish_note?: string;
    updated_at: string;
  },
): Promise<void> {
  await db.updateTable('build').set(changes).where('code', '=', code).execute();
}

/** Changes one line of the build's BOM copy (its part, quantity per unit or stage). */
export async function updateBuildEntry(
  db: Database,
  build: string,
  entryNo: number,
  changes: Pick<BuildEntryRow, 'part_code' | 'quantity' | 'stage'>,
): Promise<void> {
  await db
    .updateTable('build_entry')
    .set(changes)
    .where('build_code', '=', build)
    .where('entry_no', '=', entryNo)
    .execute();
}

/** Removes one line of the build's BOM copy (the history keeps what it was). */
export async function deleteBuildEntry(db: Database, build: string, entryNo: number) {
  await db
    .deleteFrom('build_entry')
    .where('build_code', '=', build)
    .where('entry_no', '=', entryNo)
    .execute();
}

/** The build's BOM copy, in entry order. */
export async function listBuildEntries(db: Database, build: string): Promise<BuildEntryRow[]> {
  return db
    .selectFrom('build_entry')
    .selectAll()
    .where('build_code', '=', build)
    .orderBy('entry_no')
    .execute();
}

/**
 * Per build, its stages in order: how many BOM entries each has, whether one places a part, and
 * the name it had when the build started. A named stage without entries (documentation) counts.
 */
export async function stagesOfBuilds(
  db: Database,
  builds: string[],
): Promise<
  Map<
    string,
    { stage: number; name: string; documentation: boolean; entries: number; placesParts: boolean }[]
  >
> {
  const [rows, named] = await Promise.all([
    inChunks(builds, (chunk) =>
      db
        .selectFrom('build_entry')
        .select((eb) => [
          'build_code',
          'stage',
          eb.fn.countAll<number>().as('entries'),
          eb.fn.min('dnp').as('min_dnp'),
        ])
        .where('build_code', 'in', chunk)
        .groupBy(['build_code', 'stage'])
        .execute(),
    ),
    inChunks(builds, (chunk) =>
      db.selectFrom('build_stage').selectAll().where('build_code', 'in', chunk).execute(),
    ),
  ]);
  const out = new Map<
    string,
    Map<
      number,
      { stage: number; name: string; documentation: boolean; entries: number; placesParts: boolean }
    >
  >();
  const of = (build: string, stage: number) => {
    let stages = out.get(build);
    if (!stages) out.set(build, (stages = new Map()));
    let s = stages.get(stage);
    if (!s) {
      s = { stage, name: '', documentation: false, entries: 0, placesParts: false };
      stages.set(stage, s);
    }
    return s;
  };
  for (const r of rows) {
    const s = of(r.build_code, Number(r.stage));
    s.entries = Number(r.entries);
    // DNP entries only (min 1) is a stage that places nothing, e.g. a test or a label.
    s.placesParts = Number(r.min_dnp) === 0;
  }
  for (const r of named) {
    const s = of(r.build_code, r.stage);
    s.name = r.name;
    s.documentation = r.documentation === 1;
  }
  return new Map(
    [...out].map(([build, stages]) => [
      build,
      [...stages.values()].sort((a, b) => a.stage - b.stage),
    ]),
  );
}

export async function listBuildRows(
  db: Database,
  filter: {
    project?: string | undefined;
    status?: BuildStatus | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let query = db.selectFrom('build');
  if (filter.project) query = query.where('project_code', '=', filter.project);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    const named = (table: 'project' | 'part') =>
      db.selectFrom(table).select('code').where(lowerLike('name', pattern));
    const q = filter.q;
    query = query.where((eb) =>
      eb.or([
        eb('project_code', 'in', named('project')),
        eb('part_code', 'in', named('part')),
        lowerLike('notes', pattern),
        ...codeMatch('build.code', q),
      ]),
    );
  }
  return pageWithTotal(query, (q) =>
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('code')
      .limit(filter.limit)
      .offset(filter.offset),
  );
}

/** The build's output lots: units in serial order (or its one output lot). */
export async function listOutputs(db: Database, build: string) {
  return db
    .selectFrom('lot')
    .select(['code', 'build_serial', 'unit_state'])
    .where('build_code', '=', build)
    .orderBy('build_serial')
    .execute();
}

/** Serials of the build's scrapped units, ascending. */
export async function scrappedSerials(db: Database, build: string): Promise<number[]> {
  const rows = await db
    .selectFrom('lot')
    .select('build_serial')
    .where('build_code', '=', build)
    // A literal, not a parameter: only then may the partial index lot_scrapped_unit serve.
    .where('unit_state', '=', sql.lit('scrapped'))
    .orderBy('build_serial')
    .execute();
  return rows.map((r) => r.build_serial!);
}

/** Serials of the units with these codes among the build's (codes of other lots are absent). */
export async function unitSerialsByCode(db: Database, build: string, codes: string[]) {
  return inChunks(codes, (chunk) =>
    db
      .selectFrom('lot')
      .select(['code', 'build_serial'])
      .where('build_code', '=', build)
      .where('code', 'in', chunk)
      .execute(),
  );
}

export async function pageOfUnits(db: Database, build: string, limit: number, offset: number) {
  return pageWithTotal(db.selectFrom('lot').where('build_code', '=', build), (q) =>
    q
      .select(['code', 'build_serial', 'unit_state', stockAsideOf])
      .orderBy('build_serial')
      .limit(limit)
      .offset(offset),
  );
}

/** The build's unit with this code as a page of one, or an empty page (another lot's code). */
export async function unitOfBuild(db: Database, build: string, code: string) {
  const rows = await db
    .selectFrom('lot')
    .select(['code', 'build_serial', 'unit_state', stockAsideOf])
    .where('build_code', '=', build)
    .where('code', '=', code)
    .execute();
  return { rows, total: rows.length };
}

/**
 * How many output lots of each build have each stored state and status of stock put aside.
 * Set-based: the lots' put-aside statuses are one grouped join of their held/rejected balances
 * (through the partial index stock_balance_aside), not stockAsideOf's subquery per lot, which
 * made the view of a 10,000-unit build, read after every start, several times slower. Same
 * rule as stockAsideOf: the least status of a positive held or rejected balance.
 */
export async function unitStatesOfBuilds(
  db: Database,
  builds: string[],
): Promise<Map<string, { unit_state: string | null; stock_aside: string | null; n: number }[]>> {
  const rows = await inChunks(builds, (chunk) =>
    db
      .selectFrom('lot')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('stock_balance as b')
            .innerJoin('lot as held', 'held.code', 'b.lot_code')
            .select(['b.lot_code', (e) => e.fn.min<string>('b.status').as('status')])
            .where('held.build_code', 'in', chunk)
            .where(isPutAside('b'))
            .groupBy('b.lot_code')
            .as('aside'),
        (join) => join.onRef('aside.lot_code', '=', 'lot.code'),
      )
      .select([
        'lot.build_code',
        'lot.unit_state',
        'aside.status as stock_aside',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('lot.build_code', 'in', chunk)
      .groupBy(['lot.build_code', 'lot.unit_state', 'aside.status'])
      .execute(),
  );
  return groupBy(
    rows.map((r) => ({
      build_code: r.build_code!,
      unit_state: r.unit_state,
      stock_aside: r.stock_aside,
      n: Number(r.n),
    })),
    (r) => r.build_code,
  );
}

export async function insertCompletion(
  db: Database,
  row: {
    build_code: string;
    stage: number;
    operation: string;
    actor: Actor;
    at: string;
    note: string;
  },
  ranges: SerialRange[],
): Promise<number> {
  const inserted = await db
    .insertInto('completion')
    .values({
      build_code: row.build_code,
      stage: row.stage,
      operation: row.operation,
      actor_code: row.actor.code,
      actor_name: row.actor.name,
      created_at: row.at,
      note: row.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  await insertMany(
    db,
    'completion_range',
    ranges.map((r) => ({ completion_id: id, from_serial: r.from, to_serial: r.to })),
  );
  return id;
}

/**
 * Which completions a read wants: those that count (`counting`: not reversed — the build's
 * progress, what it consumed, the genealogy) or every one ever recorded (`all`: the timeline).
 */
export type CompletionsWanted = 'counting' | 'all';

/** Every completion of a build with its ranges (none: the whole build). */
export async function listCompletions(
  db: Database,
  build: string,
  wanted: CompletionsWanted = 'counting',
) {
  return (await completionsOfBuilds(db, [build], wanted)).get(build) ?? [];
}

/** The completions of builds in the order they were made, each with its serial ranges. */
export async function completionsOfBuilds(
  db: Database,
  builds: string[],
  wanted: CompletionsWanted = 'counting',
) {
  const [completions, ranges] = await Promise.all([
    inChunks(builds, (chunk) => {
      const query = db.selectFrom('completion').selectAll().where('build_code', 'in', chunk);
      return (wanted === 'all' ? query : query.where('reversed_at', 'is', null))
        .orderBy('id')
        .execute();
    }),
    inChunks(builds, (chunk) => {
      const query = db
        .selectFrom('completion_range as r')
        .innerJoin('completion as c', 'c.id', 'r.completion_id')
        .select(['r.completion_id', 'r.from_serial', 'r.to_serial'])
        .where('c.build_code', 'in', chunk);
      return (wanted === 'all' ? query : query.where('c.reversed_at', 'is', null)).execute();
    }),
  ]);
  const rangesOf = groupBy(ranges, (r) => Number(r.completion_id));
  const withRanges = completions
    .map((c) => ({
      ...c,
      id: Number(c.id),
      ranges: (rangesOf.get(Number(c.id)) ?? [])
        .map((r) => ({ from: r.from_serial, to: r.to_serial }))
        .sort((a, b) => a.from - b.from),
    }))
    .sort((a, b) => a.id - b.id);
  return groupBy(withRanges, (c) => c.build_code);
}

/**
 * Marks a completion reversed, if it is not yet: a guarded update, so that of two reversals of
 * one completion exactly one marks it. False: it was reversed already (or is not the build's).
 */
export async function markCompletionReversed(
  db: Database,
  build: string,
  id: number,
  reversal: { at: string; actor: Actor; reason: string; operation: string },
): Promise<boolean> {
  const result = await db
    .updateTable('completion')
    .set({
      reversed_at: reversal.at,
      reversed_by: reversal.actor.name,
      reversed_by_code: reversal.actor.code,
      reversal_reason: reversal.reason,
      reversal_operation: reversal.operation,
    })
    .where('id', '=', id)
    .where('build_code', '=', build)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertConsumption(
  db: Database,
  rows: {
    completion_id: number;
    build_code: string;
    entry_no: number;
    lot_code: string;
    part_code: string;
    quantity: number;
  }[],
) {
  await insertMany(db, 'consumption', rows);
}

/**
 * What a build consumed (of one completion only, when given), in the order it was recorded;
 * of reversed completions too when `all` are wanted.
 */
export async function listConsumption(
  db: Database,
  build: string,
  completionId?: number,
  wanted: CompletionsWanted = 'counting',
) {
  let query = db
    .selectFrom('consumption as c')
    .innerJoin('lot', 'lot.code', 'c.lot_code')
    .innerJoin('part', 'part.code', 'c.part_code')
    .innerJoin('completion as k', 'k.id', 'c.completion_id')
    .select([
      'c.completion_id',
      'k.stage',
      'k.created_at',
      'c.entry_no',
      'c.lot_code',
      'lot.name as lot_name',
      'lot.vendor_lot',
      'lot.date_code',
      'lot.order_ref',
      'c.part_code',
      'part.name as part_name',
      'c.quantity',
    ])
    .where('c.build_code', '=', build);
  if (completionId !== undefined) query = query.where('c.completion_id', '=', completionId);
  if (wanted === 'counting') query = query.where('k.reversed_at', 'is', null);
  return query.orderBy('c.id').execute();
}

/** Output balances in production that would collide with an on-hand balance on finishing. */
export async function countFinishConflicts(db: Database, build: string): Promise<number> {
  const row = await db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .innerJoin('stock_balance as o', (join) =>
      join
        .onRef('o.lot_code', '=', 'b.lot_code')
        .onRef('o.location_code', '=', 'b.location_code')
        .on('o.status', '=', 'on_hand'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lot.build_code', '=', build)
    .where('b.status', '=', 'in_production')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
