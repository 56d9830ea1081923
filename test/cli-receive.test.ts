import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot receive --csv (built CLI)`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-receive-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const file = (name: string, text: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, text);
      return at;
    };

    it('receives a Mouser order file: parts by MPN and by Mouser number, one created', async () => {
      const location = json(await cli(env, 'location', 'add', 'Reel rack', '--json'));
      const known = json(await cli(env, 'part', 'add', 'Op amp', '--mpn', 'LM358BIDDFR', '--json'));
      const csv = file(
        'order.csv',
        'Mouser No;Mfr. No;Desc.;Order Qty.;Lot\n' +
          '595-LM358BIDDFR;LM358BIDDFR;Dual op amp;10;L1\n' +
          '595-MC34063ADR;MC34063ADR;Switching regulator;3;L2\n' +
          '595-MC34063ADR;MC34063ADR;Switching regulator;4;L3\n',
      );
      const map = ['--map', 'Mouser No=sku', '--map', 'Order Qty.=quantity'];
      const args = ['receive', '--csv', csv, '--location', 'Reel rack', '--supplier', 'Mouser'];

      // Without --create-parts the unknown MPN refuses the whole file, naming its line.
      const before = await rowCounts(database.db);
      const refused = await cli(env, ...args, ...map);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        "line 3 (part): no part has Mouser part number '595-MC34063ADR' or MPN 'MC34063ADR'",
      );
      expect(await rowCounts(database.db)).toEqual(before);

      const done = json(await cli(env, ...args, ...map, '--create-parts', '--json'));
      expect(done.lots.map((l: { quantity: number }) => l.quantity)).toEqual([10, 3, 4]);
      expect(done.lots[0].part).toBe(known.code);
      expect(done.lots[0].location).toBe(location.code);
      expect(done.createdParts).toMatchObject([
        { name: 'MC34063ADR', mpn: 'MC34063ADR', rows: [1, 2] },
      ]);
      const lot = json(await cli(env, 'lot', 'show', done.lots[2].code, '--json'));
      expect(lot).toMatchObject({ vendorLot: 'L3', quantity: 4, part: { name: 'MC34063ADR' } });

      // The created part is found by its Mouser number next time; a bad quantity names its line.
      const again = file('again.csv', 'sku,qty\n595-MC34063ADR,5\n595-MC34063ADR,five\n');
      const bad = await cli(
        env,
        'receive',
        '--csv',
        again,
        '--location',
        location.shortCode,
        '--supplier',
        'mouser',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('line 3 (quantity)');
      const good = json(
        await cli(
          env,
          'receive',
          '--csv',
          file('good.csv', 'sku,qty\n595-MC34063ADR,5\n'),
          '--location',
          location.shortCode,
          '--supplier',
          'mouser',
          '--json',
        ),
      );
      expect(good.lots[0].part).toBe(done.createdParts[0].code);
      expect(good.createdParts).toEqual([]);
    });

    it('says which columns it needs, and has --help', async () => {
      const noQty = await cli(env, 'receive', '--csv', file('x.csv', 'mpn,count\nA,1\n'));
      expect(noQty.code).toBe(2);
      expect(noQty.stderr).toContain('no quantity column');
      const help = await cli(env, 'receive', '--help');
      expect(help.stdout).toContain('--create-parts');
      expect(help.stdout).toContain('--json');
    });
  });
}
