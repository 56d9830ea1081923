import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { createContext } from '../src/context.js';
import { createPart } from '../src/parts/part.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { codesThenRandom, codeWithPrefix } from './support/codes.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, testContext } from './support/factories.js';
import { makeUnits } from './support/unit-factories.js';

/**
 * Every command reads what names an object through the one resolver: codes, short codes, the
 * `<build>-<n>` a label prints, customer serials, and names where the kind is known.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: the CLI reads every reference through the resolver`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-refs-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A started two-stage build of `count` units and their labels (`<build>-<n>`). */
    async function startedBuild(count: number, buildCode?: string) {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ stage: 1 }, { stage: 2 }]);
      const { location } = await stock(ctx, project.parts[0]!, [count]);
      await stock(ctx, project.parts[1]!, [count], location);
      const starting = buildCode ? { ...ctx, newCode: codesThenRandom([buildCode]) } : ctx;
      const build = await startBuild(starting, admin, {
        project: project.code,
        quantity: count,
        location,
      });
      const { items } = await listBuildUnits(ctx, build.code, { limit: count, offset: 0 });
      return { build, units: items.map((u) => ({ code: u.code, label: u.label! })) };
    }

    it('the text a label prints names that unit in resolve, --units, scrap, unit show and trace', async () => {
      const { build, units } = await startedBuild(4);
      const [a, b, c] = units;
      const resolved = await cli(env, 'resolve', a!.label, '--json');
      expect(json(resolved)).toMatchObject({ code: a!.code, matchedBy: 'build_serial' });

      const completed = await cli(
        env,
        'build',
        'complete',
        build.shortCode,
        '1',
        '--units',
        `${a!.label},${b!.code.slice(0, 8)}`,
        '--json',
      );
      expect(completed.stderr).toBe('');
      expect(json(completed)).toMatchObject({ stage: 1, units: 2 });

      const pdf = path.join(dir, 'labels.pdf');
      const printed = await cli(
        env,
        'label',
        'print',
        '--build',
        build.shortCode,
        '--units',
        c!.label.toUpperCase(),
        '-o',
        pdf,
      );
      expect(printed.stderr).toBe(`1 label (pdf) written to ${pdf}\n`);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

      const shown = json(await cli(env, 'unit', 'show', c!.label, '--json'));
      expect(shown).toMatchObject({ code: c!.code, label: c!.label });
      const traced = json(await cli(env, 'trace', a!.label, '--json'));
      expect(traced.root.code).toBe(a!.code);
      const scrapped = await cli(env, 'build', 'scrap', build.shortCode, c!.label, '--reason', 'x');
      expect(scrapped.stdout).toBe(`${c!.label} (${c!.code}) scrapped\n`);
    });

    it("resolve and scan take each label, hyphen or none, of a build whose code's 9th character is a digit", async () => {
      const { units } = await startedBuild(9, codeWithPrefix('d5r8mx3k2p'));
      expect(units[1]!.label).toBe('d5r8mx3k2-2');
      // Unit 1's label is one character longer, unit 2's not (the API test takes all nine:
      // each CLI run starts a process).
      for (const [i, unit] of units.slice(0, 2).entries()) {
        const resolved = await cli(env, 'resolve', unit.label, '--json');
        expect(json(resolved)).toMatchObject({ code: unit.code, matchedBy: 'build_serial' });
        const typed = unit.label.replace('-', '').toUpperCase();
        const scanned = await cli(env, i % 2 ? 'scan' : 'resolve', typed, '--json');
        expect({ typed, out: json(scanned) }).toMatchObject({
          typed,
          out: i % 2 ? { resolved: { code: unit.code } } : { code: unit.code },
        });
      }
    });

    it('ship takes the label text; where it is also a prefix of another object, exit 2 lists both', async () => {
      const ctx = testContext(database.db);
      const { units } = await makeUnits(ctx, 3);
      const [unit, other] = units;
      const shipped = await cli(env, 'ship', '--customer', 'Acme', '--ref', 'PO-9', unit!.label);
      expect(shipped.code).toBe(0);
      expect(json(await cli(env, 'unit', 'show', unit!.code, '--json')).state).toBe('shipped');

      const lookalike = codeWithPrefix(other!.label.replace('-', ''));
      await createPart(createContext(database.db, { newCode: () => lookalike }), admin, {
        name: 'Look-alike',
      });
      const both = await cli(env, 'ship', '--customer', 'Acme', '--ref', 'PO-10', other!.label);
      expect(both.code).toBe(2);
      const lines = both.stderr.split('\n');
      expect(lines[0]).toBe(
        `error: units.0: '${other!.label}' matches 2 objects: give more characters`,
      );
      expect(lines[1]).toMatch(new RegExp(`^  ${other!.code}  lot  `));
      expect(lines.slice(2)).toEqual([`  ${lookalike}  part  Look-alike`, '']);
      expect(json(await cli(env, 'unit', 'show', other!.code, '--json')).state).toBe('available');
    });

    it('--units reads 12345678-3 as unit 3 of a build whose short code is all digits', async () => {
      const { build } = await startedBuild(3, codeWithPrefix('12345678'));
      expect(build.shortCode).toBe('12345678');
      const completed = await cli(
        env,
        'build',
        'complete',
        build.shortCode,
        '1',
        '--units',
        '12345678-3',
        '--json',
      );
      expect(completed.stderr).toBe('');
      expect(json(completed)).toMatchObject({ stage: 1, units: 1 });
      const { items } = await listBuildUnits(createContext(database.db), build.code, {
        limit: 3,
        offset: 0,
      });
      expect(items.map((u) => [u.serial, u.stagesCompleted])).toEqual([
        [1, []],
        [2, []],
        [3, [1]],
      ]);
    });

    it('names a project and a location by name where the kind is known, as bom import does', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ stage: 1 }], 'Board');
      const shelf = await makeLocation(ctx, { name: 'Shelf Q' });
      await stock(ctx, project.parts[0]!, [2], shelf.code);
      const started = await cli(
        env,
        'build',
        'start',
        'board',
        '-n',
        '2',
        '--location',
        'Shelf Q',
        '--json',
      );
      expect(started.stderr).toBe('');
      expect(json(started)).toMatchObject({ project: { code: project.code }, quantity: 2 });
      const unknown = await cli(env, 'build', 'plan', 'No such board', '-n', '1');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no project has the code, short code or name 'No such board'/);
    });

    it('exit codes: nothing named is 1 whatever the output format; bad input is 2', async () => {
      const nothing = codeWithPrefix('e1e1e1e1');
      for (const args of [
        ['resolve', nothing],
        ['resolve', nothing, '--json'],
        ['scan', nothing],
        ['scan', nothing, '--json'],
        ['scan', 'no such thing at all'],
        ['scan', 'no such thing at all', '--json'],
      ])
        expect({ args, code: (await cli(env, ...args)).code }).toEqual({ args, code: 1 });
      expect((await cli(env, 'resolve', 'abc')).code).toBe(2);
    });
  });
}
