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

/** The tables of `export interface DB { … }` in `db/schema.ts` under `root`, in its order. */
export function schemaTables(root: string): string[] {
  const schema = readFileSync(path.join(root, 'db/schema.ts'), 'utf8');
  const body = /export interface DB \{([^}]*)\}/.exec(schema)?.[1];
  if (body === undefined) throw new Error('db/schema.ts has no DB interface');
  return [...body.matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]!);
}

/**
 * Statements that write a named table: Kysely's builders, the bulk helpers of db/bulk.ts
 * (`insertMany(db, 'lot', …)`, `insertStatements(db, 'lot', …)`) and raw SQL. Group 1 or 2 or 3 is the table.
 */
const WRITE = new RegExp(
  [
    String.raw`\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"\x60](\w+)`,
    String.raw`\b(?:insertMany|insertStatements|inChunks)\w*\(\s*\w+\s*,\s*['"\x60](\w+)`,
    String.raw`\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?)\s+(\w+)`,
  ].join('|'),
  'gi',
);

/** Block comments and whole-line comments, so that prose ("an update to lot …") is no write. */
const COMMENT = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/**
 * Every table of the schema → the files under `root` that write it (migrations aside: they
 * shape tables, they do not own their rows), sorted.
 */
export function tableWriters(root: string): Map<string, string[]> {
  const writers = new Map(schemaTables(root).map((t) => [t, new Set<string>()]));
  for (const file of sourceFiles(root)) {
    if (file.startsWith('db/migrations/')) continue;
    const text = readFileSync(path.join(root, file), 'utf8').replace(COMMENT, '');
    for (const m of text.matchAll(WRITE)) {
      writers.get((m[1] ?? m[2] ?? m[3])!.toLowerCase())?.add(file);
    }
  }
  return new Map([...writers].map(([t, files]) => [t, [...files].sort()]));
}

/** `table: file, file` for each table that more than one file writes. */
export function sharedTables(writers: Map<string, string[]>): string[] {
  return [...writers]
    .filter(([, files]) => files.length > 1)
    .map(([table, files]) => `${table}: ${files.join(', ')}`);
}

/**
 * The table of "## Who owns which table" in a markdown text: each row's backquoted tables
 * (first column) → its backquoted file (second column).
 */
export function documentedOwners(markdown: string): Map<string, string> {
  const section = markdown.split(/^## Who owns which table$/m)[1]?.split(/^## /m)[0] ?? '';
  const owners = new Map<string, string>();
  for (const line of section.split('\n')) {
    const [, tables, file] = line.split('|');
    const owner = file?.match(/`([^`]+)`/)?.[1];
    if (!tables || !owner) continue;
    for (const [, table] of tables.matchAll(/`([^`]+)`/g)) owners.set(table!, owner);
  }
  return owners;
}
