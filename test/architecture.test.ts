import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  documentedOwners,
  mutualImports,
  sharedTables,
  sqlOutsideRepositories,
  tableWriters,
} from './support/architecture.js';

const SRC = path.join(import.meta.dirname, '..', 'src');
const ARCHITECTURE_DOC = path.join(import.meta.dirname, '..', 'docs', 'architecture.md');

/** Every table of schema.ts → the files that write it; shown in the test's name. */
const WRITERS = tableWriters(SRC);
const OWNER_MAP = [...WRITERS]
  .map(([table, files]) => `  ${table}: ${files.join(', ') || '(no writer)'}`)
  .join('\n');

/** An empty folder to write a source tree into, for the checks' own tests. */
function tempTree() {
  const root = mkdtempSync(path.join(tmpdir(), 'tracelot-architecture-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  return { root, write };
}

describe('architecture', () => {
  it('keeps SQL in repositories, db/ and the ledger module', () => {
    expect(sqlOutsideRepositories(SRC)).toEqual([]);
  });

  // Stock imports lots (it creates and locks lots; the lot views that show stock live in stock);
  // units import shipments (every lifecycle transition, shipping and returns too, is in units).
  it('has no two features that import each other', () => {
    expect(mutualImports(SRC)).toEqual([]);
  });

  // Issue 10 item 2: one owner per table. Other features read a table in their joins, but
  // change it only through its owner's functions, so each write rule has one place.
  it(`has one file that writes each table:\n${OWNER_MAP}\n`, () => {
    expect(sharedTables(WRITERS)).toEqual([]);
    // history_event holds the events written before the change log (migration 0012): read, never
    // written any more.
    expect([...WRITERS].filter(([, files]) => files.length === 0).map(([t]) => t)).toEqual([
      'history_event',
    ]);
  });

  it('documents the writer of every table in docs/architecture.md', () => {
    const owners = Object.fromEntries(
      [...WRITERS]
        .filter(([, files]) => files.length > 0)
        .map(([table, files]) => [table, files[0]]),
    );
    const documented = documentedOwners(readFileSync(ARCHITECTURE_DOC, 'utf8'));
    expect(Object.fromEntries(documented)).toEqual(owners);
  });

  it('names the file of a leak and the pair of a cycle', () => {
    const { root, write } = tempTree();
    write('parts/part.service.ts', "import { x } from '../lots/lot.repository.js';\n");
    write('parts/part.repository.ts', "db.selectFrom('part');\n");
    write(
      'lots/lot.service.ts',
      "import { y } from '../parts/part.service.js';\nsql<number>`1`;\n",
    );
    write('lots/lot.repository.ts', 'db.deleteFrom("lot");\n');
    write('stock/ledger.ts', "db.insertInto('stock_entry');\n");
    write('db/migrations/0001.ts', "db.updateTable('x');\n");
    write('cli/commands/part.command.ts', "import { z } from '../../parts/part.service.js';\n");
    write('http/app.ts', "import { z } from '../parts/part.routes.js';\n");
    write('parts/part.routes.ts', "import { z } from '../http/app.js';\n");
    expect(sqlOutsideRepositories(root)).toEqual(['lots/lot.service.ts']);
    expect(mutualImports(root)).toEqual(['lots <-> parts']);
  });

  it('names a table and the files when two files write it', () => {
    const { root, write } = tempTree();
    write(
      'db/schema.ts',
      'export interface DB {\n  lot: LotTable;\n  part: PartTable;\n  x: X;\n}\n',
    );
    write('lots/lot.repository.ts', "db.updateTable('lot as l').set({});\n");
    write('units/unit.repository.ts', "await insertMany(\n  db,\n  'lot',\n  rows,\n);\n");
    write('serials/serial.repository.ts', 'sql`UPDATE lot SET name = 1`;\n');
    write('parts/part.repository.ts', "db.insertInto('part');\n// an update to lot: prose\n");
    write('parts/part-brief.repository.ts', "/* delete from part */ db.selectFrom('part');\n");
    write('db/migrations/0001.ts', "db.deleteFrom('part');\n");
    const writers = tableWriters(root);
    expect(Object.fromEntries(writers)).toEqual({
      lot: ['lots/lot.repository.ts', 'serials/serial.repository.ts', 'units/unit.repository.ts'],
      part: ['parts/part.repository.ts'],
      x: [],
    });
    expect(sharedTables(writers)).toEqual([
      'lot: lots/lot.repository.ts, serials/serial.repository.ts, units/unit.repository.ts',
    ]);
    expect(
      documentedOwners('## Who owns which table\n\n| T | F |\n| - | - |\n| `a`, `b` | `x.ts` |\n'),
    ).toEqual(
      new Map([
        ['a', 'x.ts'],
        ['b', 'x.ts'],
      ]),
    );
  });
});
