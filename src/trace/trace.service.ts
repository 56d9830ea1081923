import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { compare, groupBy, isPresent, unique } from '../domain/collections.js';
import { scopeOf, type Scope } from '../domain/recall-graph.js';
import { formatCsv } from '../domain/csv-format.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { toUnits } from '../domain/quantity.js';
import { unitLabel } from '../domain/unit-label.js';
import type { Actor } from '../domain/roles.js';
import { unitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { findPartRow } from '../parts/part.repository.js';
import { resolveCode } from '../resolver/resolve.service.js';
import { requireSignature, verifySignature } from '../signatures/signature.service.js';
import { holdStockOf } from '../stock/ledger.js';
import { stockAsideOfLots } from '../stock/stock.repository.js';
import {
  findLotCodesBy,
  findInstalledIn,
  removedInstallations,
  traceDownward,
  upwardLots,
  withTraversalPlan,
  type DownwardRow,
} from './trace.repository.js';
import {
  HoldRequest,
  RecallQuery,
  type HoldResult,
  type Recall,
  type RemovedChild,
  type TraceEdge,
  type TraceNode,
  type TraceTree,
} from './trace.schemas.js';
import { recallOf, scopesOf } from './recall.service.js';
import { HELD_FROM, summarizeHeld } from './held-summary.js';

/** The most lots one recall by part and vendor lot or date code starts from. */
export const MAX_RECALL_SOURCES = 1000;

/**
 * Backward trace: the tree of everything in a unit (or any lot) — units installed in it,
 * recursively, and the lots its build consumed for it — down to supplier lots.
 */
export async function traceBackward(ctx: Context, ref: string): Promise<TraceTree> {
  const code = await resolveLot(ctx, ref);
  const rows = await withTraversalPlan(ctx.db, (db) => traceDownward(db, code));
  const completionIds = unique(rows.map((r) => r.completion_id).filter(isPresent));
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
  const { note, signature: signing } = parseInput(HoldRequest, input);
  const code = await resolveLot(ctx, ref);
  const operation = ctx.newCode();
  const at = now(ctx);
  const signature = await verifySignature(ctx, actor, ['recall_held'], signing);
  return inTransaction(ctx.db, async (db) => {
    await requireSignature(db, ['recall_held'], signature, at);
    // One guarded statement takes the balances out; what it answers is exactly what is held.
    const op = { operation, type: 'status_changed' as const, actor, at, note, ref: code };
    const taken = await withTraversalPlan(db, (trx) =>
      holdStockOf(trx, op, upwardLots([code]), HELD_FROM),
    );
    if (taken.length === 0) return { operation: null, lots: 0, balances: 0, byStatus: [] };
    const held = summarizeHeld(taken);
    // The recalled lot's own record of the hold, which a signature of it names.
    await appendHistory(db, actor, at, [
      {
        subjectCode: code,
        type: 'recall_held',
        data: { note, operation, lots: held.lots, balances: held.balances },
      },
    ]);
    return { operation, ...held };
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
export async function resolveLot(ctx: Context, ref: string): Promise<string> {
  const match = await resolveCode(ctx, ref, 'code');
  if (match.kind !== 'lot') {
    throw new ValidationError('code', `${match.code} is a ${match.kind}, not a lot or unit`);
  }
  return match.code;
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

function countNodes(node: TraceNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}
