import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreIn } from '../src/attachments/file-store.js';
import { openDatabase } from '../src/db/database.js';
import { exportInstance } from '../src/transfer/export.service.js';
import { importInstance } from '../src/transfer/import.service.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLot, testContext } from './support/factories.js';
import { rowCount, rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: instance export and import`, () => {
    let dir: string;
    let database: TestDatabase;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-transfer-'));
      database = await createTestDatabase(dialect, path.join(dir, 'source', 'tracelot.db'));
      for (let i = 0; i < 5; i++) await makeLot(testContext(database.db));
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Invariant: an export is one snapshot. Receipts committed by another connection while it
    // runs are in every table of it or in none, so its import verifies (ledger, balances and
    // chain agree) and ends at the chain head the manifest names.
    it('reads one snapshot while another connection keeps writing', async () => {
      const writer =
        dialect === 'sqlite' ? openDatabase({ url: database.url }) : { db: database.db };
      let writing = true;
      let written = 0;
      const writes = (async () => {
        while (writing) {
          await makeLot(testContext(writer.db));
          written++;
          // SQLite's calls are synchronous: without a turn of the event loop the export's file
          // writes would never run.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const out = path.join(dir, 'during');
      let manifest;
      try {
        // Each table's line of progress lets the writer commit between two tables' reads.
        manifest = await exportInstance(database.db, {
          dir: out,
          store: fileStoreIn(path.join(dir, 'source')),
          onProgress: () => undefined,
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        writing = false;
        await writes;
        if ('close' in writer) await writer.close();
      }
      expect(written).toBeGreaterThan(0);
      const rows = (table: string) => manifest.tables.find((t) => t.table === table)!.rows;
      expect(rows('lot')).toBeLessThan(await rowCount(database.db, 'lot'));
      expect(rows('change_record')).toBe(manifest.head.seq);

      const target = await createTestDatabase(dialect);
      try {
        const result = await importInstance(testContext(target.db), {
          dir: out,
          store: fileStoreIn(path.join(dir, 'target')),
        });
        expect(result.verify).toMatchObject({ ok: true, stateChecked: true });
        expect(result.verify.head).toMatchObject(manifest.head);
        expect(await rowCount(target.db, 'lot')).toBe(rows('lot'));
        // Ids go on after the imported ones (PostgreSQL's identity sequences were moved).
        const next = await makeLot(testContext(target.db));
        const entries = await target.db
          .selectFrom('stock_entry')
          .select('id')
          .where('operation', '=', next.operation)
          .execute();
        expect(entries[0]!.id).toBeGreaterThan(rows('stock_entry'));
      } finally {
        await target.close();
      }
    }, 60_000);

    it('rolls back an import whose change log does not verify', async () => {
      const out = path.join(dir, 'broken');
      await exportInstance(database.db, { dir: out, store: fileStoreIn(dir) });
      // A record changed and the manifest made to agree: only verify can tell.
      const file = path.join(out, 'change_record.jsonl');
      const changed = readFileSync(file, 'utf8').replace(
        /"actor_name":"test-admin"/,
        '"actor_name":"mallory"',
      );
      expect(changed).not.toBe(readFileSync(file, 'utf8'));
      writeFileSync(file, changed);
      const manifestFile = path.join(out, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      manifest.tables.find((t: { table: string }) => t.table === 'change_record').sha256 =
        createHash('sha256').update(changed).digest('hex');
      writeFileSync(manifestFile, JSON.stringify(manifest));

      const target = await createTestDatabase(dialect);
      try {
        const before = await rowCounts(target.db);
        await expect(
          importInstance(testContext(target.db), { dir: out, store: fileStoreIn(dir) }),
        ).rejects.toThrow(
          /^dir: the imported instance does not verify, so nothing was imported: record \d+: /,
        );
        expect(await rowCounts(target.db)).toEqual(before);
      } finally {
        await target.close();
      }
    }, 60_000);
  });
}
