import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInstallation } from '../src/builds/installation.repository.js';
import { installUnit } from '../src/builds/installation.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { behindTheApp } from './support/behind-the-app.js';
import { makeProject } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, testContext } from './support/factories.js';
import { makeUnits } from './support/unit-factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot check`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-check-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reports a unit holding more sub-assemblies than its BOM entry allows', async () => {
      const ctx = testContext(database.db);
      const { units, part } = await makeUnits(ctx, 2);
      const top = await makeProject(ctx, [{ part, perUnit: 1 }], 'Controller');
      const build = await startBuild(ctx, admin, {
        project: top.code,
        quantity: 1,
        location: (await makeLocation(ctx)).code,
      });
      const parent = (await listBuildUnits(ctx, build.code, {})).items[0]!.code;
      await installUnit(ctx, admin, { child: units[0]!.code, parent });
      const fine = json(await cli(env, 'check', '--json'));
      expect(fine).toMatchObject({ ok: true, installations: { ok: true, overfilled: [] } });

      // What two concurrent installs could leave before parents were locked.
      await behindTheApp(() =>
        insertInstallation(database.db, {
          child_code: units[1]!.code,
          parent_code: parent,
          entry_no: 1,
          installed_at: new Date().toISOString(),
          installed_by: 'race',
          removed_at: null,
          removed_by: null,
          removed_reason: null,
        }),
      );
      const out = await cli(env, 'check', '--json');
      expect(out.code).toBe(1);
      expect(json(out)).toMatchObject({
        ok: false,
        installations: { ok: false, overfilled: [{ parent, entry: 1, installed: 2, allowed: 1 }] },
      });
      const text = await cli(env, 'check');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(
        '1 unit(s) hold more sub-assemblies than their BOM entry allows:',
      );
      expect(text.stdout).toMatch(new RegExp(`${parent}\\s+1\\s+2\\s+1`));
    });
  });
}
