import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { bomRows } from './support/projects.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot bom stages, stage-add, stage-rename, set-stage (built CLI)`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-bom-stages-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a stage column by name, adds and renames stages, moves lines; refuses bad input', async () => {
      await cli(env, 'project', 'add', 'Controller', '--json');
      const file = path.join(dir, 'controller.csv');
      writeFileSync(
        file,
        [
          'Reference,Qty,Value,Footprint,MPN,Stage',
          'C1,1,100nF,Capacitor_SMD:C_0402_1005Metric,GRM155R61A104KA01D,SMT',
          'R1,1,10k,Resistor_SMD:R_0603_1608Metric,RC0603FR-0710KL,SMT',
          'J1,1,Conn,Connector:Conn_01x02,CONN-2,Hand solder',
        ].join('\n'),
      );
      const imported = await cli(env, 'bom', 'import', 'Controller', file, '--create-parts');
      expect(imported.code, imported.stderr).toBe(0);

      const listed = await cli(env, 'bom', 'stages', 'Controller');
      expect(listed.stdout).toMatch(
        /^STAGE\s+NAME\s+DOCUMENTATION\s+LINES\n1\s+SMT\s+2\n2\s+Hand solder\s+1\n\nBOM revision 1\.\n$/,
      );

      const added = await cli(
        env,
        'bom',
        'stage-add',
        'Controller',
        'Test',
        '--documentation',
        '--json',
      );
      expect(added.code, added.stderr).toBe(0);
      expect(json(added)).toEqual({
        revision: 1,
        stages: [
          { stage: 1, name: 'SMT', documentation: false, entries: 2 },
          { stage: 2, name: 'Hand solder', documentation: false, entries: 1 },
          { stage: 3, name: 'Test', documentation: true, entries: 0 },
        ],
      });
      const renamed = await cli(env, 'bom', 'stage-rename', 'Controller', '2', 'Hand soldering');
      expect(renamed.stdout).toMatch(/\n2\s+Hand soldering\s+1\n/);

      const moved = await cli(env, 'bom', 'set-stage', 'Controller', '2', '1-2');
      expect(moved.stdout).toBe('2 line(s) now on 2 · Hand soldering; BOM revision 1.\n');
      const shown = await cli(env, 'bom', 'show', 'Controller');
      expect(shown.stdout).toMatch(/1\s+pcs\s+C1\s+2 · Hand soldering\n/);
      expect(shown.stdout).toMatch(/1\s+pcs\s+J1\s+2 · Hand soldering\n/);

      // Refused: exit code 2, the field named, nothing changed.
      const before = await rowCounts(database.db);
      const onDocs = await cli(env, 'bom', 'set-stage', 'Controller', '3', '1');
      expect(onDocs.code).toBe(2);
      expect(onDocs.stderr).toMatch(/stage: stage 3 is a documentation stage/);
      const twin = await cli(env, 'bom', 'stage-add', 'Controller', 'smt');
      expect(twin.code).toBe(2);
      expect(twin.stderr).toMatch(/name: stage 1 is named 'SMT' already/);
      const badList = await cli(env, 'bom', 'set-stage', 'Controller', '1', '3-1');
      expect(badList.code).toBe(2);
      expect(badList.stderr).toMatch(/'3-1' is not a range of positions/);
      expect(await rowCounts(database.db)).toEqual(before);
      expect(
        (
          await bomRows(
            database.db,
            json(await cli(env, 'bom', 'show', 'Controller', '--json')).project.code,
          )
        ).map((r) => r.stage),
      ).toEqual([2, 2, 2]);

      const help = await cli(env, 'bom', 'set-stage', '--help');
      expect(help.stdout).toContain('put BOM lines on a stage, all in one change');
    }, 120_000);
  });
}
