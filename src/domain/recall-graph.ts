import { toUnits } from './quantity.js';
import type { StockStatus } from './stock-status.js';

/*
 * The recall graph: the lots a forward trace reached, each with the edges it was reached by
 * (from the lot it contains), which of them certainly contain a recalled lot, and one path to
 * each. Pure: the forward trace's statement (src/trace/trace.repository.ts traceUpward) gives
 * the rows, src/trace/recall.service.ts makes the answer.
 */

/**
 * A lot the forward trace reached at a level: once per (via, completion) when a completion
 * consumed the lot `via` into it, once (`via` null) when it was reached by installation or is a
 * recalled lot. `installed_in` is the unit it is installed in now, which the trace reached on the
 * next level: an installation is told by the child, so a parent holding several reached units
 * comes once.
 */
export interface ReachedLink {
  code: string;
  level: number;
  via: string | null;
  completion_id: number | null;
  installed_in: string | null;
}

/** A balance of a reached lot, as the statement answers it. */
export interface ReachedStock {
  lot_code: string;
  status: StockStatus;
  quantity: number;
  location_code: string;
}

/** A balance of a lot as a recall shows it; the location's name is filled in later. */
export interface StockLine {
  status: StockStatus;
  location: { code: string; name: string };
  quantity: number;
}

/** A completion as the recall reads it. */
export interface Scope {
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
export function scopeOf(scope: Scope, lot: string): 'unit' | 'build' {
  return scope.sole.has(lot) ? 'unit' : 'build';
}

/** How a lot was reached: from `via`, at `level`, consumed by a completion or installed (null). */
export interface Edge<R extends ReachedLink = ReachedLink> {
  level: number;
  via: string;
  completion: number | null;
  /** The node of `via`, set once every node exists. */
  from: Node<R> | undefined;
}

export interface Node<R extends ReachedLink = ReachedLink> {
  row: R;
  stock: StockLine[];
  /** Distinct (level, via, completion) it was reached by, in the statement's order. */
  edges: Edge<R>[];
  exact: boolean;
  best: Edge<R> | undefined;
  path: string[] | undefined;
  /** Set while its path is worked out: meeting it again on the way is a cycle. */
  visiting: boolean;
  installedIn: Node<R> | undefined;
}

/**
 * One node per lot reached, with its edges and balances. The statement answers each reached
 * row and each balance once, so consumption edges are appended as they come (no repeats to
 * remove). Every field is set at once, and a node's first edge makes a one-element array:
 * thousands of nodes, so each one small.
 */
export function nodesOf<R extends ReachedLink>({
  reached,
  balances,
}: {
  reached: readonly R[];
  balances: readonly ReachedStock[];
}): Map<string, Node<R>> {
  const nodes = new Map<string, Node<R>>();
  for (const row of reached) {
    const edge = row.via === null ? undefined : consumedEdge<R>(row, row.via);
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
  // Linked once every node exists (the statement returns rows in no promised order).
  for (const node of nodes.values()) {
    for (const edge of node.edges) edge.from = nodes.get(edge.via)!;
  }
  // An installation, once per level the child was reached at. A child at the trace's depth
  // limit may have no parent node: the trace stopped there.
  const installed = new Set<string>();
  for (const row of reached) {
    if (row.installed_in === null) continue;
    const parent = nodes.get(row.installed_in);
    const key = `${row.level}\t${row.code}`;
    if (!parent || installed.has(key)) continue;
    installed.add(key);
    const child = nodes.get(row.code)!;
    parent.edges.push({ level: row.level + 1, via: row.code, completion: null, from: child });
    child.installedIn = parent;
  }
  return nodes;
}

function consumedEdge<R extends ReachedLink>(row: ReachedLink, via: string): Edge<R> {
  return { level: row.level, via, completion: Number(row.completion_id), from: undefined };
}

function newNode<R extends ReachedLink>(row: R, edge: Edge<R> | undefined): Node<R> {
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

/**
 * Settles which lots certainly contain a recalled lot (`exact`) and the edge each is shown
 * reached by (`best`), and answers the nodes reached by some edge: the recall's items.
 * `scopes` has every completion of an edge.
 */
export function settleScopes<R extends ReachedLink>(
  nodes: ReadonlyMap<string, Node<R>>,
  roots: readonly string[],
  scopes: ReadonlyMap<number, Scope>,
): Node<R>[] {
  const exactEdge = ({ completion, via }: Edge<R>) =>
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
  return items;
}

/**
 * The codes from a recalled lot up to the lot `node` directly contains, along the best edges
 * (settleScopes first): [] for a recalled lot.
 */
export function pathOf(node: Node): string[] {
  if (node.path) return node.path;
  const { via, from: next } = node.best!;
  // A cycle (which the services cannot make) ends the path rather than the request.
  if (next!.visiting) return [via];
  node.visiting = true;
  node.path = [...pathOf(next!), via];
  node.visiting = false;
  return node.path;
}

/**
 * The consumptions that took a lot with others for an entry, once per (completion, lot), in
 * the order the items meet them: every unit they covered may contain the lot.
 */
export function buildScopedEdges(
  items: readonly Node[],
  scopes: ReadonlyMap<number, Scope>,
): { completion: number; lot: string; scope: Scope }[] {
  const buildScoped = new Map<string, { completion: number; lot: string; scope: Scope }>();
  for (const node of items) {
    for (const edge of node.edges.values()) {
      const scope = edge.completion === null ? undefined : scopes.get(edge.completion);
      if (!scope || scopeOf(scope, edge.via) !== 'build') continue;
      const key = `${edge.completion}\t${edge.via}`;
      if (!buildScoped.has(key)) {
        buildScoped.set(key, { completion: edge.completion!, lot: edge.via, scope });
      }
    }
  }
  return [...buildScoped.values()];
}
