import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLocation, testContext } from './support/factories.js';
import { buildSerialLabel } from '../src/domain/unit-label.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot build`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-build-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // About 20 CLI processes, each starting Node: on a busy 2-core machine this takes over 30 s.
    it('plans, starts, completes stages for unit subsets with chosen lots, finishes', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(
        ctx,
        [
          { perUnit: 2, stage: 1 },
          { perUnit: 1, stage: 2 },
        ],
        'Sensor board',
      );
      const reels = await stock(ctx, project.parts[0]!, [8, 100]);
      await stock(ctx, project.parts[1]!, [3]);
      const line = (await makeLocation(ctx, { name: 'SMT line' })).code;

      const plan = await cli(env, 'build', 'plan', project.code, '-n', '5');
      expect(plan.code).toBe(1);
      expect(plan.stdout).toMatch(/5 × Sensor board: SHORT/);
      expect(plan.stdout).toMatch(/2\s+2\s+Sensor board part 2\s+5 pcs\s+\S+×3\s+2/);

      // Short codes, as lists and labels print them, name objects on the command line.
      const short = (code: string) => code.slice(0, 8);
      const started = json(
        await cli(
          env,
          'build',
          'start',
          short(project.code),
          '-n',
          '5',
          '--location',
          short(line),
          '--json',
        ),
      );
      expect(started).toMatchObject({
        status: 'in_progress',
        units: { total: 5, inProduction: 5 },
      });
      const units = json(await cli(env, 'build', 'units', started.shortCode, '--json'));
      expect(units.items.map((u: any) => u.label)).toEqual(
        [1, 2, 3, 4, 5].map((n) => buildSerialLabel(started.code, n)),
      );

      const first = json(
        await cli(
          env,
          'build',
          'complete',
          started.shortCode,
          '1',
          '--units',
          '1-4',
          '--lot',
          `1=${short(reels.lots[0]!)}`,
          '--json',
        ),
      );
      expect(first).toMatchObject({ units: 4, serials: '1–4' });
      expect(first.consumed.map((c: any) => [c.lot.code, c.quantity])).toEqual([
        [reels.lots[0], 8],
      ]);
      const twice = await cli(env, 'build', 'complete', started.code, '1', '--units', '4');
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/stage 1 is complete already for unit 4/);
      await cli(env, 'build', 'complete', started.code, '1');
      const missing = await cli(env, 'build', 'complete', started.code, '2');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/short of stock: entry 2 .* 2 missing/);
      // A short code of another kind of object says what it names.
      const notBuild = await cli(env, 'build', 'complete', short(line), '2');
      expect(notBuild).toMatchObject({
        code: 2,
        stderr: `error: build: ${short(line)} is a location, not a build\n`,
      });
      const scrap = await cli(
        env,
        'build',
        'scrap',
        started.code,
        units.items[4].code,
        '--reason',
        'dropped',
      );
      expect(scrap.stdout).toMatch(/-5 .* scrapped/);
      const withNote = await cli(
        env,
        'build',
        'complete',
        started.code,
        '2',
        '--units',
        '1-3',
        '--note',
        'AOI passed',
      );
      expect(withNote.code).toBe(0);
      const refused = await cli(env, 'build', 'finish', started.code);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/stage 2 for units 4/);
      const done = json(
        await cli(
          env,
          'build',
          'finish',
          started.code,
          '--allow-incomplete',
          '--note',
          'unit 4 waits for parts',
          '--json',
        ),
      );
      expect(done).toMatchObject({
        status: 'finished',
        finishNote: 'unit 4 waits for parts',
        units: { available: 4, scrapped: 1 },
      });
      const shown = await cli(env, 'build', 'show', started.shortCode);
      expect(shown.stdout).toMatch(/status:\s+finished/);
      expect(shown.stdout).toMatch(
        new RegExp(`1\\s+1\\s+Sensor board part 1\\s+${reels.lots[0]!.slice(0, 8)}\\s+8\\s+1–4`),
      );
      // The timeline: each completion with its units, lots and note; the scrap; the finish.
      expect(shown.stdout).toMatch(/started: 5 units/);
      expect(shown.stdout).toMatch(
        new RegExp(
          `stage 1 completed for 4 unit\\(s\\) \\(1–4\\): 8 Sensor board part 1 from ${short(reels.lots[0]!)}`,
        ),
      );
      expect(shown.stdout).toMatch(
        /stage 2 completed for 3 unit\(s\) \(1–3\): 3 Sensor board part 2 from \S+\s+AOI passed\n/,
      );
      expect(shown.stdout).toMatch(
        new RegExp(`unit ${buildSerialLabel(started.code, 5)} scrapped\\s+dropped`),
      );
      expect(shown.stdout).toMatch(
        /finished with stage 2 missing for units 4\s+unit 4 waits for parts/,
      );
      expect(shown.stdout).toMatch(/units:\s+0 in production, 4 available, 0 held,/);
      // A unit whose stock is held (a recall hold) counts as held, as its own page shows it.
      const held = await cli(
        env,
        'stock',
        'status',
        buildSerialLabel(started.code, 2),
        '--to',
        'held',
      );
      expect(held.code).toBe(0);
      expect((await cli(env, 'build', 'show', started.shortCode)).stdout).toMatch(
        /units:\s+0 in production, 3 available, 1 held, 0 installed, 1 scrapped\n/,
      );
      const shownJson = json(await cli(env, 'build', 'show', started.code, '--json'));
      expect(shownJson.timeline.map((e: any) => [e.type, e.note])).toEqual([
        ['started', ''],
        ['stage_completed', ''],
        ['stage_completed', ''],
        ['unit_scrapped', 'dropped'],
        ['stage_completed', 'AOI passed'],
        ['finished', 'unit 4 waits for parts'],
      ]);
      const list = await cli(env, 'build', 'list');
      expect(list.stdout).toContain(started.shortCode);
      const found = json(await cli(env, 'build', 'list', '--search', started.shortCode, '--json'));
      expect(found.items.map((b: { code: string }) => b.code)).toEqual([started.code]);
      const none = await cli(env, 'build', 'list', '--search', 'no such build');
      expect(none.stdout).not.toContain(started.shortCode);
    }, 120_000);
  });
}
