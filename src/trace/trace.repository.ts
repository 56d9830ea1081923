import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import type { LotSet } from '../stock/ledger.repository.js';
import { isPostgres } from '../db/migrations/helpers.js';
import type { Unit } from '../domain/quantity.js';
import type { StockStatus } from '../domain/stock-status.js';
import type { UnitState } from '../domain/unit-state.js';

/**
 * Genealogy: "lot A went into lot B" edges (docs/builds.md), followed by recursive SQL, one
 * statement per trace whatever the size of the tree.
 *
 * 1. consumption: the consumed lot → every output lot of the build whose build serial lies in
 *    one of the completion's ranges; a completion without ranges covers every output lot
 *    (a non-serialized build's one lot has no serial).
 * 2. installation rows still open (removed_at null): the child unit → the parent unit.
 * Consumption of a reversed completion is no edge: it went back to stock.
 *
 * Both databases run the same text. PostgreSQL allows the recursive table only once in the
 * recursive term, and a UNION of the two edge kinds joined to it is not planned as index
 * lookups (SQLite materialises such a view in full at every step), so each step is one SELECT
 * of index-friendly LEFT JOINs; the two-row `kinds` table doubles a row where both kinds of
 * edge leave the same lot (a unit installed somewhere that a build also consumed).
 */

/**
 * The plan settings of traversal statements on PostgreSQL: nested loops of index lookups. Its
 * planner guesses a recursive result at ten times one step's estimate whatever the data; with
 * the guess it joins the result to lot or stock_balance by hashing the whole table (a
 * sequential scan of a million rows to decorate a few hundred), and the inflated costs switch
 * JIT compilation on (hundreds of milliseconds). Each step looks lots up one at a time, so a
 * lookup is a plain index scan: a bitmap scan builds and frees its bitmap for every row (about
 * 5 % of a 5,000-unit recall). Nor a sequential scan: while consumption is small (133 rows
 * beside 100,000 units) the planner scans all of it for every unit a step expands instead of
 * probing consumption_lot — a recall took 1.5× as long; on 1,000,000 units the plan is the
 * same either way. A lot by its code, a unit's open installation, what consumed a lot and a
 * lot's balances are looked up through hash indexes (migration 0031): one bucket page a probe,
 * not a B-tree descent.
 * Local to the transaction (`true`). The benchmark's floor runs the same text.
 */
export const TRAVERSAL_PLAN_SQL = `select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`;

/**
 * Runs traversal statements with the plan they need on PostgreSQL (TRAVERSAL_PLAN_SQL), in a
 * transaction (one is opened when the caller has none). SQLite plans the lookups from the
 * LEFT JOIN order.
 */
export async function withTraversalPlan<T>(
  db: Database,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  if (!isPostgres(db)) return fn(db);
  const run = async (trx: Database) => {
    await sql.raw(TRAVERSAL_PLAN_SQL).execute(trx);
    return fn(trx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * The consumption row `c` counts: its completion was not reversed (a reversed completion's
 * consumption went back to stock, so it is in no unit). One primary-key lookup per row.
 */
function counted(c: string): RawBuilder<unknown> {
  const row = sql.ref(`${c}.completion_id`);
  return sql`not exists (select 1 from completion kr where kr.id = ${row} and kr.reversed_at is not null)`;
}

/** Deeper than any real genealogy: only stops a cycle, which the services cannot make anyway. */
export const MAX_DEPTH = 64;

const LAST_SERIAL = 2_147_483_647;

/**
 * The lots `roots` went into, recursively, with each lot's own columns and `installed_in`, the
 * unit it is installed in now. A lot reached by consumption has one row per (level, consumed lot
 * `via`, completion); a lot reached by installation one row per level, `via` null: which of its
 * units are installed in it is their `installed_in`. So a board holding two reached modules is one
 * row, expanded once, not once per module — the same for everything above it.
 *
 * Each step reaches a lot through exactly one of `o` (a unit of a completion's ranges), `w` (the
 * one output lot of a build without serials) or `p` (the unit the lot is installed in), so the
 * lot's columns are taken from whichever matched instead of a second lookup of every row
 * afterwards; `i` looks up where the reached lot is installed, which its own step follows.
 */
function upwardCte(roots: readonly string[]): RawBuilder<unknown> {
  const column = (name: string) => sql.raw(`coalesce(o.${name}, w.${name}, p.${name})`);
  return sql`with recursive kinds(n) as (select 1 union all select 2),
reach(code, level, via, completion_id, part_code, name, build_code, build_serial, unit_state,
      installed_in) as (
  select l.code, 0, nullif(l.code, l.code), cast(null as bigint),
         l.part_code, l.name, l.build_code, l.build_serial, l.unit_state, i.parent_code
    from lot l
    left join installation i on i.child_code = l.code and i.removed_at is null
   where l.code in (${sql.join(roots)})
  union
  select ${column('code')},
         r.level + 1,
         case when k.n = 1 and c.id is not null then r.code end,
         case when k.n = 1 and c.id is not null then c.completion_id end,
         ${column('part_code')}, ${column('name')}, ${column('build_code')},
         ${column('build_serial')}, ${column('unit_state')}, i.parent_code
    from reach r
    left join consumption c on c.lot_code = r.code and ${counted('c')}
    join kinds k on k.n = 1 or (r.installed_in is not null and c.id is not null)
    left join completion_range x on k.n = 1 and x.completion_id = c.completion_id
    left join lot o on k.n = 1 and o.build_code = c.build_code
         and o.build_serial between coalesce(x.from_serial, 0) and coalesce(x.to_serial, ${sql.lit(LAST_SERIAL)})
    left join lot w on k.n = 1 and x.completion_id is null and w.build_code = c.build_code
         and w.build_serial is null
    left join lot p on p.code = r.installed_in and (k.n = 2 or c.id is null)
    left join installation i on i.child_code = ${column('code')} and i.removed_at is null
   where r.level < ${sql.lit(MAX_DEPTH)} and coalesce(o.code, w.code, p.code) is not null
)`;
}

/** Every lot the roots went into, and the roots: what a recall holds. */
export function upwardLots(roots: readonly string[]): LotSet {
  return { with: upwardCte(roots), codes: sql`select code from reach` };
}

/**
 * A lot reached by a forward trace: once per (level, consumed lot, completion) when consumption
 * reached it, once per level when installation did (see upwardCte).
 */
export interface ReachedRow {
  code: string;
  level: number;
  /** The lot whose consumption made this one (null for a root or a lot reached by installation). */
  via: string | null;
  /** The completion that consumed `via` into this lot. */
  completion_id: number | null;
  /** The unit this lot is installed in now: the lot it reaches on the next level. */
  installed_in: string | null;
  part_code: string;
  name: string;
  build_code: string | null;
  build_serial: number | null;
  unit_state: UnitState | null;
}

/** A balance of a reached lot. */
export interface ReachedBalance {
  lot_code: string;
  status: StockStatus;
  quantity: number;
  location_code: string;
}

export interface Upward {
  /**
   * Distinct rows (the statement's UNION): a lot's columns follow from its code, so no two
   * share (code, level, via, completion).
   */
  reached: ReachedRow[];
  /** Each balance of each reached lot once. */
  balances: ReachedBalance[];
}

/**
 * Forward trace: every lot the roots went into, through every level, with the lot, and the
 * balances of those lots, in one statement. Balances come as rows of their own (level null)
 * rather than joined to every path of their lot: each is read and sent once, and the caller
 * need not remove the repeats a join makes. (Part and location names are few: the caller
 * looks them up.)
 */
export async function traceUpward(db: Database, roots: readonly string[]): Promise<Upward> {
  if (roots.length === 0) return { reached: [], balances: [] };
  const { rows } = await sql<UpwardSqlRow>`${upwardCte(roots)}
select r.code, r.level, r.via, r.completion_id,
       r.part_code, r.name, r.build_code, r.build_serial, r.unit_state, r.installed_in,
       null as status, null as quantity, null as location_code
  from reach r
union all
select s.lot_code, null, null, null, null, null, null, null, null, null,
       s.status, s.quantity, s.location_code
  from stock_balance s
 where s.lot_code in (select code from reach)`.execute(db);
  const upward: Upward = { reached: [], balances: [] };
  for (const row of rows) {
    if (row.level === null) upward.balances.push(balanceOf(row));
    else upward.reached.push(row as ReachedRow);
  }
  return upward;
}

/** A row of traceUpward's statement: a reached lot, or (level null) a balance of one. */
type UpwardSqlRow = Omit<ReachedRow, 'level'> & {
  level: number | null;
  status: StockStatus | null;
  quantity: number | null;
  location_code: string | null;
};

function balanceOf(row: UpwardSqlRow): ReachedBalance {
  return {
    lot_code: row.code,
    status: row.status!,
    quantity: Number(row.quantity),
    location_code: row.location_code!,
  };
}

export interface DownwardRow {
  code: string;
  level: number;
  /** The lot this one went into on this path (null for the root). */
  via: string | null;
  installation_id: number | null;
  consumption_id: number | null;
  part_code: string;
  name: string;
  vendor_lot: string;
  date_code: string;
  order_ref: string;
  expiry: string | null;
  build_code: string | null;
  build_serial: number | null;
  unit_state: UnitState | null;
  part_name: string;
  part_mpn: string;
  part_manufacturer: string;
  part_unit: Unit;
  entry_no: number | null;
  installed_at: string | null;
  installed_by: string | null;
  quantity: number | null;
  completion_id: number | null;
  stage: number | null;
  completed_at: string | null;
}

/**
 * Backward trace: everything that went into the root, recursively — units installed in it now,
 * lots its build consumed for it (a completion whose ranges hold its serial, or one without
 * ranges), and so on down to supplier lots — with each lot, its part and the edge, in one
 * statement.
 */
export async function traceDownward(db: Database, root: string): Promise<DownwardRow[]> {
  const { rows } = await sql<DownwardRow>`with recursive kinds(n) as (select 1 union all select 2),
down(code, level, via, installation_id, consumption_id) as (
  select code, 0, nullif(code, code), cast(null as bigint), cast(null as bigint) from lot
   where code = ${root}
  union
  select case when k.n = 1 then i.child_code else c.lot_code end,
         d.level + 1,
         d.code,
         case when k.n = 1 then i.id end,
         case when k.n = 2 then c.id end
    from down d
    join lot u on u.code = d.code
    cross join kinds k
    left join installation i on k.n = 1 and i.parent_code = d.code and i.removed_at is null
    left join consumption c on k.n = 2 and c.build_code = u.build_code and ${counted('c')}
         and (not exists (select 1 from completion_range x where x.completion_id = c.completion_id)
              or exists (select 1 from completion_range x
                          where x.completion_id = c.completion_id
                            and x.from_serial <= u.build_serial and x.to_serial >= u.build_serial))
   where d.level < ${sql.lit(MAX_DEPTH)} and coalesce(i.child_code, c.lot_code) is not null
)
select d.code, d.level, d.via, d.installation_id, d.consumption_id,
       l.part_code, l.name, l.vendor_lot, l.date_code, l.order_ref, l.expiry,
       l.build_code, l.build_serial, l.unit_state,
       p.name as part_name, p.mpn as part_mpn, p.manufacturer as part_manufacturer,
       p.unit as part_unit,
       coalesce(i.entry_no, c.entry_no) as entry_no, i.installed_at, i.installed_by,
       c.quantity, c.completion_id, k.stage, k.created_at as completed_at
  from down d
  left join lot l on l.code = d.code
  left join part p on p.code = l.part_code
  left join installation i on i.id = d.installation_id
  left join consumption c on c.id = d.consumption_id
  left join completion k on k.id = c.completion_id
 order by d.level`.execute(db);
  return rows.map((r) => ({
    ...r,
    installation_id: r.installation_id === null ? null : Number(r.installation_id),
    consumption_id: r.consumption_id === null ? null : Number(r.consumption_id),
    completion_id: r.completion_id === null ? null : Number(r.completion_id),
    quantity: r.quantity === null ? null : Number(r.quantity),
  }));
}

export interface CompletionScopeRow {
  id: number;
  build_code: string;
  stage: number;
  build_quantity: number;
  serialized: number;
  from_serial: number | null;
  to_serial: number | null;
}

/** Completions with their build's size and their ranges (one row per range; none: nulls). */
export async function completionScopes(
  db: Database,
  ids: readonly number[],
): Promise<CompletionScopeRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('completion as k')
    .innerJoin('build as b', 'b.code', 'k.build_code')
    .leftJoin('completion_range as x', 'x.completion_id', 'k.id')
    .select([
      'k.id',
      'k.build_code',
      'k.stage',
      'b.quantity as build_quantity',
      'b.serialized',
      'x.from_serial',
      'x.to_serial',
    ])
    .where('k.id', 'in', [...ids])
    .orderBy('k.id')
    .orderBy('x.from_serial')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), build_quantity: Number(r.build_quantity) }));
}

/**
 * Per completion, the lots it took alone for some BOM entry: every unit it covered received
 * that entry from that lot. A lot taken with others for an entry (FIFO across two reels) may be
 * in any of the units, so it is not listed.
 */
export async function soleLotsOf(
  db: Database,
  ids: readonly number[],
): Promise<{ completion_id: number; lot_code: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('consumption')
    .select(['completion_id', (eb) => eb.fn.min('lot_code').as('lot_code')])
    .where('completion_id', 'in', [...ids])
    .groupBy(['completion_id', 'entry_no'])
    .having((eb) => eb.fn.count('lot_code').distinct(), '=', 1)
    .execute();
  return rows.map((r) => ({ completion_id: Number(r.completion_id), lot_code: r.lot_code! }));
}

/** Units once installed in these parents and removed since (rework, repair): history. */
export async function removedInstallations(db: Database, parents: readonly string[]) {
  if (parents.length === 0) return [];
  return db
    .selectFrom('installation as i')
    .innerJoin('lot as l', 'l.code', 'i.child_code')
    .innerJoin('part as p', 'p.code', 'l.part_code')
    .select([
      'i.parent_code',
      'i.child_code',
      'i.entry_no',
      'i.installed_at',
      'i.removed_at',
      'i.removed_by',
      'i.removed_reason',
      'l.build_code',
      'l.build_serial',
      'p.code as part_code',
      'p.name as part_name',
    ])
    .where('i.parent_code', 'in', [...parents])
    .where('i.removed_at', 'is not', null)
    .orderBy('i.removed_at')
    .execute();
}

/** The unit a unit is installed in now, if any, with what its label needs. */
export async function findInstalledIn(db: Database, child: string) {
  return db
    .selectFrom('installation as i')
    .innerJoin('lot as l', 'l.code', 'i.parent_code')
    .select(['l.code', 'l.build_code', 'l.build_serial'])
    .where('i.child_code', '=', child)
    .where('i.removed_at', 'is', null)
    .executeTakeFirst();
}

/** Lots of a part matching a vendor lot and/or a date code: the roots of a recall by query. */
export async function findLotCodesBy(
  db: Database,
  filter: { part: string; vendorLot?: string | undefined; dateCode?: string | undefined },
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom('lot').select('code').where('part_code', '=', filter.part);
  if (filter.vendorLot !== undefined) query = query.where('vendor_lot', '=', filter.vendorLot);
  if (filter.dateCode !== undefined) query = query.where('date_code', '=', filter.dateCode);
  const rows = await query.orderBy('created_at').orderBy('code').limit(limit).execute();
  return rows.map((r) => r.code);
}
