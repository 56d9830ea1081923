import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, makePart, testContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot build reverse, build bom-set`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-reversal-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // About 8 CLI processes, each starting Node: on a busy 2-core machine over 30 s.
    it('reverses a wrong-reel completion, changes a BOM line, and says why it refuses', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ perUnit: 2 }, { perUnit: 1, stage: 2 }], 'Probe');
      const [wrong, right] = (await stock(ctx, project.parts[0]!, [50, 50])).lots;
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: (await makeLocation(ctx)).code,
      });
      const c = await completeStage(ctx, admin, build.code, 1, {
        lots: [{ entry: 1, lot: wrong! }],
      });

      const help = await cli(env, 'build', 'reverse', '--help');
      expect(help.stdout).toMatch(/--reason <text>/);
      expect(help.stdout).toMatch(/--json/);
      const reverse = (...flags: string[]) =>
        cli(env, 'build', 'reverse', build.shortCode, String(c.completion), ...flags);
      const noReason = await reverse();
      expect(noReason.code).not.toBe(0);
      expect(noReason.stderr).toMatch(/--reason/);

      const reversed = await reverse('--reason', 'wrong reel');
      expect(reversed.code).toBe(0);
      expect(reversed.stdout).toMatch(
        new RegExp(`completion ${c.completion} \\(stage 1, units 1–3\\) reversed: wrong reel`),
      );
      expect(reversed.stdout).toMatch(
        new RegExp(`1\\s+Probe part 1\\s+${wrong!.slice(0, 8)}\\s+6`),
      );
      const before = await rowCounts(database.db);
      const again = await reverse('--reason', 'again', '--json');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/reversed already/);
      expect(await rowCounts(database.db)).toEqual(before);

      const redo = await completeStage(ctx, admin, build.code, 1, {
        lots: [{ entry: 1, lot: right! }],
      });
      const show = await cli(env, 'build', 'show', build.shortCode);
      expect(show.stdout).toMatch(new RegExp(`\\[REVERSED\\] completion ${c.completion}: stage 1`));
      expect(show.stdout).toMatch(
        new RegExp(`completion ${c.completion} reversed: stage 1 undone`),
      );
      expect(show.stdout).toMatch(new RegExp(`completion ${redo.completion}: stage 1 completed`));

      const other = await makePart(ctx, { name: 'Probe tip, second source' });
      const set = json(
        await cli(
          env,
          'build',
          'bom-set',
          build.shortCode,
          '2',
          '--part',
          other.code,
          '--quantity',
          '2',
          '--reason',
          'second source',
          '--json',
        ),
      );
      expect(set.entries.map((e: any) => [e.position, e.part.code, e.quantity])).toEqual([
        [1, project.parts[0], 2],
        [2, other.code, 2],
      ]);
      const refused = await cli(
        env,
        'build',
        'bom-set',
        build.shortCode,
        '1',
        '--quantity',
        '3',
        '--reason',
        'more',
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/stage 1 has completions that count/);
    }, 120_000);
  });
}
