import { sql } from 'kysely';
import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { preparedQuery } from '../db/prepared.js';
import { lowerEquals } from '../db/search.js';
import type { ObjectKind } from '../domain/object-kind.js';

export interface CodeMatch {
  kind: ObjectKind;
  code: string;
  name: string;
}

// The resolver runs on every scan. Its statements are built and compiled once per dialect
// (preparedQuery) and look codes up in object_code, where every object's code is registered:
// one index lookup or range whatever the kind, then only the matching kind's table is read
// (a CASE evaluates only the subquery of the branch it takes).
/** A lot is named by its name, or by its part's name when it has none. */
const lotName = sql<string>`case when l.name = '' then lp.name else l.name end`.as('name');

const matches = (db: Database) =>
  db
    .selectFrom('object_code as o')
    .select((eb) => [
      sql<ObjectKind>`o.kind`.as('kind'),
      'o.code',
      eb
        .case('o.kind')
        .when(sql.lit('lot'))
        .then(
          eb
            .selectFrom('lot as l')
            .innerJoin('part as lp', 'lp.code', 'l.part_code')
            .select(lotName)
            .whereRef('l.code', '=', 'o.code'),
        )
        .when(sql.lit('part'))
        .then(eb.selectFrom('part as p').select('p.name').whereRef('p.code', '=', 'o.code'))
        .when(sql.lit('location'))
        .then(eb.selectFrom('location as s').select('s.name').whereRef('s.code', '=', 'o.code'))
        .when(sql.lit('serial_format'))
        .then(
          eb.selectFrom('serial_format as sf').select('sf.name').whereRef('sf.code', '=', 'o.code'),
        )
        .when(sql.lit('project'))
        .then(eb.selectFrom('project as j').select('j.name').whereRef('j.code', '=', 'o.code'))
        // A build is named by its project.
        .when(sql.lit('build'))
        .then(
          eb
            .selectFrom('build as bd')
            .innerJoin('project as bj', 'bj.code', 'bd.project_code')
            .select('bj.name')
            .whereRef('bd.code', '=', 'o.code'),
        )
        // A shipment is named by its customer and reference; a service event by its type.
        .when(sql.lit('shipment'))
        .then(
          eb
            .selectFrom('shipment as sh')
            .select(sql<string>`sh.customer || ' ' || sh.reference`.as('name'))
            .whereRef('sh.code', '=', 'o.code'),
        )
        .when(sql.lit('service_event'))
        .then(
          eb.selectFrom('service_event as se').select('se.type').whereRef('se.code', '=', 'o.code'),
        )
        .when(sql.lit('attachment'))
        .then(
          eb
            .selectFrom('attachment as at')
            .select('at.file_name')
            .whereRef('at.code', '=', 'o.code'),
        )
        .when(sql.lit('test_template'))
        .then(
          eb.selectFrom('test_template as tt').select('tt.name').whereRef('tt.code', '=', 'o.code'),
        )
        .when(sql.lit('label_template'))
        .then(
          eb
            .selectFrom('label_template as lt')
            .select('lt.name')
            .whereRef('lt.code', '=', 'o.code'),
        )
        .end()
        .$castTo<string>()
        .as('name'),
    ])
    // A removed attachment is gone for the resolver: its name and existence are for admins only
    // (who list removed ones on the object and fetch them by their full code).
    .where((eb) =>
      eb.or([
        eb('o.kind', '<>', sql.lit('attachment')),
        eb.exists(
          eb
            .selectFrom('attachment as ra')
            .select(sql.lit(1).as('one'))
            .whereRef('ra.code', '=', 'o.code')
            .where('ra.removed_at', 'is', null),
        ),
      ]),
    );

const withCode = preparedQuery<CodeMatch>((db) => matches(db).where('o.code', '=', ''));

const lotWithCode = preparedQuery<CodeMatch>((db) =>
  db
    .selectFrom('lot as l')
    .innerJoin('part as lp', 'lp.code', 'l.part_code')
    .select([sql<ObjectKind>`'lot'`.as('kind'), 'l.code', lotName])
    .where('l.code', '=', ''),
);

/**
 * The lot with this code, looked up directly: every device is a lot, so most scans name one.
 * Codes are unique across kinds (object_code), so a lot found is the only object with the code.
 */
export async function findLotByCode(db: Database, code: string): Promise<CodeMatch | undefined> {
  const [row] = await lotWithCode(db, [code]);
  return row;
}

/** The object with this code (codes are unique across kinds), or none. */
export async function findByCode(db: Database, code: string): Promise<CodeMatch | undefined> {
  const [row] = await withCode(db, [code]);
  return row;
}

/** The objects with these codes, any kind, each with its name; codes naming nothing are left out. */
export async function findByCodes(db: Database, codes: readonly string[]): Promise<CodeMatch[]> {
  return inChunks(codes, (chunk) => matches(db).where('o.code', 'in', chunk).execute());
}

/**
 * Objects whose code lies in [from, to): one index range. The limit is a literal: SQLite
 * re-prepares a statement whenever a bound LIMIT changes.
 */
const inRange = (limit: number) =>
  preparedQuery<CodeMatch>((db) =>
    matches(db)
      .where('o.code', '>=', '')
      .where('o.code', '<', '')
      .orderBy('o.code')
      .limit(sql.lit(limit)),
  );
const inRangeByLimit = new Map<number, ReturnType<typeof inRange>>();

/** At most `limit` objects whose code starts with a prefix: [prefix, prefixUpperBound(prefix)). */
export async function findCodesInRange(
  db: Database,
  from: string,
  to: string,
  limit: number,
): Promise<CodeMatch[]> {
  let query = inRangeByLimit.get(limit);
  if (!query) inRangeByLimit.set(limit, (query = inRange(limit)));
  return query(db, [from, to]);
}

/**
 * Units whose customer serial is `serial` in any case (one per unit, though a unit may carry
 * serials of several formats), optionally only units of one part: a UDI label's (21) serial
 * counts within its GTIN's part.
 */
export async function findUnitsWithSerial(
  db: Database,
  serial: string,
  limit: number,
  partCode?: string,
): Promise<CodeMatch[]> {
  let query = db
    .selectFrom('customer_serial as cs')
    .innerJoin('lot as l', 'l.code', 'cs.lot_code')
    .innerJoin('part as lp', 'lp.code', 'l.part_code')
    .select([sql<ObjectKind>`'lot'`.as('kind'), 'l.code', lotName])
    .distinct()
    .where(lowerEquals('cs.value', serial));
  if (partCode) query = query.where('l.part_code', '=', partCode);
  return query.orderBy('l.code').limit(limit).execute();
}

/** At most `limit` units (lots) of one part whose code lies in [from, to). */
export async function findLotsOfPartInRange(
  db: Database,
  partCode: string,
  from: string,
  to: string,
  limit: number,
): Promise<CodeMatch[]> {
  return db
    .selectFrom('lot as l')
    .innerJoin('part as lp', 'lp.code', 'l.part_code')
    .select([sql<ObjectKind>`'lot'`.as('kind'), 'l.code', lotName])
    .where('l.part_code', '=', partCode)
    .where('l.code', '>=', from)
    .where('l.code', '<', to)
    .orderBy('l.code')
    .limit(limit)
    .execute();
}

/**
 * Units with build serial `serial` of the builds whose code lies in [from, to), with their
 * build's code: the build's primary key gives the range, the (build_code, build_serial) index
 * each unit.
 */
export async function findUnitsWithBuildSerial(
  db: Database,
  from: string,
  to: string,
  serial: number,
  limit: number,
): Promise<(CodeMatch & { build_code: string })[]> {
  return db
    .selectFrom('build as b')
    .innerJoin('lot as l', (join) =>
      join.onRef('l.build_code', '=', 'b.code').on('l.build_serial', '=', serial),
    )
    .innerJoin('part as lp', 'lp.code', 'l.part_code')
    .select([sql<ObjectKind>`'lot'`.as('kind'), 'l.code', lotName, 'b.code as build_code'])
    .where('b.code', '>=', from)
    .where('b.code', '<', to)
    .orderBy('l.code')
    .limit(limit)
    .execute();
}

const NAMED_TABLES = {
  part: 'part',
  location: 'location',
  project: 'project',
  serial_format: 'serial_format',
  label_template: 'label_template',
  test_template: 'test_template',
} as const;

/** Kinds of objects that people name by their name (any case) where the kind is known. */
export type NamedKind = keyof typeof NAMED_TABLES;

export function isNamedKind(kind: ObjectKind): kind is NamedKind {
  return kind in NAMED_TABLES;
}

/** At most `limit` objects of `kind` whose name is `name` in any case (names need not be unique). */
export async function findByName(
  db: Database,
  kind: NamedKind,
  name: string,
  limit: number,
): Promise<CodeMatch[]> {
  return db
    .selectFrom(NAMED_TABLES[kind])
    .select([sql<ObjectKind>`${sql.lit(kind)}`.as('kind'), 'code', 'name'])
    .where(lowerEquals('name', name))
    .orderBy('code')
    .limit(limit)
    .execute();
}
