import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableWriters } from './support/architecture.js';

/**
 * Invariant 2 rests on one writer: only the ledger module changes stock_balance and stock_entry,
 * so every balance change comes with its ledger entries (and a later change log or site sync
 * has one place to hook into). The scan is the one test/architecture.test.ts keeps every
 * table's owner with; here it is held to the ledger's tables and to every form of write.
 */
const SRC = path.join(import.meta.dirname, '..', 'src');
const LEDGER = ['stock/ledger.repository.ts'];

/** The ledger tables' writers in a source tree of one file holding `text`. */
function writersOf(text: string): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'tracelot-ledger-owner-'));
  mkdirSync(path.join(root, 'db'));
  writeFileSync(
    path.join(root, 'db/schema.ts'),
    'export interface DB {\n  stock_balance: B;\n  stock_entry: E;\n}\n',
  );
  mkdirSync(path.join(root, 'lots'));
  writeFileSync(path.join(root, 'lots/lot.service.ts'), text);
  const writers = tableWriters(root);
  return [...writers.get('stock_balance')!, ...writers.get('stock_entry')!];
}

describe('the ledger module alone writes stock_balance and stock_entry', () => {
  it('finds every form of write the source has used', () => {
    for (const text of [
      `await db.insertInto('stock_entry').values(rows).execute();`,
      `db\n  .updateTable(\n    'stock_balance as b')`,
      `.deleteFrom("stock_balance")`,
      `await insertMany(db, 'stock_balance', rows);`,
      'const q = sql`update stock_balance\n set quantity = 0`;',
      'sql`DELETE FROM stock_entry`',
      'sql`insert into stock_entry (id) select 1`',
    ])
      expect(writersOf(text), text).toEqual(['lots/lot.service.ts']);
  });

  it('ignores reads and prose', () => {
    expect(
      writersOf(
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

  it('finds no writer but src/stock/ledger.repository.ts (the SQL of src/stock/ledger.ts)', () => {
    const writers = tableWriters(SRC);
    expect(writers.get('stock_balance')).toEqual(LEDGER);
    expect(writers.get('stock_entry')).toEqual(LEDGER);
  });
});
