import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/stock/stock.service.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLocation, testContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { makeUnits } from './support/unit-factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot ship, shipment, unit`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-ship-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('ships units from arguments and a file, lists and shows shipments, then returns, repairs and releases one', async () => {
      const ctx = testContext(database.db);
      const { units } = await makeUnits(ctx, 3);
      const returns = (await makeLocation(ctx, { name: 'Returns' })).code;
      const empty = await cli(env, 'shipment', 'list');
      expect(empty.stdout).toMatch(/No shipments yet/);

      const file = path.join(dir, 'codes.txt');
      writeFileSync(file, `# scanned\n${units[1]!.code}\n\n${units[2]!.code.toUpperCase()}\n`);
      const shipped = await cli(
        env,
        'ship',
        '--customer',
        'Acme',
        '--ref',
        'PO-7',
        '--date',
        '2026-11-01',
        units[0]!.code.slice(0, 8),
        '--file',
        file,
        '--json',
      );
      expect(shipped.code).toBe(0);
      const shipment = JSON.parse(shipped.stdout);
      expect(shipment).toMatchObject({ customer: 'Acme', reference: 'PO-7', date: '2026-11-01' });
      expect(shipment.units.map((u: { code: string }) => u.code)).toEqual(units.map((u) => u.code));
      expect(shipment.createdBy).toMatch(/^cli:/);

      const list = await cli(env, 'shipment', 'list', '--search', 'po-7');
      expect(list.stdout).toMatch(
        new RegExp(`${shipment.code}\\s+2026-11-01\\s+Acme\\s+PO-7\\s+3\\s+0`),
      );
      const show = await cli(env, 'shipment', 'show', shipment.shortCode);
      expect(show.stdout).toMatch(/customer:\s+Acme/);
      expect(show.stdout).toContain(units[0]!.label);
      expect(show.stdout).toMatch(/shipped/);

      const unit = units[0]!.code;
      const returned = json(
        await cli(
          env,
          'unit',
          'return',
          unit,
          '--reason',
          'noisy fan',
          '--location',
          returns,
          '--json',
        ),
      );
      expect(returned).toMatchObject({ state: 'returned', allowed: ['start_repair', 'scrap'] });
      const repair = await cli(env, 'unit', 'repair', unit, '--note', 'bench');
      expect(repair.stdout).toMatch(/state:\s+in_repair/);
      const event = json(
        await cli(
          env,
          'unit',
          'event',
          'add',
          unit,
          '--type',
          'repair',
          '--text',
          'new fan',
          '--field',
          'ticket=RW-1',
          '--json',
        ),
      );
      expect(event).toMatchObject({
        type: 'repair',
        text: 'new fan',
        customFields: { ticket: 'RW-1' },
      });
      const events = await cli(env, 'unit', 'events', unit);
      expect(events.stdout).toMatch(/return\s+cli:\S+\s+noisy fan/);
      expect(events.stdout).toMatch(/repair\s+cli:\S+\s+new fan/);
      const released = json(await cli(env, 'unit', 'release', unit, '--json'));
      expect(released).toMatchObject({ state: 'available', allowed: ['ship', 'scrap'] });
      const shown = await cli(env, 'unit', 'show', unit);
      expect(shown.stdout).toMatch(/state:\s+available/);
      expect((await checkLedger(ctx)).ok).toBe(true);

      // Many units at once, from arguments and a file; a code that is no unit goes to stderr.
      const unknown = '0abcdefghjkmn1abcdefghjkmn';
      writeFileSync(file, `${units[2]!.code}\n${unknown}\n`);
      const status = await cli(
        env,
        'unit',
        'status',
        unit,
        units[1]!.code.slice(0, 8),
        '--file',
        file,
      );
      expect(status.code).toBe(0);
      const lines = status.stdout.trim().split('\n').slice(1);
      expect(lines.map((l) => l.split(/\s+/).slice(0, 2))).toEqual(
        [units[0]!, units[1]!, units[2]!].map((u) => [u.code.slice(0, 8), u.label]),
      );
      expect(lines[0]).toMatch(/available\s+Acme PO-7$/);
      expect(lines[1]).toMatch(/shipped\s+Acme PO-7$/);
      expect(status.stderr).toContain(`${unknown}: not found`);
      const listed = json(await cli(env, 'unit', 'status', unit, '--json'));
      expect(listed).toMatchObject({ units: [{ code: unit, state: 'available' }], notUnits: [] });
    });

    it('refuses forbidden transitions and bad input with the reason, exit code 2, nothing changed', async () => {
      const ctx = testContext(database.db);
      const { units } = await makeUnits(ctx, 1);
      const before = await rowCounts(database.db);
      const repair = await cli(env, 'unit', 'repair', units[0]!.code);
      expect(repair.code).toBe(2);
      expect(repair.stderr).toMatch(
        /is available: starting a repair needs a unit that is returned/,
      );
      const noUnits = await cli(env, 'ship', '--customer', 'A', '--ref', 'B');
      expect(noUnits.code).toBe(2);
      expect(noUnits.stderr).toMatch(/units: give unit codes or --file/);
      const badDate = await cli(
        env,
        'ship',
        '--customer',
        'A',
        '--ref',
        'B',
        '--date',
        '2026-13-01',
        units[0]!.code,
      );
      expect(badDate.code).toBe(2);
      expect(badDate.stderr).toMatch(/date: must be a date/);
      const missingFile = await cli(
        env,
        'ship',
        '--customer',
        'A',
        '--ref',
        'B',
        '--file',
        path.join(dir, 'nope'),
      );
      expect(missingFile.code).toBe(2);
      expect(missingFile.stderr).toMatch(/file: cannot read/);
      const noCodes = await cli(env, 'unit', 'status');
      expect([noCodes.code, noCodes.stderr]).toEqual([
        2,
        expect.stringMatching(/codes: give unit codes or --file/),
      ]);
      const badCode = await cli(env, 'unit', 'status', units[0]!.code, 'no!');
      expect([badCode.code, badCode.stderr]).toEqual([
        2,
        expect.stringMatching(/codes\.1: 'no!' is not a code/),
      ]);
      const badType = await cli(
        env,
        'unit',
        'event',
        'add',
        units[0]!.code,
        '--type',
        'party',
        '--text',
        'x',
      );
      expect(badType.code).not.toBe(0);
      expect(badType.stderr).toMatch(
        /Allowed choices are inspection, rework, repair, return, note/,
      );
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('explains itself with --help', async () => {
      const ship = await cli(env, 'ship', '--help');
      expect(ship.stdout).toMatch(/--customer <name>/);
      expect(ship.stdout).toMatch(/--file <path>/);
      const unit = await cli(env, 'unit', '--help');
      for (const sub of ['show', 'return', 'repair', 'release', 'scrap', 'events', 'event'])
        expect(unit.stdout).toContain(sub);
    });
  });
}
