import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderFileStore } from '../src/attachments/file-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortCode } from '../src/domain/code.js';
import { assignSerials, createSerialFormat } from '../src/serials/serial.service.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { dhrScenario } from './support/dhr-scenario.js';
import { admin, testContext } from './support/factories.js';
import { pdfText } from './support/pdf-text.js';

/** `tracelot dhr`: the same record as the API, for a unit or a build named as a label names it. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot dhr`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    let scenario: Awaited<ReturnType<typeof dhrScenario>>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-dhr-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
      const files = new FolderFileStore(path.join(dir, 'files'), 1 << 20);
      scenario = await dhrScenario(testContext(database.db), files);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("writes a unit's PDF, the unit named by its build serial", async () => {
      const [unit] = scenario.units;
      const file = path.join(dir, 'unit.pdf');
      const res = await cli(env, 'dhr', unit.label, '-o', file);
      expect([res.code, res.stderr]).toEqual([
        0,
        `Device History Record — unit ${unit.label} written to ${file}\n`,
      ]);
      const text = pdfText(readFileSync(file));
      for (const value of [unit.code, `VL-R-${scenario.tag}`, `PO-C-${scenario.tag}`, '5.02'])
        expect(text).toContain(value);
    });

    it("prints the JSON of a unit by its short code, and writes a build's JSON to a file", async () => {
      const [unit] = scenario.units;
      const printed = await cli(env, 'dhr', shortCode(unit.code), '--json');
      expect(printed.code).toBe(0);
      const dhr = json(printed);
      expect(dhr).toMatchObject({ kind: 'unit', code: unit.code });
      expect(dhr.sections[0]).toMatchObject({ type: 'identity', buildSerial: unit.label });

      const file = path.join(dir, 'build.json');
      const written = await cli(env, 'dhr', scenario.build.shortCode, '--json', '--output', file);
      expect(written.code).toBe(0);
      const build = JSON.parse(readFileSync(file, 'utf8'));
      expect(build).toMatchObject({ kind: 'build', code: scenario.build.code });
      expect(build.sections.find((s: { type: string }) => s.type === 'units').units).toHaveLength(
        2,
      );
    });

    it('reads a customer serial as the unit it names; the record lists the serial', async () => {
      const ctx = testContext(database.db);
      const unit = scenario.units[1];
      const format = await createSerialFormat(ctx, admin, {
        name: `DHR ${scenario.tag}`,
        pattern: `DHR${scenario.tag.toUpperCase()}-{SEQ:4}`,
      });
      const [assigned] = (await assignSerials(ctx, admin, format.code, { units: [unit.code] }))
        .items;
      const res = await cli(env, 'dhr', assigned!.serial, '--json');
      expect(res.code).toBe(0);
      expect(json(res).sections[0]).toMatchObject({
        code: unit.code,
        customerSerials: [assigned!.serial],
      });
    });

    it('says when nothing has the code (exit 1) or it names neither a unit nor a build (exit 2)', async () => {
      const missing = await cli(env, 'dhr', '0'.repeat(26), '--json');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('nothing has the code');
      const lot = scenario.reels.resistor;
      const notUnit = await cli(env, 'dhr', lot, '--json');
      expect(notUnit.code).toBe(2);
      expect(notUnit.stderr).toContain('not a unit');
      const help = await cli(env, 'dhr', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: tracelot dhr [options] <unit|build>');
      expect(help.stdout).toContain('--output <file>');
      expect(help.stdout).toContain('--json');
    });
  });
}
