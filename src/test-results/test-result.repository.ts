import { sql, type Insertable, type Selectable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { TestResultTable } from '../db/schema.js';

export type TestResultRow = Selectable<TestResultTable>;
export type NewTestResultRow = Insertable<TestResultTable>;

export interface UnitBrief {
  code: string;
  part_code: string;
  build_code: string | null;
}

/** The lots with these codes (a batch names its units once each: one query per 5,000). */
export async function findUnitBriefs(db: Database, codes: string[]): Promise<UnitBrief[]> {
  return inChunks(codes, (chunk) =>
    db
      .selectFrom('lot')
      .select(['code', 'part_code', 'build_code'])
      .where('code', 'in', chunk)
      .execute(),
  );
}

/** Which of these attachment codes name an attachment that is not removed. */
export async function existingAttachments(db: Database, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await inChunks(codes, (chunk) =>
    db
      .selectFrom('attachment')
      .select('code')
      .where('code', 'in', chunk)
      .where('removed_at', 'is', null)
      .execute(),
  );
  return new Set(rows.map((r) => r.code));
}

/** Multi-row INSERTs of results. */
export async function insertResults(db: Database, rows: NewTestResultRow[]): Promise<void> {
  await insertMany(db, 'test_result', rows);
}

export async function insertResult(db: Database, row: NewTestResultRow): Promise<TestResultRow> {
  return db.insertInto('test_result').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findResultRow(db: Database, id: number): Promise<TestResultRow | undefined> {
  return db.selectFrom('test_result').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Marks a result voided, in one guarded statement: of two voids of one result exactly one
 * changes the row. False when it was voided already.
 */
export async function voidResultRow(
  db: Database,
  id: number,
  voided: {
    voided_at: string;
    voided_by_code: string | null;
    voided_by: string;
    void_reason: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('test_result')
    .set(voided)
    .where('id', '=', id)
    .where('voided_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many results (voided ones too) were recorded against each template; absent: none. */
export async function countResultsOfTemplates(
  db: Database,
  templateCodes: string[],
): Promise<Map<string, number>> {
  if (templateCodes.length === 0) return new Map();
  const rows = await db
    .selectFrom('test_result')
    .select(['template_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('template_code', 'in', templateCodes)
    .groupBy('template_code')
    .execute();
  return new Map(rows.map((r) => [r.template_code!, Number(r.n)]));
}

export async function pageOfResults(
  db: Database,
  lotCode: string,
  paging: { limit: number; offset: number },
): Promise<{ rows: TestResultRow[]; total: number }> {
  return pageWithTotal(db.selectFrom('test_result').where('lot_code', '=', lotCode), (q) =>
    q
      .selectAll()
      .orderBy('tested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset(paging.offset),
  );
}

/**
 * The latest result of each templated test of these units: by tested_at, then id (the later
 * insert wins a tie). Only the templates named, when any are. Voided results count for nothing:
 * the latest result that stands decides.
 */
export async function latestResults(
  db: Database,
  lotCodes: string[],
  templateCodes?: string[],
): Promise<TestResultRow[]> {
  if (lotCodes.length === 0 || templateCodes?.length === 0) return [];
  return inChunks(lotCodes, async (chunk) => {
    let ranked = db
      .selectFrom('test_result as r')
      .selectAll('r')
      .select(
        sql<number>`row_number() over (partition by r.lot_code, r.template_code order by r.tested_at desc, r.id desc)`.as(
          'rn',
        ),
      )
      .where('r.lot_code', 'in', chunk)
      .where('r.template_code', 'is not', null)
      .where('r.voided_at', 'is', null);
    if (templateCodes) ranked = ranked.where('r.template_code', 'in', templateCodes);
    const rows = await db.selectFrom(ranked.as('x')).selectAll('x').where('x.rn', '=', 1).execute();
    return rows.map(({ rn: _rn, ...row }) => row as TestResultRow);
  });
}

export interface TemplateCounts {
  template_code: string;
  pass: number;
  fail: number;
}

/**
 * Per enabled template of `partCode`: how many of the build's units (scrapped ones left out)
 * have a latest result (not voided) of pass and of fail — one grouped statement; missing = units − both.
 */
export async function countBuildResults(
  db: Database,
  buildCode: string,
  partCode: string,
): Promise<{ units: number; counts: TemplateCounts[] }> {
  const units = db
    .selectFrom('lot')
    .select('code')
    .where('build_code', '=', buildCode)
    .where((eb) => eb.or([eb('unit_state', 'is', null), eb('unit_state', '!=', 'scrapped')]));
  const latest = db
    .selectFrom('test_result as r')
    .select([
      'r.template_code',
      'r.result',
      sql<number>`row_number() over (partition by r.lot_code, r.template_code order by r.tested_at desc, r.id desc)`.as(
        'rn',
      ),
    ])
    .where('r.lot_code', 'in', units)
    .where('r.template_code', 'is not', null)
    .where('r.voided_at', 'is', null);
  const [counts, total] = await Promise.all([
    db
      .selectFrom('test_template as t')
      .leftJoin(latest.as('l'), (join) =>
        join.onRef('l.template_code', '=', 't.code').on('l.rn', '=', 1),
      )
      .select([
        't.code as template_code',
        sql<number>`sum(case when l.result = 'pass' then 1 else 0 end)`.as('pass'),
        sql<number>`sum(case when l.result = 'fail' then 1 else 0 end)`.as('fail'),
      ])
      .where('t.part_code', '=', partCode)
      .where('t.enabled', '=', 1)
      .groupBy('t.code')
      .execute(),
    db
      .selectFrom(units.as('u'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    units: Number(total.n),
    counts: counts.map((c) => ({
      template_code: c.template_code,
      pass: Number(c.pass),
      fail: Number(c.fail),
    })),
  };
}

/** A build's units that are not scrapped, in serial order (none for an unserialized build). */
export async function unitsOfBuild(db: Database, buildCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('lot')
    .select('code')
    .where('build_code', '=', buildCode)
    .where('unit_state', 'is not', null)
    .where('unit_state', '!=', 'scrapped')
    .orderBy('build_serial')
    .execute();
  return rows.map((r) => r.code);
}

export async function requiresTestsPassed(db: Database, projectCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('project')
    .select('require_tests_passed')
    .where('code', '=', projectCode)
    .executeTakeFirst();
  return row?.require_tests_passed === 1;
}

/** Per unit: its part's enabled tests, how many of them failed last, how many required ones have not passed. */
export interface UnitTestCounts {
  lot_code: string;
  tests: number;
  failed: number;
  unpassed: number;
}

/**
 * The test counts of these units in one grouped statement (per 5,000 units): each unit joined
 * with its part's enabled templates and the latest standing result of each. A unit whose part
 * has no enabled test has no row.
 */
export async function countUnitTests(db: Database, lotCodes: string[]): Promise<UnitTestCounts[]> {
  if (lotCodes.length === 0) return [];
  return inChunks(lotCodes, async (chunk) => {
    const latest = db
      .selectFrom('test_result as r')
      .select([
        'r.lot_code',
        'r.template_code',
        'r.result',
        sql<number>`row_number() over (partition by r.lot_code, r.template_code order by r.tested_at desc, r.id desc)`.as(
          'rn',
        ),
      ])
      .where('r.lot_code', 'in', chunk)
      .where('r.template_code', 'is not', null)
      .where('r.voided_at', 'is', null);
    const rows = await db
      .selectFrom('lot as u')
      .innerJoin('test_template as t', (join) =>
        join.onRef('t.part_code', '=', 'u.part_code').on('t.enabled', '=', 1),
      )
      .leftJoin(latest.as('l'), (join) =>
        join
          .onRef('l.lot_code', '=', 'u.code')
          .onRef('l.template_code', '=', 't.code')
          .on('l.rn', '=', 1),
      )
      .select([
        'u.code as lot_code',
        sql<number>`count(t.code)`.as('tests'),
        sql<number>`sum(case when l.result = 'fail' then 1 else 0 end)`.as('failed'),
        sql<number>`sum(case when t.required = 1 and (l.result is null or l.result <> 'pass') then 1 else 0 end)`.as(
          'unpassed',
        ),
      ])
      .where('u.code', 'in', chunk)
      .groupBy('u.code')
      .execute();
    return rows.map((r) => ({
      lot_code: r.lot_code,
      tests: Number(r.tests),
      failed: Number(r.failed),
      unpassed: Number(r.unpassed),
    }));
  });
}
