import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/stock/stock.service.js';
import { recordTestResult } from '../src/test-results/test-result.service.js';
import { createTestTemplate } from '../src/test-results/test-template.service.js';
import { createShipment } from '../src/units/shipping.service.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, testContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { makeUnits } from './support/unit-factories.js';

// The corrections from the command line (the built CLI: `npm run build:server` first).
for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot shipment reverse, test void, test template edit`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-corrections-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reverses a shipment entered by mistake, once, with a reason', async () => {
      const ctx = testContext(database.db);
      const { units } = await makeUnits(ctx, 2);
      const shipment = await createShipment(ctx, admin, {
        customer: 'Acme',
        reference: 'PO-oops',
        units: units.map((u) => u.code),
      });

      const help = await cli(env, 'shipment', 'reverse', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: tracelot shipment reverse [options] <code>');
      expect(help.stdout).toContain('--reason <text>');
      expect(help.stdout).toContain('tracelot unit return');

      const counts = await rowCounts(database.db);
      const missing = await cli(env, 'shipment', 'reverse', shipment.shortCode);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/--reason/);
      const blank = await cli(env, 'shipment', 'reverse', shipment.shortCode, '--reason', ' ');
      expect(blank.code).toBe(2);
      expect(blank.stderr).toMatch(/reason/);
      expect(await rowCounts(database.db)).toEqual(counts);

      const done = await cli(
        env,
        'shipment',
        'reverse',
        shipment.shortCode,
        '--reason',
        'wrong order',
        '--json',
      );
      expect(done.code).toBe(0);
      const reversed = json(done);
      expect(reversed.reversed).toMatchObject({
        reason: 'wrong order',
        by: expect.stringMatching(/^cli:/),
      });
      expect(reversed.units.map((u: { state: string }) => u.state)).toEqual([
        'available',
        'available',
      ]);
      const show = await cli(env, 'shipment', 'show', shipment.shortCode);
      expect(show.stdout).toMatch(/reversed:\s+cli:\S+ at \S+: wrong order/);
      const list = await cli(env, 'shipment', 'list', '--search', 'PO-oops');
      expect(list.stdout).toMatch(/PO-oops\s+2\s+0\s+yes/);

      const after = await rowCounts(database.db);
      const again = await cli(env, 'shipment', 'reverse', shipment.code, '--reason', 'again');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/reversed already/);
      expect(await rowCounts(database.db)).toEqual(after);
      expect((await checkLedger(ctx)).ok).toBe(true);
    }, 180_000); // 8 Node processes, each 1–2 s on a quiet machine and far more on a busy one

    it("voids a result by its id, and corrects an unused test's type", async () => {
      const ctx = testContext(database.db);
      const { units, part } = await makeUnits(ctx, 1);
      const unit = units[0]!.code;
      const template = await createTestTemplate(ctx, admin, part, { key: 'ict', name: 'ICT' });
      const spare = await createTestTemplate(ctx, admin, part, { key: 'vcc', name: 'VCC' });
      const result = await recordTestResult(ctx, admin, unit, { key: 'ict', result: 'pass' });

      const help = await cli(env, 'test', 'void', '--help');
      expect(help.stdout).toContain('Usage: tracelot test void [options] <id>');
      const status = await cli(env, 'test', 'status', unit);
      expect(status.stdout).toMatch(new RegExp(`${result.id}\\s+ict\\s+PASS`));

      const counts = await rowCounts(database.db);
      const notId = await cli(env, 'test', 'void', 'abc', '--reason', 'x');
      expect(notId.code).toBe(2);
      expect(notId.stderr).toMatch(/id: must be a result id/);
      const unknown = await cli(env, 'test', 'void', '99999999', '--reason', 'x');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/not found/);
      expect(await rowCounts(database.db)).toEqual(counts);

      const voided = await cli(
        env,
        'test',
        'void',
        String(result.id),
        '--reason',
        'wrong unit',
        '--json',
      );
      expect(voided.code).toBe(0);
      expect(json(voided)).toMatchObject({ id: result.id, voided: { reason: 'wrong unit' } });
      const now = await cli(env, 'test', 'status', unit);
      expect(now.stdout).toMatch(/ict\s+ICT\s+yes\s+MISSING/);
      expect(now.stdout).toMatch(/VOIDED: wrong unit/);
      const twice = await cli(env, 'test', 'void', String(result.id), '--reason', 'again');
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/voided already/);

      // The type: a reason is required; a test with results (voided too) keeps its type.
      const noReason = await cli(env, 'test', 'template', 'edit', spare.code, '--type', 'number');
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toMatch(/reason/);
      const retyped = await cli(
        env,
        'test',
        'template',
        'edit',
        spare.code,
        '--type',
        'number',
        '--unit',
        'V',
        '--min',
        '3.2',
        '--max',
        '3.4',
        '--reason',
        'measured, not judged',
        '--json',
      );
      expect(retyped.code).toBe(0);
      expect(json(retyped)).toMatchObject({
        valueType: 'number',
        unit: 'V',
        min: '3.2',
        max: '3.4',
      });
      const used = await cli(
        env,
        'test',
        'template',
        'edit',
        template.code,
        '--type',
        'text',
        '--reason',
        'typo',
      );
      expect(used.code).toBe(2);
      expect(used.stderr).toMatch(/has 1 result: its type cannot change/);
    }, 180_000); // 10 Node processes
  });
}
