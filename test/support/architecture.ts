import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folders of src/ that are layers under (or the shell around) the features, not features. */
const LAYERS = new Set(['db', 'domain', 'http', 'cli', 'server']);

/**
 * Where SQL may be written besides `*.repository.ts` and `src/db/` (migrations included): the
 * ledger module, the one writer of stock_balance and stock_entry.
 */
const SQL_ALLOWED = new Set(['stock/ledger.ts']);

/** Kysely's statement builders and the `sql` template tag (also `sql<T>\`…\``). */
const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql(<[^`;]*>)?`/;

/** Static, re-export and dynamic imports of a relative path. */
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*)'(\.[^']+)'/g;

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Files under `root` (paths relative to it) that hold SQL outside the places that own it. */
export function sqlOutsideRepositories(root: string): string[] {
  return sourceFiles(root).filter(
    (file) =>
      !file.endsWith('.repository.ts') &&
      !file.startsWith('db/') &&
      !SQL_ALLOWED.has(file) &&
      SQL.test(readFileSync(path.join(root, file), 'utf8')),
  );
}

/** Feature → the features it imports from, with the importing files. */
export function featureImports(root: string): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(root)) {
    const from = file.split('/')[0]!;
    if (!file.includes('/') || LAYERS.has(from)) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const [, spec] of text.matchAll(IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec!));
      const to = target.split('/')[0]!;
      if (to === from || to.startsWith('..') || !target.includes('/') || LAYERS.has(to)) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), file]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Pairs of features that import each other, as `a <-> b` (a before b), sorted. */
export function mutualImports(root: string): string[] {
  const graph = featureImports(root);
  const pairs: string[] = [];
  for (const [a, edges] of graph) {
    for (const b of edges.keys()) {
      if (a < b && graph.get(b)?.has(a)) pairs.push(`${a} <-> ${b}`);
    }
  }
  return pairs.sort();
}
