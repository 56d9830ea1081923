import { now, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { groupBy } from '../domain/collections.js';
import { formatCsv } from '../domain/csv-format.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { toUnits } from '../domain/quantity.js';
import { unitLabel } from '../domain/unit-label.js';
import type { Actor } from '../domain/roles.js';
import { formatRanges, rangeSize, type SerialRange } from '../domain/serial-ranges.js';
import type { StockStatus } from '../domain/stock-status.js';
import { asideStatus, unitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { namesOf } from '../builds/build.repository.js';
import { findLotRows } from '../lots/lot.repository.js';
import { findPartRow } from '../parts/part.repository.js';
import { findPartBriefs } from '../projects/project.repository.js';
import { resolveCode } from '../resolver/resolve.service.js';
import { findOpenShipmentsOf } from '../shipments/shipment.repository.js';
import { increaseBalances, insertEntries, stockAsideOfLots } from '../stock/stock.repository.js';
import {
  completionScopes,
  soleLotsOf,
  findLotCodesBy,
  findInstalledIn,
  removedInstallations,
  takeUpwardBalances,
  traceDownward,
  traceUpward,
  withTraversalPlan,
  type DownwardRow,
  type ReachedRow,
  type Upward,
} from './trace.repository.js';
import {
  HoldRequest,
  RecallQuery,
  type HoldResult,
  type Recall,
  type RecallItem,
  type RemovedChild,
  type TraceEdge,
  type TraceNode,
  type TraceTree,
} from './trace.schemas.js';

/** The most lots one recall by part and vendor lot or date code starts from. */
export const MAX_RECALL_SOURCES = 1000;

/** Stock a recall hold changes to held: usable stock and units still being built. */
const HELD_FROM: StockStatus[] = ['on_hand', 'in_production'];

/**
 * Backward trace: the tree of everything in a unit (or any lot) — units installed in it,
 * recursively, and the lots its build consumed for it — down to supplier lots.
 */
export async function traceBackward(ctx: Context, ref: string): Promise<TraceTree> {
  const code = await resolveLot(ctx, ref);
  const rows = await withTraversalPlan(ctx.db, (db) => traceDownward(db, code));
  const completionIds = unique(rows.map((r) => r.completion_id).filter(isNumber));
  const unitCodes = unique(rows.filter((r) => r.build_serial !== null).map((r) => r.code));
  const [scopes, removed, parent, aside] = await Promise.all([
    scopesOf(ctx.db, completionIds),
    removedInstallations(ctx.db, unitCodes),
    findInstalledIn(ctx.db, code),
    stockAsideOfLots(ctx.db, unitCodes),
  ]);
  const removedBy = groupBy(
    removed.map((r): RemovedChild & { parent: string } => ({
      parent: r.parent_code,
      code: r.child_code,
      shortCode: shortCode(r.child_code),
      part: { code: r.part_code, name: r.part_name },
      label: unitLabel(r),
      entryNo: r.entry_no,
      installedAt: r.installed_at,
      removedAt: r.removed_at!,
      removedBy: r.removed_by,
      reason: r.removed_reason,
    })),
    (r) => r.parent,
  );
  // A row is one (lot, level, parent, edge); the children of a row are the rows one level
  // further down whose parent is its lot.
  const childRows = groupBy(
    rows.filter((r) => r.via !== null),
    (r) => `${r.level}\t${r.via}`,
  );
  let buildScoped = 0;
  const toNode = (row: DownwardRow): TraceNode => {
    const via = edgeOf(row, scopes);
    if (via?.type === 'consumed' && via.scope === 'build') buildScoped++;
    const children = (childRows.get(`${row.level + 1}\t${row.code}`) ?? [])
      .map(toNode)
      .sort(byEdge);
    const object = traceObject(row);
    return {
      ...object,
      unitState: object.unitState && unitState(object.unitState, aside.get(row.code) ?? null),
      via,
      children,
      removed: (removedBy.get(row.code) ?? []).map(({ parent: _, ...r }) => r),
    };
  };
  const rootRow = rows.find((r) => r.level === 0)!;
  const root = toNode(rootRow);
  const distinct = new Map(rows.map((r) => [r.code, r]));
  const units = [...distinct.values()].filter((r) => r.build_serial !== null).length;
  return {
    root,
    installedIn: parent
      ? { code: parent.code, shortCode: shortCode(parent.code), label: unitLabel(parent) }
      : null,
    counts: {
      nodes: countNodes(root),
      units,
      lots: distinct.size - units,
      supplierLots: [...distinct.values()].filter((r) => r.build_code === null).length,
      depth: Math.max(...rows.map((r) => r.level)),
      buildScoped,
    },
  };
}

/**
 * Forward trace (recall) of a lot: every unit and lot that may contain it, through every level
 * of sub-assemblies, with where each is now.
 */
export async function traceForward(ctx: Context, ref: string): Promise<Recall> {
  return recallOf(ctx, [await resolveLot(ctx, ref)]);
}

/** Recall of every lot of a part with a vendor lot and/or a date code (a bad batch). */
export async function recallBatch(ctx: Context, query: RecallQuery): Promise<Recall> {
  const data = parseInput(RecallQuery, query);
  const part = parseCode(data.part, 'part');
  if (data.vendorLot === undefined && data.dateCode === undefined) {
    throw new ValidationError('dateCode', 'give a vendor lot, a date code or both');
  }
  if (!(await findPartRow(ctx.db, part))) throw new NotFoundError('part', part, 'part');
  const roots = await findLotCodesBy(
    ctx.db,
    { part, vendorLot: data.vendorLot, dateCode: data.dateCode },
    MAX_RECALL_SOURCES + 1,
  );
  if (roots.length > MAX_RECALL_SOURCES) {
    throw new ValidationError(
      'part',
      `more than ${MAX_RECALL_SOURCES} lots match: narrow the vendor lot or date code`,
    );
  }
  return recallOf(ctx, roots);
}

/**
 * Holds all stock that may contain the lot: every on-hand or in-production balance of the lot
 * and of every unit and lot it went into changes to held, with status_changed ledger entries of
 * one operation, in one transaction. Balances held already are left alone (not counted).
 */
export async function holdRecall(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: HoldRequest,
): Promise<HoldResult> {
  const { note } = parseInput(HoldRequest, input);
  const code = await resolveLot(ctx, ref);
  const operation = ctx.newCode();
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    // One guarded statement takes the balances out; what it answers is exactly what is held.
    const taken = await withTraversalPlan(db, (trx) => takeUpwardBalances(trx, [code], HELD_FROM));
    if (taken.length === 0) return { operation: null, lots: 0, balances: 0, byStatus: [] };
    await increaseBalances(
      db,
      taken.map((b) => ({ ...b, status: 'held' as const })),
    );
    const entry = (b: (typeof taken)[number], status: StockStatus, quantity: number) => ({
      operation,
      type: 'status_changed' as const,
      lot_code: b.lot_code,
      part_code: b.part_code,
      location_code: b.location_code,
      status,
      quantity,
      note,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
      ref_code: code,
    });
    await insertEntries(
      db,
      taken.flatMap((b) => [entry(b, b.status, -b.quantity), entry(b, 'held', b.quantity)]),
    );
    const lots = new Set(taken.map((b) => b.lot_code)).size;
    const byStatus = HELD_FROM.map((status) => {
      const of = taken.filter((b) => b.status === status);
      return {
        status,
        balances: of.length,
        quantity: toUnits(of.reduce((n, b) => n + b.quantity, 0)),
      };
    }).filter((s) => s.balances > 0);
    return { operation, lots, balances: taken.length, byStatus };
  });
}

export const RECALL_CSV_COLUMNS = [
  'level',
  'kind',
  'code',
  'short_code',
  'label',
  'part',
  'mpn',
  'state',
  'installed_in',
  'stock_status',
  'quantity',
  'location',
  'shipped_to',
  'scope',
  'via',
  'path',
];

/** The items of a recall as CSV: one line per unit or lot, with where it is now. */
export function recallCsv(recall: Recall): string {
  return formatCsv([
    RECALL_CSV_COLUMNS,
    ...recall.items.map((item) => [
      String(item.level),
      item.kind,
      item.code,
      item.shortCode,
      item.label ?? '',
      item.part.name,
      item.part.mpn,
      item.status.state,
      item.status.installedIn?.code ?? '',
      item.status.stock.map((s) => s.status).join('; '),
      item.status.stock.map((s) => String(s.quantity)).join('; '),
      item.status.stock.map((s) => s.location.name).join('; '),
      item.status.shipment
        ? `${item.status.shipment.customer} ${item.status.shipment.reference} ${item.status.shipment.date}`.trim()
        : '',
      item.scope,
      item.via,
      item.path.map(shortCode).join(' > '),
    ]),
  ]);
}

/** The lot (or unit) `ref` names: a code, a prefix or a URL; errors name the field `code`. */
async function resolveLot(ctx: Context, ref: string): Promise<string> {
  const match = await resolveCode(ctx, ref, 'code');
  if (match.kind !== 'lot') {
    throw new ValidationError('code', `${match.code} is a ${match.kind}, not a lot or unit`);
  }
  return match.code;
}

interface Scope {
  build: string;
  stage: number;
  units: string;
  /** Output lots the completion covered: its units, or the build's one output lot. */
  covered: number;
  /** Lots it took alone for some entry (see scopeOf). */
  sole: Set<string>;
}

/**
 * Whether each unit a completion covered certainly contains a lot it consumed: so when the
 * completion took that lot alone for one of its entries (a whole build as much as named units);
 * a lot taken with others for an entry (FIFO across reels) may be in any of its units. Later
 * completions and scraps do not change this: a unit completes a stage once, and a scrapped unit
 * keeps what went into it.
 */
function scopeOf(scope: Scope, lot: string): 'unit' | 'build' {
  return scope.sole.has(lot) ? 'unit' : 'build';
}

/** Each completion's build, stage, units, and the lots it took alone for an entry. */
async function scopesOf(db: Database, ids: number[]): Promise<Map<number, Scope>> {
  const [rows, sole] = await Promise.all([completionScopes(db, ids), soleLotsOf(db, ids)]);
  const soleBy = groupBy(sole, (r) => r.completion_id);
  const scopes = new Map<number, Scope>();
  for (const [id, of] of groupBy(rows, (r) => r.id)) {
    const first = of[0]!;
    const serials: SerialRange[] = of
      .filter((r) => r.from_serial !== null)
      .map((r) => ({ from: r.from_serial!, to: r.to_serial! }));
    scopes.set(id, {
      build: first.build_code,
      stage: first.stage,
      units: serials.length === 0 ? 'all' : formatRanges(serials),
      covered: !first.serialized
        ? 1
        : serials.length === 0
          ? first.build_quantity
          : rangeSize(serials),
      sole: new Set((soleBy.get(id) ?? []).map((r) => r.lot_code)),
    });
  }
  return scopes;
}

type Balance = RecallItem['status']['stock'][number];

/** How a lot was reached: from `via`, at `level`, consumed by a completion or installed (null). */
interface Edge {
  level: number;
  via: string;
  completion: number | null;
  /** The node of `via`, set once every node exists. */
  from: Node | undefined;
}

interface Node {
  row: ReachedRow;
  stock: Balance[];
  /** Distinct (level, via, completion) it was reached by, in the statement's order. */
  edges: Edge[];
  exact: boolean;
  best: Edge | undefined;
  path: string[] | undefined;
  /** Set while its path is worked out: meeting it again on the way is a cycle. */
  visiting: boolean;
  installedIn: Node | undefined;
}

/**
 * One node per lot reached, with its edges and balances. The statement answers each reached
 * row and each balance once, so they are appended as they come (no repeats to remove). Every
 * field is set at once, and a node's first edge makes a one-element array: thousands of nodes,
 * so each one small.
 */
function nodesOf({ reached, balances }: Upward): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const row of reached) {
    const edge = row.via === null ? undefined : reachedEdge(row, row.via);
    const node = nodes.get(row.code);
    if (!node) nodes.set(row.code, newNode(row, edge));
    else if (edge) node.edges.push(edge);
  }
  for (const b of balances) {
    nodes.get(b.lot_code)!.stock.push({
      status: b.status,
      location: { code: b.location_code, name: '' },
      quantity: toUnits(b.quantity),
    });
  }
  // Linked once every node exists (the statement returns rows in no promised order). An edge
  // without a completion is an installation: the child is installed in this lot.
  for (const node of nodes.values()) {
    for (const edge of node.edges) {
      edge.from = nodes.get(edge.via)!;
      if (edge.completion === null) edge.from.installedIn = node;
    }
  }
  return nodes;
}

function reachedEdge(row: ReachedRow, via: string): Edge {
  const completion = row.completion_id === null ? null : Number(row.completion_id);
  return { level: row.level, via, completion, from: undefined };
}

function newNode(row: ReachedRow, edge: Edge | undefined): Node {
  return {
    row,
    stock: [],
    edges: edge ? [edge] : [],
    exact: false,
    best: undefined,
    path: undefined,
    visiting: false,
    installedIn: undefined,
  };
}

/** What a recall looks up besides the statement: scopes, names and open shipments. */
function lookupsOf(db: Database, { reached, balances }: Upward) {
  const completions = new Set<number>();
  const parts = new Set<string>();
  const shipped = new Set<string>();
  for (const r of reached) {
    if (r.completion_id !== null) completions.add(Number(r.completion_id));
    parts.add(r.part_code);
    if (r.unit_state === 'shipped') shipped.add(r.code);
  }
  return Promise.all([
    scopesOf(db, [...completions]),
    findPartBriefs(db, [...parts]),
    namesOf(db, 'location', unique(balances.map((b) => b.location_code))),
    findOpenShipmentsOf(db, [...shipped]),
  ]);
}

async function recallOf(ctx: Context, roots: string[]): Promise<Recall> {
  // On PostgreSQL the lookups run in the server while this process works: the source lots
  // beside the statement, the others (on other connections) while its transaction commits and
  // the nodes are built.
  const [[upward, lookups], sources] = await Promise.all([
    withTraversalPlan(ctx.db, async (db) => {
      const found = await traceUpward(db, roots);
      return [found, awaitedLater(lookupsOf(ctx.db, found))] as const;
    }),
    findLotRows(ctx.db, roots),
  ]);
  const nodes = nodesOf(upward);
  const [scopes, parts, locations, shipments] = await lookups;
  // One part and one build object each, shared by every item that names it (they are answers
  // only, never changed).
  const partOf = memo((code: string) => {
    const part = parts.get(code);
    return { code, name: part?.name ?? '', mpn: part?.mpn ?? '' };
  });
  const buildOf = memo((code: string) => ({ code, shortCode: shortCode(code) }));
  // Named, then sorted in place: each node's balances are its answer's.
  for (const node of nodes.values()) {
    for (const s of node.stock) s.location.name = locations.get(s.location.code) ?? '';
    node.stock.sort(byStock);
  }
  const exactEdge = ({ completion, via }: Edge) =>
    completion === null || scopeOf(scopes.get(completion)!, via) === 'unit';

  // A lot is affected unit-scoped when some path to it names its units at every step; a
  // build-scoped consumption anywhere on every path makes it "may contain". Each pass settles
  // one more level of the paths; the graph is as deep as the levels of sub-assemblies.
  for (const code of roots) {
    const root = nodes.get(code);
    if (root) {
      root.exact = true;
      root.path = [];
    }
  }
  const items = [...nodes.values()].filter((n) => n.edges.length > 0);
  for (let changed = true; changed;) {
    changed = false;
    for (const node of items) {
      if (node.exact) continue;
      for (const edge of node.edges) {
        if (exactEdge(edge) && edge.from!.exact) {
          node.exact = true;
          node.best = edge;
          changed = true;
          break;
        }
      }
    }
  }
  // Otherwise the first edge of the lowest level.
  for (const node of items) node.best ??= node.edges.reduce((a, b) => (b.level < a.level ? b : a));
  const pathOf = (node: Node): string[] => {
    if (node.path) return node.path;
    const { via, from: next } = node.best!;
    // A cycle (which the services cannot make) ends the path rather than the request.
    if (next!.visiting) return [via];
    node.visiting = true;
    node.path = [...pathOf(next!), via];
    node.visiting = false;
    return node.path;
  };

  const recallItems: RecallItem[] = items.map((node) => {
    const r = node.row;
    const path = pathOf(node);
    const stock = node.stock;
    const parent = node.installedIn?.row;
    return {
      code: r.code,
      shortCode: shortCode(r.code),
      kind: r.build_serial === null ? 'lot' : 'unit',
      name: r.name,
      part: partOf(r.part_code),
      build: r.build_code ? buildOf(r.build_code) : null,
      serial: r.build_serial,
      label: unitLabel(r),
      level: path.length,
      via: node.best!.completion === null ? 'installed' : 'consumed',
      path,
      scope: node.exact ? 'unit' : 'build',
      status: {
        state:
          r.unit_state !== null
            ? unitState(
                r.unit_state,
                asideStatus(stock.filter((s) => s.quantity > 0).map((s) => s.status)),
              )
            : stock.some((s) => s.quantity > 0)
              ? 'in_stock'
              : 'used_up',
        installedIn: parent
          ? {
              code: parent.code,
              shortCode: shortCode(parent.code),
              label: unitLabel(parent),
            }
          : null,
        shipment: shipmentOf(shipments.get(r.code)),
        stock,
      },
    };
  });
  recallItems.sort(
    (a, b) =>
      a.level - b.level ||
      compare(a.build?.code ?? '', b.build?.code ?? '') ||
      (a.serial ?? 0) - (b.serial ?? 0) ||
      compare(a.code, b.code),
  );

  const buildScoped = new Map<string, Recall['buildScoped'][number]>();
  for (const node of items) {
    for (const edge of node.edges.values()) {
      const scope = edge.completion === null ? undefined : scopes.get(edge.completion);
      if (!scope || scopeOf(scope, edge.via) !== 'build') continue;
      const key = `${edge.completion}\t${edge.via}`;
      if (!buildScoped.has(key)) {
        buildScoped.set(key, {
          build: { code: scope.build, shortCode: shortCode(scope.build) },
          completion: edge.completion!,
          stage: scope.stage,
          lot: edge.via,
          units: scope.covered,
        });
      }
    }
  }

  return {
    sources: sortedLike(roots, sources).map((lot) => {
      const n = nodes.get(lot.code)!;
      return {
        code: lot.code,
        shortCode: shortCode(lot.code),
        name: n.row.name,
        part: partOf(n.row.part_code),
        vendorLot: lot.vendor_lot,
        dateCode: lot.date_code,
        stock: n.stock,
      };
    }),
    items: recallItems,
    counts: recallCounts(recallItems),
    buildScoped: [...buildScoped.values()],
  };
}

function recallCounts(items: RecallItem[]): Recall['counts'] {
  const byLevel = new Map<number, { level: number; units: number; lots: number }>();
  const byState = new Map<RecallItem['status']['state'], number>();
  for (const item of items) {
    const level = byLevel.get(item.level) ?? { level: item.level, units: 0, lots: 0 };
    if (item.kind === 'unit') level.units++;
    else level.lots++;
    byLevel.set(item.level, level);
    byState.set(item.status.state, (byState.get(item.status.state) ?? 0) + 1);
  }
  const units = items.filter((i) => i.kind === 'unit').length;
  const unitScoped = items.filter((i) => i.scope === 'unit').length;
  return {
    total: items.length,
    units,
    lots: items.length - units,
    unitScoped,
    buildScoped: items.length - unitScoped,
    byLevel: [...byLevel.values()].sort((a, b) => a.level - b.level),
    byState: [...byState.entries()]
      .map(([state, count]) => ({ state, count }))
      .sort((a, b) => b.count - a.count || compare(a.state, b.state)),
  };
}

function traceObject(r: DownwardRow): Omit<TraceNode, 'via' | 'children' | 'removed'> {
  return {
    code: r.code,
    shortCode: shortCode(r.code),
    kind: r.build_serial === null ? 'lot' : 'unit',
    name: r.name,
    part: {
      code: r.part_code,
      name: r.part_name,
      mpn: r.part_mpn,
      manufacturer: r.part_manufacturer,
      unit: r.part_unit,
    },
    build: r.build_code ? { code: r.build_code, shortCode: shortCode(r.build_code) } : null,
    serial: r.build_serial,
    label: unitLabel(r),
    unitState: r.unit_state,
    vendorLot: r.vendor_lot,
    dateCode: r.date_code,
    orderRef: r.order_ref,
    expiry: r.expiry,
  };
}

function edgeOf(row: DownwardRow, scopes: Map<number, Scope>): TraceEdge | null {
  if (row.installation_id !== null) {
    return {
      type: 'installed',
      entryNo: row.entry_no!,
      installedAt: row.installed_at!,
      installedBy: row.installed_by!,
    };
  }
  if (row.consumption_id !== null) {
    const scope = scopes.get(row.completion_id!)!;
    return {
      type: 'consumed',
      build: { code: scope.build, shortCode: shortCode(scope.build) },
      completion: row.completion_id!,
      stage: row.stage!,
      entryNo: row.entry_no!,
      quantity: toUnits(row.quantity!),
      scope: scopeOf(scope, row.code),
      units: scope.units,
      completedAt: row.completed_at!,
    };
  }
  return null;
}

/** Installed units first (by BOM entry), then consumed lots by stage and entry. */
function byEdge(a: TraceNode, b: TraceNode): number {
  const rank = (n: TraceNode) =>
    n.via?.type === 'installed'
      ? [0, 0, n.via.entryNo]
      : [1, n.via?.stage ?? 0, n.via?.entryNo ?? 0];
  const [x, y] = [rank(a), rank(b)];
  return (
    x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || compare(a.label ?? a.code, b.label ?? b.code)
  );
}

function byStock(
  a: { status: string; location: { name: string } },
  b: { status: string; location: { name: string } },
): number {
  return compare(a.status, b.status) || compare(a.location.name, b.location.name);
}

function countNodes(node: TraceNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}

function shipmentOf(
  row: { code: string; customer: string; reference: string; shipped_on: string } | undefined,
): RecallItem['status']['shipment'] {
  return row
    ? {
        code: row.code,
        shortCode: shortCode(row.code),
        customer: row.customer,
        reference: row.reference,
        date: row.shipped_on,
      }
    : null;
}

/** `items` in the order of `codes`. */
function sortedLike<T extends { code: string }>(codes: string[], items: T[]): T[] {
  const at = new Map(codes.map((c, i) => [c, i]));
  return [...items].sort((a, b) => at.get(a.code)! - at.get(b.code)!);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNumber(value: number | null): value is number {
  return value !== null;
}

/**
 * `promise`, marked as handled: a failure is still thrown where it is awaited, but not reported
 * as unhandled if something else fails before that await.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** `fn` computed once per key. */
function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = fn(key);
      known.set(key, value);
    }
    return value;
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
