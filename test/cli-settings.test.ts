import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot settings signatures`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-settings-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const required = (out: any) =>
      out.operations.filter((o: any) => o.required).map((o: any) => o.operation);

    it('shows, sets and clears the operations that require a signature; each change is logged', async () => {
      expect(required(json(await cli(env, 'settings', 'signatures', '--json')))).toEqual([]);
      const set = await cli(
        env,
        'settings',
        'signatures',
        '--require',
        'build_finished,released',
        '--json',
      );
      expect(set.code).toBe(0);
      expect(required(json(set))).toEqual(['build_finished', 'released']);
      const table = await cli(env, 'settings', 'signatures');
      expect(table.stdout).toMatch(/build_finished\s+yes/);
      expect(table.stdout).toMatch(/tests_overridden\s+no/);

      const counts = await rowCounts(database.db);
      const bad = await cli(env, 'settings', 'signatures', '--require', 'build_finished,fly');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/'fly' is not an operation that can be signed/);
      expect(await rowCounts(database.db)).toEqual(counts);

      const cleared = await cli(env, 'settings', 'signatures', '--require', '', '--json');
      expect(required(json(cleared))).toEqual([]);
      const log = await database.db
        .selectFrom('change_record')
        .select(['operation', 'actor_name', 'content'])
        .where('content', 'like', '%settings:signatures%')
        .orderBy('seq')
        .execute();
      expect(log.map((r) => JSON.parse(r.content).events[0].data.signaturesRequired)).toEqual([
        { from: [], to: ['build_finished', 'released'] },
        { from: ['build_finished', 'released'], to: [] },
      ]);
    });
  });
}
