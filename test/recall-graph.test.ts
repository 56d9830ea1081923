import { describe, expect, it } from 'vitest';
import {
  buildScopedEdges,
  nodesOf,
  pathOf,
  scopeOf,
  settleScopes,
  type ReachedLink,
  type ReachedStock,
  type Scope,
} from '../src/domain/recall-graph.js';

/**
 * A reached row as the statement answers it: `code` at `level`, made from `via` by `completion`
 * (both null for a root or a lot reached by installation), installed in `installedIn` now.
 */
function reached(
  code: string,
  level: number,
  via: string | null,
  completion: number | null,
  installedIn: string | null = null,
): ReachedLink {
  return { code, level, via, completion_id: completion, installed_in: installedIn };
}

/** A completion that took the lots `sole` alone for an entry, and others with other lots. */
function scope(sole: string[], covered = 4): Scope {
  return { build: 'B1', stage: 1, units: 'all', covered, sole: new Set(sole) };
}

/** The recall of `roots` over the rows: each item with its scope, the edge shown and its path. */
function recall(
  rows: ReachedLink[],
  scopes: Map<number, Scope>,
  roots = ['R'],
  balances: ReachedStock[] = [],
) {
  const nodes = nodesOf({ reached: rows, balances });
  const items = settleScopes(nodes, roots, scopes);
  return {
    nodes,
    items: items.map((n) => ({
      code: n.row.code,
      exact: n.exact,
      via: n.best!.via,
      path: pathOf(n),
    })),
    buildScoped: buildScopedEdges(items, scopes).map((e) => `${e.completion}:${e.lot}`),
  };
}

describe('recall graph', () => {
  it('follows consumption and installation up, exact where each step took the lot alone', () => {
    // R consumed alone (completion 1) into unit U1; U1 installed into unit U2.
    const { nodes, items, buildScoped } = recall(
      [reached('R', 0, null, null), reached('U1', 1, 'R', 1, 'U2'), reached('U2', 2, null, null)],
      new Map([[1, scope(['R'])]]),
    );
    expect(items).toEqual([
      { code: 'U1', exact: true, via: 'R', path: ['R'] },
      { code: 'U2', exact: true, via: 'U1', path: ['R', 'U1'] },
    ]);
    expect(nodes.get('U1')!.installedIn?.row.code).toBe('U2');
    expect(nodes.get('R')!.installedIn).toBeUndefined();
    expect(buildScoped).toEqual([]);
  });

  it('takes an installation from the child: a parent of two reached units is one row with two edges', () => {
    // R consumed alone into modules M1 and M2 (completion 1), and with another lot into M1 again
    // (completion 2): two rows of M1 at level 1, one installation. Both modules are installed in
    // board B, which the statement answers once.
    const { nodes, items } = recall(
      [
        reached('R', 0, null, null),
        reached('M1', 1, 'R', 1, 'B'),
        reached('M1', 1, 'R', 2, 'B'),
        reached('M2', 1, 'R', 1, 'B'),
        reached('B', 2, null, null),
      ],
      new Map([
        [1, scope(['R'])],
        [2, scope([])],
      ]),
    );
    expect(nodes.get('B')!.edges.map((e) => [e.level, e.via, e.completion])).toEqual([
      [2, 'M1', null],
      [2, 'M2', null],
    ]);
    expect(nodes.get('M1')!.installedIn?.row.code).toBe('B');
    expect(nodes.get('M2')!.installedIn?.row.code).toBe('B');
    expect(items.find((i) => i.code === 'B')).toEqual({
      code: 'B',
      exact: true,
      via: 'M1',
      path: ['R', 'M1'],
    });
  });

  it('says "may contain" for every unit of a completion that took the lot with others', () => {
    // Completion 2 took R with another reel for one entry: units A and B may contain R; C
    // installed in A inherits the doubt (every path to it passes a build-scoped step).
    const { items, buildScoped } = recall(
      [
        reached('R', 0, null, null),
        reached('A', 1, 'R', 2, 'C'),
        reached('B', 1, 'R', 2),
        reached('C', 2, null, null),
      ],
      new Map([[2, scope(['other reel'])]]),
    );
    expect(items).toEqual([
      { code: 'A', exact: false, via: 'R', path: ['R'] },
      { code: 'B', exact: false, via: 'R', path: ['R'] },
      { code: 'C', exact: false, via: 'A', path: ['R', 'A'] },
    ]);
    // One line per (completion, lot), however many units it reached.
    expect(buildScoped).toEqual(['2:R']);
    expect(scopeOf(scope(['R']), 'R')).toBe('unit');
    expect(scopeOf(scope(['R']), 'S')).toBe('build');
  });

  it('takes an exact path through a diamond over a lower "may contain" one', () => {
    // R reaches Z by two ways: R →(build-scoped 2) X → Z at level 2, and
    // R →(exact 1) Y →(exact 3) W →(exact 4) Z at level 3. Z certainly contains R, shown by
    // the exact path although it is longer and met second.
    const { items, buildScoped } = recall(
      [
        reached('R', 0, null, null),
        reached('X', 1, 'R', 2),
        reached('Y', 1, 'R', 1),
        reached('Z', 2, 'X', 5),
        reached('W', 2, 'Y', 3),
        reached('Z', 3, 'W', 4),
      ],
      new Map([
        [1, scope(['R'])],
        [2, scope([])],
        [3, scope(['Y'])],
        [4, scope(['W'])],
        [5, scope(['X'])],
      ]),
    );
    expect(items).toEqual([
      { code: 'X', exact: false, via: 'R', path: ['R'] },
      { code: 'Y', exact: true, via: 'R', path: ['R'] },
      { code: 'Z', exact: true, via: 'W', path: ['R', 'Y', 'W'] },
      { code: 'W', exact: true, via: 'Y', path: ['R', 'Y'] },
    ]);
    expect(buildScoped).toEqual(['2:R']);
  });

  it('shows a "may contain" lot by the first edge of its lowest level', () => {
    // Both ways to Z are build-scoped somewhere: Z is shown reached at level 2 through P,
    // the first of the two level-2 edges, not through the level-3 one.
    const { items } = recall(
      [
        reached('R', 0, null, null),
        reached('Q', 1, 'R', 2),
        reached('Z', 3, 'S', 1),
        reached('P', 1, 'R', 2),
        reached('Z', 2, 'P', 1),
        reached('Z', 2, 'Q', 1),
        reached('S', 2, 'Q', 1),
      ],
      new Map([
        [1, scope(['P', 'Q', 'S'])],
        [2, scope([])],
      ]),
    );
    expect(items.find((i) => i.code === 'Z')).toEqual({
      code: 'Z',
      exact: false,
      via: 'P',
      path: ['R', 'P'],
    });
  });

  it('recalls from several lots at once: each is a root, exact, with an empty path', () => {
    const { nodes, items } = recall(
      [reached('R', 0, null, null), reached('S', 0, null, null), reached('U', 1, 'S', 1)],
      new Map([[1, scope(['S'])]]),
      ['R', 'S'],
    );
    expect(items).toEqual([{ code: 'U', exact: true, via: 'S', path: ['S'] }]);
    expect(pathOf(nodes.get('R')!)).toEqual([]);
    expect(nodes.get('R')!.exact).toBe(true);
  });

  it('ends a path at a cycle instead of looping (the services cannot make one)', () => {
    // A contains B and B contains A, both reached from R through a build-scoped completion.
    const { items } = recall(
      [
        reached('R', 0, null, null),
        reached('A', 0, null, null, 'B'),
        reached('B', 0, null, null, 'A'),
        reached('A', 2, 'R', 2, 'B'),
        reached('B', 2, 'R', 2, 'A'),
      ],
      new Map([[2, scope([])]]),
    );
    expect(items).toEqual([
      { code: 'A', exact: false, via: 'B', path: ['A', 'B'] },
      { code: 'B', exact: false, via: 'A', path: ['A', 'B', 'A'] },
    ]);
  });

  it("keeps each lot's balances in exact units, its location named later", () => {
    const { nodes } = recall(
      [reached('R', 0, null, null, 'U'), reached('U', 1, null, null)],
      new Map(),
      ['R'],
      [
        { lot_code: 'R', status: 'on_hand', quantity: 2_500_000, location_code: 'L1' },
        { lot_code: 'R', status: 'held', quantity: 1_000_000, location_code: 'L2' },
        { lot_code: 'U', status: 'in_production', quantity: 1_000_000, location_code: 'L1' },
      ],
    );
    expect(nodes.get('R')!.stock).toEqual([
      { status: 'on_hand', location: { code: 'L1', name: '' }, quantity: 2.5 },
      { status: 'held', location: { code: 'L2', name: '' }, quantity: 1 },
    ]);
    expect(nodes.get('U')!.stock).toEqual([
      { status: 'in_production', location: { code: 'L1', name: '' }, quantity: 1 },
    ]);
  });
});
