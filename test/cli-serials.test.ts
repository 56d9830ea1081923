import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { makeProject } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLocation } from './support/factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot serial-format, serial assign`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-serial-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('adds, lists and shows formats; starts a build with one; assigns to chosen units later', async () => {
      const ctx = createContext(database.db);
      const project = await makeProject(ctx, [], 'Meter');
      const line = (await makeLocation(ctx, { name: 'Line' })).code;

      const empty = await cli(env, 'serial-format', 'list');
      expect(empty.stdout).toContain('No serial formats yet');

      const added = json(
        await cli(env, 'serial-format', 'add', 'Meter SN', 'MTR-{SEQ:4}', '--json'),
      );
      expect(added).toMatchObject({ name: 'Meter SN', pattern: 'MTR-{SEQ:4}', scope: 'global' });
      const field = await cli(
        env,
        'serial-format',
        'add',
        'Meter field',
        'MF-{SEQ:3}',
        '--target',
        'field',
        '--field',
        'Customer SN',
      );
      expect([field.code, field.stderr]).toEqual([0, '']);
      expect(field.stdout).toMatch(/target:\s+custom field 'Customer SN'/);

      const list = await cli(env, 'serial-format', 'list');
      expect(list.stdout).toMatch(/Meter SN\s+MTR-\{SEQ:4\}\s+global\s+never\s+0/);

      const started = json(
        await cli(
          env,
          'build',
          'start',
          project.code,
          '-n',
          '4',
          '--location',
          line,
          '--serial-format',
          'meter sn',
          '--json',
        ),
      );
      const names = await ctx.db
        .selectFrom('lot')
        .select('name')
        .where('build_code', '=', started.code)
        .orderBy('build_serial')
        .execute();
      expect(names.map((n) => n.name)).toEqual(['MTR-0001', 'MTR-0002', 'MTR-0003', 'MTR-0004']);

      const show = json(await cli(env, 'serial-format', 'show', added.code, '--json'));
      expect(show).toMatchObject({ assigned: 4, next: ['MTR-0005', 'MTR-0006', 'MTR-0007'] });

      const assigned = await cli(
        env,
        'serial',
        'assign',
        'Meter field',
        '--build',
        started.code,
        '--units',
        '1-2,4',
      );
      expect(assigned.code).toBe(0);
      expect(assigned.stdout).toContain('3 serials of Meter field assigned');
      expect(assigned.stdout).toMatch(/\s4\s+MF-003/);
      const rest = json(
        await cli(env, 'serial', 'assign', 'Meter field', '--build', started.code, '--json'),
      );
      expect(rest).toMatchObject({
        assigned: 1,
        skipped: 3,
        items: [{ buildSerial: 3, serial: 'MF-004' }],
      });

      const resolved = json(await cli(env, 'resolve', 'mtr-0003', '--json'));
      expect(resolved).toMatchObject({ kind: 'lot', matchedBy: 'serial' });
      // Commands about a unit take its customer serial too, as a customer quotes it.
      const unit = json(await cli(env, 'lot', 'show', 'MTR-0003', '--json'));
      expect(unit.code).toBe(resolved.code);
      const notBuild = await cli(env, 'build', 'show', 'MTR-0003');
      expect(notBuild.stderr).toMatch(/is a lot or unit, not a build/);
    });

    it('says what is wrong and changes nothing on bad input', async () => {
      const bad = await cli(env, 'serial-format', 'add', 'Broken', 'B-{SEQ}');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('pattern: {SEQ:n} needs n');
      const noTarget = await cli(env, 'serial', 'assign', 'Meter SN');
      expect(noTarget.code).toBe(2);
      expect(noTarget.stderr).toContain('build: name a build, units, or both');
      const backwards = await cli(env, 'serial', 'assign', 'Meter SN', '--units', '5-2');
      expect(backwards.code).not.toBe(0);
      expect(backwards.stderr).toContain('runs backwards');
      const list = json(await cli(env, 'serial-format', 'list', '--json'));
      expect(list.items.map((f: { name: string }) => f.name)).toEqual(['Meter field', 'Meter SN']);
      const help = await cli(env, 'serial', 'assign', '--help');
      expect(help.stdout).toContain('--units <list>');
    });
  });
}
