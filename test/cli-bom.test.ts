import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { bomRows } from './support/projects.js';
import { rowCounts } from './support/row-counts.js';

const FIXTURES = path.resolve('test/fixtures/bom');

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot project and bom commands (built CLI)`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-bom-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('adds a project, previews and imports a KiCad BOM by project name, shows it', async () => {
      const project = json(
        await cli(env, 'project', 'add', 'Sensor node', '--tag', 'pcba', '--json'),
      );
      expect(project).toMatchObject({
        name: 'Sensor node',
        tags: ['pcba'],
        part: { name: 'Sensor node', kind: 'sub_assembly' },
      });
      const file = path.join(FIXTURES, 'kicad-grouped-by-value.csv');

      // A dry run: unmatched lines are listed, nothing changes.
      const before = await rowCounts(database.db);
      const dry = await cli(env, 'bom', 'import', 'sensor NODE', file, '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^LINE\s+REFERENCE\s+QTY\s+VALUE\s+FOOTPRINT\s+MPN\s+PART/);
      expect(dry.stdout).toMatch(
        /\n10\s+C1,C2,C5\s+3\s+100nF\s+Capacitor_SMD:C_0402_1005Metr…\s+GRM155R71C104KA88D\s+-/,
      );
      expect(dry.stdout).toContain(
        '10 lines (kicad_grouped_by_value, header on line 9): 0 matched, 10 unmatched, 0 new parts, 0 with problems.',
      );
      expect(dry.stdout).toContain('Nothing changed: lines match no part.');
      const dryCreate = await cli(
        env,
        'bom',
        'import',
        project.shortCode,
        file,
        '--dry-run',
        '--create-parts',
      );
      expect(dryCreate.code).toBe(0);
      expect(dryCreate.stdout).toMatch(/\(new\) 10k 0603 RC0603FR-0710KL\s+new\s+DNP/);
      expect(dryCreate.stdout).toContain('Dry run: nothing changed.');
      expect(await rowCounts(database.db)).toEqual(before);

      // Without --create-parts the import is refused, naming the lines.
      const refused = await cli(env, 'bom', 'import', project.code, file);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^error: file: 10 lines match no part, nothing imported/);
      expect(refused.stdout).toMatch(
        /^LINE\s+MESSAGE\n10\s+no part matches \(MPN 'GRM155R71C104KA88D'/,
      );
      expect(await rowCounts(database.db)).toEqual(before);

      const imported = await cli(env, 'bom', 'import', project.shortCode, file, '--create-parts');
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('Imported: the BOM has 10 entries; created 9 parts.');
      const rows = await bomRows(database.db, project.code);
      expect(rows.map((r) => [r.position, r.designators, r.quantity, r.dnp])).toEqual([
        [1, 'C1, C2, C5', 3_000_000, 0],
        [2, 'C3, C4', 2_000_000, 0],
        [3, 'D1', 1_000_000, 0],
        [4, 'J1', 1_000_000, 0],
        [5, 'R1, R2', 2_000_000, 0],
        [6, 'R3', 1_000_000, 0],
        [7, 'R4', 1_000_000, 1],
        [8, 'U1', 1_000_000, 0],
        [9, 'U2', 1_000_000, 0],
        [10, 'Y1', 1_000_000, 0],
      ]);

      const shown = await cli(env, 'bom', 'show', 'Sensor node');
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(
        /^Revision 1 — not approved\nPOS\s+PART\s+NAME\s+MPN\s+QTY\s+UNIT\s+DESIGNATORS/,
      );
      expect(shown.stdout).toMatch(
        /\n7\s+\w{8}\s+10k 0603 RC0603FR-0710KL\s+RC0603FR-0710KL\s+1\s+pcs\s+R4\s+Stage 1\s+DNP/,
      );
      const asJson = json(await cli(env, 'bom', 'show', project.code, '--json'));
      expect(asJson.entries).toHaveLength(10);
      const details = await cli(env, 'project', 'show', project.shortCode);
      expect(details.stdout).toMatch(/^code:\s+\w{26}\nname:\s+Sensor node\n/);
      expect(details.stdout).toMatch(/entries:\s+10/);
      const list = await cli(env, 'project', 'list', '--search', 'sensor');
      expect(list.stdout).toMatch(
        /^SHORTCODE\s+NAME\s+PART\s+ENTRIES\s+TAGS\n\w{8}\s+Sensor node\s+Sensor node\s+10\s+pcba\n$/,
      );
    });

    it('imports a generic CSV with --map, as JSON', async () => {
      const project = json(await cli(env, 'project', 'add', 'Mapped', '--json'));
      const out = await cli(
        env,
        'bom',
        'import',
        'Mapped',
        path.join(FIXTURES, 'generic-mapped.csv'),
        '--map',
        'Parts=designators',
        '--map',
        'Mfr Code=mpn',
        '--map',
        'Land pattern=footprint',
        '--map',
        'Val=value',
        '--map',
        'Build step=stage',
        '--json',
      );
      expect(out.code, out.stderr).toBe(0);
      const result = json(out);
      expect(result).toMatchObject({
        committed: true,
        format: 'generic',
        summary: { lines: 4, matched: 4, unmatched: 0, newParts: 0, problems: 0 },
      });
      expect(result.bom.entries.map((e: any) => [e.designators.join(','), e.stage])).toEqual([
        ['U1', 1],
        ['C1,C2,C5', 1],
        ['R1,R2', 1],
        ['J1', 2],
      ]);
      expect((await bomRows(database.db, project.code)).length).toBe(4);
      const badMap = await cli(
        env,
        'bom',
        'import',
        'Mapped',
        path.join(FIXTURES, 'generic-mapped.csv'),
        '--map',
        'Parts=size',
      );
      expect(badMap.code).toBe(2);
      expect(badMap.stderr).toMatch(/mapping.Parts: 'size' is not a BOM field/);
    });

    it('bad files: exit code 2, the offending lines, nothing imported', async () => {
      const project = json(await cli(env, 'project', 'add', 'Bad files', '--json'));
      const before = await rowCounts(database.db);
      const latin1 = path.join(dir, 'latin1.csv');
      writeFileSync(
        latin1,
        Buffer.from('Reference,Qty,Value\nR1,1,10k\nR2,1,4.7 k\xb5\n', 'latin1'),
      );
      const notUtf8 = await cli(env, 'bom', 'import', project.code, latin1, '--create-parts');
      expect(notUtf8.code).toBe(2);
      expect(notUtf8.stderr).toMatch(/^error: file: the file is not UTF-8 text/);
      expect(notUtf8.stdout).toMatch(/\n3\s+byte 40 of the file \(0xB5\) is not UTF-8\n/);

      const quantities = path.join(dir, 'quantities.csv');
      writeFileSync(
        quantities,
        '"Reference","Value","Footprint","Qty"\r\n"R1","10k","R_0603","-1"\r\n"R2,R3","10k","R_0603","two"\r\n"R3","1k","R_0603","1"\r\n',
      );
      for (const extra of [[], ['--dry-run']]) {
        const out = await cli(
          env,
          'bom',
          'import',
          'Bad files',
          quantities,
          '--create-parts',
          ...extra,
        );
        expect(out.code).toBe(2);
        expect(out.stdout).toMatch(/quantity: must not be negative/);
        expect(out.stdout).toMatch(/quantity: must be a number, got "two"/);
        expect(out.stdout).toMatch(/designator R3 is on line 4 too/);
      }
      const noColumns = path.join(dir, 'no-columns.csv');
      writeFileSync(noColumns, 'Value,Footprint\n10k,R_0603\n');
      const missing = await cli(env, 'bom', 'import', 'Bad files', noColumns);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no quantity column and no reference/);
      const json2 = await cli(env, 'bom', 'import', 'Bad files', noColumns, '--json');
      expect(json(json2).error.problems).toEqual([
        { line: 1, message: "header columns: 'Value', 'Footprint'" },
      ]);
      const unknown = await cli(env, 'bom', 'import', 'No such project', noColumns);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(
        /no project has the code, short code or name 'No such project'/,
      );
      expect(await rowCounts(database.db)).toEqual(before);
    });
  });
}
