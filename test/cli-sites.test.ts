import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot site`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-site-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows this site and renames it; the rename is logged, a bad name changes nothing', async () => {
      const shown = json(await cli(env, 'site', '--json'));
      expect(shown.items).toHaveLength(1);
      const [site] = shown.items;
      expect(site).toMatchObject({ name: 'local', local: true });

      const renamed = await cli(env, 'site', 'rename', 'Line 2', '--json');
      expect(renamed.code).toBe(0);
      expect(json(renamed)).toMatchObject({
        id: site.id,
        name: 'Line 2',
        records: site.records + 1,
      });
      const table = await cli(env, 'site');
      expect(table.stdout).toMatch(
        new RegExp(`Line 2 \\(this site\\)\\s+${site.id}\\s+${site.records + 1}`),
      );
      expect(await historyRows(database.db, site.id)).toEqual([
        expect.objectContaining({
          type: 'updated',
          data: { name: { from: 'local', to: 'Line 2' } },
        }),
      ]);

      const counts = await rowCounts(database.db);
      const bad = await cli(env, 'site', 'rename', ' ');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/name/);
      expect(await rowCounts(database.db)).toEqual(counts);
    });
  });
}
