import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { testContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot bom approve, recall release`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-sign-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('approves the current BOM revision once; bom shows it; a required signature refuses it', async () => {
      const project = await makeProject(testContext(database.db), [{ perUnit: 1 }]);
      expect((await cli(env, 'bom', 'approve', '--help')).stdout).toMatch(/--revision <n>/);
      const bad = await cli(env, 'bom', 'approve', project.code, '--revision', 'x');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/must be a whole number/);

      await cli(env, 'settings', 'signatures', '--require', 'bom_approved');
      const counts = await rowCounts(database.db);
      const unsigned = await cli(env, 'bom', 'approve', project.code, '--revision', '1');
      expect(unsigned.code).toBe(2);
      expect(unsigned.stderr).toMatch(/requires an electronic signature/);
      expect(await rowCounts(database.db)).toEqual(counts);
      await cli(env, 'settings', 'signatures', '--require', '');

      const approved = await cli(
        env,
        'bom',
        'approve',
        project.code,
        '--revision',
        '1',
        '--note',
        'ECO-9',
        '--json',
      );
      expect(approved.code).toBe(0);
      expect(json(approved).approval).toMatchObject({
        revision: 1,
        note: 'ECO-9',
        signature: null,
      });
      const shown = await cli(env, 'bom', 'show', project.code);
      expect(shown.stdout).toMatch(/Revision 1 — approved by cli:\S+ at \S+: ECO-9/);
      const again = await cli(env, 'bom', 'approve', project.code, '--revision', '1');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/approved already/);
    }, 120_000);

    it('releases a recall hold beside the hold command, once', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      const { lots } = await stock(ctx, project.parts[0]!, [5]);
      const reel = lots[0]!;
      const held = json(await cli(env, 'recall', 'hold', reel, '--note', 'RMA 3', '--json'));
      expect(held.balances).toBe(1);
      expect((await cli(env, 'recall', 'release', '--help')).stdout).toMatch(/--operation <code>/);
      const released = await cli(env, 'recall', 'release', reel, '--note', 'cleared');
      expect(released.code).toBe(0);
      expect(released.stdout).toMatch(
        new RegExp(
          `released hold ${held.operation}: 1 balances of 1 lots back \\(on_hand 1\\); 0 skipped`,
        ),
      );
      const again = await cli(
        env,
        'recall',
        'release',
        reel,
        '--note',
        'again',
        '--operation',
        held.operation,
      );
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/released already/);
    }, 120_000);
  });
}
