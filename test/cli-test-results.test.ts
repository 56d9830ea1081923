import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import { createContext } from '../src/context.js';
import { makeProject } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot test`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-test-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('defines templates, records, uploads CSV and JSON, summarises; gates the finish', async () => {
      const ctx = createContext(database.db);
      const project = await makeProject(ctx, [], 'Pump controller');
      const line = (await makeLocation(ctx, { name: 'Test bench' })).code;
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: line,
      });
      const units = (
        await ctx.db
          .selectFrom('lot')
          .select('code')
          .where('build_code', '=', build.code)
          .orderBy('build_serial')
          .execute()
      ).map((u) => u.code);
      const [a, b, c] = units as [string, string, string];

      const empty = await cli(env, 'test', 'template', 'list', project.part);
      expect(empty.stdout).toMatch(/no test templates: add one/);
      const ict = await cli(
        env,
        'test',
        'template',
        'add',
        project.part,
        '--key',
        'ict',
        '--name',
        'ICT',
      );
      expect(ict.code).toBe(0);
      expect(ict.stdout).toMatch(/ict\s+ICT\s+pass_fail\s+yes\s+yes/);
      const rail = json(
        await cli(
          env,
          'test',
          'template',
          'add',
          project.part,
          '--key',
          'vcc',
          '--name',
          'VCC',
          '--type',
          'number',
          '--unit',
          'V',
          '--min',
          '4.75',
          '--max',
          '5.25',
          '--json',
        ),
      );
      expect(rail).toMatchObject({ key: 'vcc', min: '4.75', max: '5.25', unit: 'V' });
      const bad = await cli(
        env,
        'test',
        'template',
        'add',
        project.part,
        '--key',
        'x',
        '--name',
        'X',
        '--min',
        '1',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/min: only number tests have limits/);
      const list = await cli(env, 'test', 'template', 'list', project.part);
      expect(list.stdout).toMatch(/vcc\s+VCC\s+number\s+4.75 … 5.25 V/);

      const recorded = await cli(env, 'test', 'record', a, '--key', 'vcc', '--value', '5.3');
      expect(recorded.code).toBe(0);
      expect(recorded.stdout).toMatch(/result:\s+FAIL/);
      const refused = await cli(env, 'test', 'record', a, '--key', 'vcc');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/value: is required/);

      const csv = path.join(dir, 'station.csv');
      writeFileSync(
        csv,
        `unit,key,result,value,station\n${a},ict,pass,,ICT-1\n${a},vcc,,5.0,FCT-1\n${b},ict,fail,,ICT-1\n${c},vcc,,lots,FCT-1\n`,
      );
      const rejected = await cli(env, 'test', 'upload', csv);
      expect(rejected.code).toBe(1);
      expect(rejected.stdout).toMatch(/^ROW\s+FIELD\s+PROBLEM\n5\s+value\s+must be a number/m);
      expect(rejected.stdout).toMatch(/nothing stored: 1 of 4 rows rejected/);
      const partial = await cli(env, 'test', 'upload', csv, '--partial', '--json');
      expect(partial.code).toBe(1);
      expect(json(partial)).toMatchObject({ stored: 3, rejected: 1 });

      const file = path.join(dir, 'station.json');
      writeFileSync(file, JSON.stringify([{ unit: c, key: 'ict', value: true }]));
      const uploaded = await cli(env, 'test', 'upload', file);
      expect(uploaded.code).toBe(0);
      expect(uploaded.stdout).toMatch(/stored 1 result, rejected 0/);

      const status = await cli(env, 'test', 'status', a);
      expect(status.stdout).toMatch(/vcc\s+VCC\s+yes\s+PASS\s+5/);
      expect(status.stdout).toMatch(/every required test passed/);

      const summary = json(await cli(env, 'test', 'summary', build.code, '--json'));
      expect(summary.tests.map((t: any) => [t.template.key, t.pass, t.fail, t.missing])).toEqual([
        ['ict', 2, 1, 0],
        ['vcc', 1, 0, 2],
      ]);
      const table = await cli(env, 'test', 'summary', build.code);
      expect(table.stdout).toMatch(
        /3 units\nKEY\s+TEST\s+PASS\s+FAIL\s+MISSING\nict\s+ICT\s+2\s+1\s+0/,
      );

      const on = await cli(env, 'test', 'require', project.code, 'on');
      expect(on.stdout).toMatch(/passed tests required/);
      const gated = await cli(env, 'build', 'finish', build.code);
      expect(gated.code).toBe(2);
      expect(gated.stderr).toMatch(/required tests not passed on 2 units/);
      const overridden = json(
        await cli(
          env,
          'build',
          'finish',
          build.code,
          '--override-tests',
          '--note',
          'engineering release',
          '--json',
        ),
      );
      expect(overridden).toMatchObject({ status: 'finished', finishNote: 'engineering release' });
    }, 120_000); // about 15 Node processes, each ~1–2 s on a busy machine
  });
}
