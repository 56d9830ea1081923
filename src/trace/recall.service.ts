import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { locationNames } from '../locations/location.repository.js';
import { shortCode } from '../domain/code.js';
import { compare, groupBy, memo, sortedLike, unique } from '../domain/collections.js';
import {
  buildScopedEdges,
  nodesOf,
  pathOf,
  settleScopes,
  type Node,
  type Scope,
} from '../domain/recall-graph.js';
import { formatRanges, rangeSize, type SerialRange } from '../domain/serial-ranges.js';
import { unitLabel } from '../domain/unit-label.js';
import { asideStatus, unitState } from '../domain/unit-state.js';
import { findLotRows, type LotWithPart } from '../lots/lot.repository.js';
import { findPartBriefs } from '../parts/part-brief.repository.js';
import { findOpenShipmentsOf } from '../shipments/shipment.repository.js';
import {
  completionScopes,
  soleLotsOf,
  traceUpward,
  withTraversalPlan,
  type ReachedRow,
  type Upward,
} from './trace.repository.js';
import type { Recall, RecallItem } from './trace.schemas.js';

/*
 * The answer of a recall (traceForward, recallBatch in trace.service.ts): the forward trace's
 * statement and its lookups, made into items by the recall graph (src/domain/recall-graph.ts).
 */

export async function recallOf(ctx: Context, roots: string[]): Promise<Recall> {
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
  return answerOf(roots, nodes, sources, await lookups);
}

/** The recall's answer from the reached nodes and what was looked up for them. */
function answerOf(
  roots: string[],
  nodes: Map<string, Node<ReachedRow>>,
  sources: LotWithPart[],
  [scopes, parts, locations, shipments]: Lookups,
): Recall {
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
  const items = settleScopes(nodes, roots, scopes);

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

  const buildScoped = buildScopedEdges(items, scopes).map(({ completion, lot, scope }) => ({
    build: { code: scope.build, shortCode: shortCode(scope.build) },
    completion,
    stage: scope.stage,
    lot,
    units: scope.covered,
  }));

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
    buildScoped,
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

function byStock(
  a: { status: string; location: { name: string } },
  b: { status: string; location: { name: string } },
): number {
  return compare(a.status, b.status) || compare(a.location.name, b.location.name);
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

/** Each completion's build, stage, units, and the lots it took alone for an entry. */
export async function scopesOf(db: Database, ids: number[]): Promise<Map<number, Scope>> {
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

type Lookups = Awaited<ReturnType<typeof lookupsOf>>;

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
    locationNames(db, unique(balances.map((b) => b.location_code))),
    findOpenShipmentsOf(db, [...shipped]),
  ]);
}

/**
 * `promise`, marked as handled: a failure is still thrown where it is awaited, but not reported
 * as unhandled if something else fails before that await.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
