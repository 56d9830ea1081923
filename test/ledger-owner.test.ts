import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Invariant 2 rests on one writer: only the ledger module changes stock_balance and stock_entry,
 * so every balance change comes with its ledger entries (and a later change log or site sync
 * has one place to hook into). This scans the source for any other write.
 */
const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const OWNERS = new Set(['src/stock/ledger.ts', 'src/stock/ledger.repository.ts']);

const TABLE = String.raw`stock_(?:balance|entry)\b`;
const WRITES: { what: string; pattern: RegExp }[] = [
  {
    what: 'a Kysely write',
    pattern: new RegExp(
      String.raw`\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"\x60]${TABLE}`,
    ),
  },
  {
    what: 'a bulk insert helper',
    pattern: new RegExp(String.raw`\b(?:insertMany|inChunks)\w*\(\s*\w+\s*,\s*['"\x60]${TABLE}`),
  },
  {
    what: 'raw SQL',
    pattern: new RegExp(
      String.raw`\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?)\s+${TABLE}`,
      'i',
    ),
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : /\.(?:ts|tsx|js|mjs)$/.test(d.name)
        ? [join(dir, d.name)]
        : [],
  );
}

/**
 * The text with comments, which may name the tables in prose ("update stock_balance …"), blanked
 * out (line breaks kept, so that line numbers stay those of the file).
 */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** Every write of the ledger tables in `text`, as `what (line n)`. */
function ledgerWrites(text: string): string[] {
  const code = withoutComments(text);
  return WRITES.flatMap(({ what, pattern }) => {
    const global = new RegExp(pattern.source, `${pattern.flags}g`);
    return [...code.matchAll(global)].map(
      (m) => `${what} (line ${code.slice(0, m.index).split('\n').length})`,
    );
  });
}

describe('the ledger module alone writes stock_balance and stock_entry', () => {
  it('finds every form of write the source has used', () => {
    expect(ledgerWrites(`await db.insertInto('stock_entry').values(rows).execute();`)).toEqual([
      'a Kysely write (line 1)',
    ]);
    expect(ledgerWrites(`db\n  .updateTable(\n    'stock_balance as b')`)).toEqual([
      'a Kysely write (line 2)',
    ]);
    expect(ledgerWrites(`.deleteFrom("stock_balance")`)).toEqual(['a Kysely write (line 1)']);
    expect(ledgerWrites(`await insertMany(db, 'stock_balance', rows);`)).toEqual([
      'a bulk insert helper (line 1)',
    ]);
    expect(
      ledgerWrites(
        'const q = sql`update stock_balance\n set quantity = 0`;\nsql`DELETE FROM stock_entry`',
      ),
    ).toEqual(['raw SQL (line 1)', 'raw SQL (line 3)']);
    expect(ledgerWrites('sql`insert into stock_entry (id) select 1`')).toEqual([
      'raw SQL (line 1)',
    ]);
  });

  it('ignores reads and prose', () => {
    expect(
      ledgerWrites(
        [
          `db.selectFrom('stock_balance as b').where('b.status', '=', 'held')`,
          '// update stock_balance in one guarded statement',
          '/** delete from stock_entry never happens */',
          'sql`select quantity from stock_balance`',
          `db.updateTable('stock_balance_archive')`,
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('finds no write outside src/stock/ledger*.ts', () => {
    const offenders = sourceFiles(SRC)
      .map((file) => ({
        file: relative(ROOT, file),
        writes: ledgerWrites(readFileSync(file, 'utf8')),
      }))
      .filter((f) => !OWNERS.has(f.file) && f.writes.length > 0)
      .map((f) => `${f.file}: ${f.writes.join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('finds the ledger module writing (the scan reads the files it should)', () => {
    const owners = sourceFiles(SRC).filter((file) => OWNERS.has(relative(ROOT, file)));
    expect(owners.map((file) => relative(ROOT, file)).sort()).toEqual([...OWNERS].sort());
    const writes = owners.flatMap((file) => ledgerWrites(readFileSync(file, 'utf8')));
    expect(writes.length).toBeGreaterThan(5);
  });
});
