import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mutualImports, sqlOutsideRepositories } from './support/architecture.js';

const SRC = path.join(import.meta.dirname, '..', 'src');

describe('architecture', () => {
  it('keeps SQL in repositories, db/ and the ledger module', () => {
    expect(sqlOutsideRepositories(SRC)).toEqual([]);
  });

  // Stock imports lots (it creates and locks lots; the lot views that show stock live in stock);
  // units import shipments (every lifecycle transition, shipping and returns too, is in units).
  it('has no two features that import each other', () => {
    expect(mutualImports(SRC)).toEqual([]);
  });

  it('names the file of a leak and the pair of a cycle', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tracelot-architecture-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
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
});
