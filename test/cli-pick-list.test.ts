import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import { shortCode } from '../src/domain/code.js';
import { parseCsv } from '../src/domain/csv.js';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, testContext } from './support/factories.js';
import { pdfText } from './support/pdf-text.js';

/** `tracelot build pick-list`: the same list as the API, as a table, JSON, CSV or PDF. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot build pick-list`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-pick-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints the lots by location, takes a lot chosen by hand, and writes CSV and PDF files', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ perUnit: 2 }, { perUnit: 1, stage: 2 }], 'Probe');
      const shelf = (await makeLocation(ctx, { name: 'Shelf 7' })).code;
      const reels = await stock(ctx, project.parts[0]!, [5, 100], shelf);
      const caps = await stock(
        ctx,
        project.parts[1]!,
        [10],
        (await makeLocation(ctx, { name: 'Shelf 12' })).code,
      );
      const line = (await makeLocation(ctx, { name: 'Line 1' })).code;
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: line,
      });

      const table = await cli(env, 'build', 'pick-list', shortCode(build.code), '--stage', '1');
      expect([table.code, table.stderr]).toEqual([0, '']);
      expect(table.stdout).toContain(
        `Pick list of build ${shortCode(build.code)} (Probe): stage 1: 3 unit(s)`,
      );
      expect(table.stdout).toMatch(
        new RegExp(
          `Shelf 7\\n.*\\n1\\s+1\\s+Probe part 1\\s+${shortCode(reels.lots[0]!)}.*5 pcs\\n1\\s+1\\s+Probe part 1\\s+${shortCode(reels.lots[1]!)}.*1 pcs`,
        ),
      );

      const chosen = json(
        await cli(
          env,
          'build',
          'pick-list',
          build.code,
          '--json',
          '--lot',
          `1=${shortCode(reels.lots[1]!)}`,
        ),
      );
      expect(chosen.stages).toEqual([
        { stage: 1, units: 3 },
        { stage: 2, units: 3 },
      ]);
      expect(chosen.choices).toEqual([
        { stage: 1, entry: 1, lot: reels.lots[1], quantity: 6 },
        { stage: 2, entry: 2, lot: caps.lots[0], quantity: 3 },
      ]);

      const csvFile = path.join(dir, 'pick.csv');
      const csv = await cli(
        env,
        'build',
        'pick-list',
        build.code,
        '--format',
        'csv',
        '-o',
        csvFile,
      );
      expect([csv.code, csv.stderr]).toEqual([
        0,
        `Pick list of build ${shortCode(build.code)} written to ${csvFile}\n`,
      ]);
      const rows = parseCsv(readFileSync(csvFile, 'utf8'));
      expect(rows.slice(1).map((r) => [r[0], r[5], r[10]])).toEqual([
        ['Shelf 7', shortCode(reels.lots[0]!), '5'],
        ['Shelf 7', shortCode(reels.lots[1]!), '1'],
        // Shelf 12 after Shelf 7: numbers in names sort as numbers.
        ['Shelf 12', shortCode(caps.lots[0]!), '3'],
      ]);

      const pdfFile = path.join(dir, 'pick.pdf');
      const pdf = await cli(
        env,
        'build',
        'pick-list',
        build.code,
        '--format',
        'pdf',
        '-o',
        pdfFile,
      );
      expect(pdf.code).toBe(0);
      expect(pdfText(readFileSync(pdfFile))).toContain('Shelf 7');

      const bad = await cli(env, 'build', 'pick-list', build.code, '--stage', '4');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/stage.*no stage 4/);
      const help = await cli(env, 'build', 'pick-list', '--help');
      expect(help.stdout).toMatch(/--format <format>/);
    });
  });
}
