import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePdfPage, pdfPages } from './support/barcode-decode.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeUnits } from './support/unit-factories.js';
import { testContext } from './support/factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot label, scan`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-label-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("prints a build's labels with a template, to a file and to stdout as ZPL", async () => {
      const ctx = testContext(database.db);
      const { units } = await makeUnits(ctx, 2);
      const build = (
        await ctx.db
          .selectFrom('lot')
          .select('build_code')
          .where('code', '=', units[0]!.code)
          .executeTakeFirstOrThrow()
      ).build_code!;
      const empty = await cli(env, 'label', 'template', 'list');
      expect(empty.stdout).toMatch(/No label templates/);
      const added = json(
        await cli(
          env,
          'label',
          'template',
          'add',
          'Tape',
          '--media',
          'tape-62x29',
          '--symbology',
          'qr',
          '--line',
          '{shortCode}',
          '--line',
          'Unit {buildSerial}',
          '--json',
        ),
      );
      expect(added.lines).toEqual([
        { parts: ['shortCode'] },
        { parts: [{ text: 'Unit ' }, 'buildSerial'] },
      ]);
      const listed = await cli(env, 'label', 'template', 'list');
      expect(listed.stdout).toMatch(
        /Tape\s+tape-62x29\s+qr\s+url\s+\{shortCode\} \| Unit \{buildSerial\}/,
      );

      const file = path.join(dir, 'labels.pdf');
      const printed = await cli(
        env,
        'label',
        'print',
        '--template',
        'tape',
        '--build',
        build,
        '--public-url',
        'https://t.example',
        '-o',
        file,
      );
      expect(printed.stderr).toContain(`2 labels (pdf) written to ${file}`);
      const pdf = readFileSync(file);
      expect(pdfPages(pdf).count).toBe(2);
      expect((await decodePdfPage(pdf, 2))[0]!.text).toBe(`https://t.example/c/${units[1]!.code}`);

      const some = await cli(
        env,
        'label',
        'print',
        '--build',
        build,
        '--units',
        '2',
        '--format',
        'zpl',
      );
      expect(some.stdout.match(/\^XA/g)).toHaveLength(1);
      expect(some.stdout).toContain(`/c/${units[1]!.code}`);

      const zpl = await cli(
        env,
        'label',
        'print',
        units[0]!.code.slice(0, 8).toUpperCase() + units[0]!.code.slice(8),
        '--media',
        'thermal-2x1in',
        '--format',
        'zpl',
      );
      expect(zpl.code).toBe(0);
      expect(zpl.stdout).toMatch(/^\^XA/);
      expect(zpl.stdout).toContain(`http://localhost:8080/c/${units[0]!.code}`);

      const bad = await cli(
        env,
        'label',
        'print',
        '--media',
        'tape-99',
        units[0]!.code,
        '--format',
        'zpl',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/media: unknown media 'tape-99'/);
    });

    it('scans a distributor label typed with placeholders, and a GTIN part by its UDI', async () => {
      const part = json(
        await cli(
          env,
          'part',
          'add',
          'Pump',
          '--gtin',
          '9506000134352',
          '--sku',
          'Digi-Key:PUMP-1-ND',
          '--json',
        ),
      );
      expect(part).toMatchObject({
        gtin: '09506000134352',
        suppliers: [{ supplier: 'Digi-Key', sku: 'PUMP-1-ND' }],
      });
      const scanned = json(
        await cli(
          env,
          'scan',
          '[)><RS>06<GS>PPUMP-1-ND<GS>1PXYZ-1<GS>Q25<GS>1T LOT7<GS>4LCN<RS><EOT>',
          '--json',
        ),
      );
      expect(scanned).toMatchObject({
        recognised: 'iso15434',
        resolved: { kind: 'part', code: part.code },
        receipt: { part: { code: part.code }, quantity: '25', countryOfOrigin: 'CN' },
      });
      const udi = await cli(env, 'scan', '(01)09506000134352(17)271231');
      expect(udi.stdout).toMatch(new RegExp(`→ part ${part.code}  Pump`));
      const none = await cli(env, 'scan', 'nothing-here');
      expect(none.code).toBe(1);
      expect(none.stdout).toMatch(/not recognised/);
    });
  });
}
