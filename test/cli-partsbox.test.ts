import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLogOf } from '../src/audit/audit.service.js';
import { createContext, type Context } from '../src/context.js';
import { getLocation } from '../src/locations/location.service.js';
import { getPart } from '../src/parts/part.service.js';
import type { PartsboxReport } from '../src/partsbox/partsbox.schemas.js';
import { getBom } from '../src/projects/bom.service.js';
import { getProject } from '../src/projects/project.service.js';
import { getLot } from '../src/stock/lot-view.service.js';
import { checkLedger, listStock } from '../src/stock/stock.service.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { rowCounts } from './support/row-counts.js';

const FIXTURE = path.resolve('test/fixtures/partsbox');

/** The PartsBox ids of test/fixtures/partsbox (written from the shapes of partsbox.com/api.html). */
const ID = {
  shelf: '72mmzxda52ja397d7fcbt4dtwq',
  drawer: 'b34zeff2wrgpbank6b0dv7s7h1',
  resistor: 'f2y27zp8q0jsaa73t4xyss3yrg',
  capacitor: '6jn15ct47ekgqavnram50zdcmj',
  mcu: '5ywz2nyx14j0g999tzaxj5hfj5',
  reel: '2xvd3btqyegkw9tpg1ehdm5gtp',
  strip: '20e3zc020eh6f97q4h0j49hhe1',
  tray: 'e4yqnztqarjs1876ypwd7b5h0z',
  emptyLot: '434dyz934mhc69be999b0q366m',
  project: '9ezx231r9mjk596m490j4hygks',
  build: 'e6mcwq33vjh18a3d9xqnqfvpx5',
  order: '82f25hd0zmg9c910n1td5hga2p',
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot import partsbox (built CLI)`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    let ctx: Context;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-partsbox-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
      ctx = createContext(database.db);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A copy of the fixture with `change` applied to the records of one file. */
    const brokenCopy = (name: string, file: string, change: (data: any[]) => void) => {
      const copy = path.join(dir, name);
      cpSync(FIXTURE, copy, { recursive: true });
      const full = path.join(copy, file);
      const listing = JSON.parse(readFileSync(full, 'utf8'));
      change(listing.data);
      writeFileSync(full, JSON.stringify(listing));
      return copy;
    };

    it('refuses a record of the wrong shape before writing, naming file, record and key', async () => {
      const copy = brokenCopy('shape', 'part.json', (parts) => {
        parts[1]['part/stock'][0]['stock/quantity'] = 'five hundred';
      });
      const before = await rowCounts(database.db);
      const refused = await cli(env, 'import', 'partsbox', copy);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `error: part.json: record 2 part/id ${ID.capacitor}: part/stock.0.stock/quantity: must be a number`,
      );
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('refuses a history that takes more than a lot holds, and rolls back what it wrote', async () => {
      const copy = brokenCopy('overdrawn', 'part.json', (parts) => {
        parts[0]['part/stock'][3]['stock/quantity'] = -500; // the drawer holds 300
      });
      const before = await rowCounts(database.db);
      const refused = await cli(env, 'import', 'partsbox', copy);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `error: part.json: part ${ID.resistor}: part/stock.3.stock/quantity: takes 500 from a balance that holds 300 at that time`,
      );
      expect(await rowCounts(database.db)).toEqual(before);
    });

    let report: PartsboxReport;
    it('imports storage, parts, lots with their history and the project, reporting what it skipped', async () => {
      const done = await cli(env, 'import', 'partsbox', FIXTURE, '--json');
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      report = json(done);
      expect(report.imported).toEqual({
        storage: 2,
        part: 4,
        // reel, strip, tray, and the capacitor's stock kept without a lot
        lot: 4,
        // 11 stock entries; the MCU's ordered one lies nowhere yet
        stock: 10,
        project: 1,
        bom: 2,
        build: 0,
        order: 0,
      });
      const skipped = report.skipped.map((s) => `${s.kind} ${s.id}: ${s.reason}`);
      expect(skipped).toEqual([
        `stock ${ID.mcu} part/stock.0: no storage location (ordered, not received): Tracelot keeps stock at a location`,
        `lot ${ID.emptyLot}: no stock entry of a new part names it, so there is nothing to receive`,
        `bom ${ID.project} project/entries.2: no part: PartsBox keeps BOM lines it could not match, a Tracelot BOM entry is of a part`,
        expect.stringMatching(
          new RegExp(`^build ${ID.build}: a PartsBox build is a record of parts taken out`),
        ),
        `order ${ID.order}: Tracelot has no purchase orders: the order number is kept as the order reference of the lots received from it`,
      ]);
      // The id that is no code, and the lot for stock without one, got codes; nothing else did.
      expect(report.newCodes.map((c) => `${c.kind} ${c.id}`)).toEqual([
        'part legacy-42',
        `lot (no lot) of part ${ID.capacitor}`,
      ]);
    });

    it('keeps every PartsBox id as the code, with the values of its record', async () => {
      const resistor = await getPart(ctx, ID.resistor);
      expect(resistor).toMatchObject({
        code: ID.resistor,
        name: '10k 0603 1%',
        description: 'Thick film resistor',
        manufacturer: 'Yageo',
        mpn: 'RC0603FR-0710KL',
        kind: 'component',
        tags: ['0603', 'resistor'],
        customFields: { footprint: '0603', tolerance: '1%', 'power-w': '0.1' },
        onHand: 950,
      });
      expect(await getPart(ctx, ID.mcu)).toMatchObject({
        description: 'Keep in dry storage.',
        onHand: 3,
      });
      const legacy = report.newCodes.find((c) => c.id === 'legacy-42')!;
      expect(await getPart(ctx, legacy.code)).toMatchObject({
        name: 'JST PH 2-pin header',
        tags: ['connector'],
      });
      expect(await getLocation(ctx, ID.shelf)).toMatchObject({
        name: 'Shelf A',
        description: 'Reels, left of the pick-and-place',
        tags: ['reels', 'smd'],
        customFields: { room: 'Lab 2' },
      });
      expect((await getLocation(ctx, ID.drawer)).description).toBe('cut tape');
      expect(await getLot(ctx, ID.reel)).toMatchObject({
        code: ID.reel,
        name: 'REEL-0001',
        description: 'Digi-Key reel',
        comments: 'MSL 1',
        expiry: '2026-01-01',
        orderRef: 'Digi-Key 71234567',
        tags: ['reel'],
        customFields: { 'date-code': '2342' },
        part: { code: ID.resistor },
      });
    });

    it('replays the stock history through the ledger: a move, a removal, an addition, a status change', async () => {
      const balances = (await listStock(ctx, { limit: 100 })).items.map(
        (b) => `${b.lot.code} ${b.location.code} ${b.status} ${b.quantity}`,
      );
      const noLot = report.newCodes.find((c) => c.kind === 'lot')!.code;
      expect(balances.sort()).toEqual(
        [
          `${ID.reel} ${ID.shelf} on_hand 700`,
          `${ID.reel} ${ID.drawer} on_hand 250`,
          `${ID.strip} ${ID.shelf} on_hand 600`,
          `${noLot} ${ID.drawer} on_hand 20`,
          `${ID.tray} ${ID.shelf} on_hand 3`,
          `${ID.tray} ${ID.shelf} rejected 2`,
        ].sort(),
      );
      const check = await checkLedger(ctx);
      expect(check).toMatchObject({ ok: true, balances: 6, entries: 10 });
      const history = await cli(env, 'lot', 'history', ID.reel, '--json');
      const entries = json(history)
        .filter((h: { source: string }) => h.source === 'stock')
        .map(
          (h: { type: string; quantity: number; note: string }) =>
            `${h.type} ${h.quantity} ${h.note}`,
        );
      expect(entries).toEqual([
        'received 1000 PartsBox 2023-11-14T22:13:20.000Z: order 82f25hd0zmg9c910n1td5hga2p',
        'moved -300 PartsBox 2023-11-16T02:00:00.000Z',
        'moved 300 PartsBox 2023-11-16T02:00:00.000Z',
        'removed -50 PartsBox 2023-11-17T05:46:40.000Z: counted: 50 lost on the floor',
      ]);
      // The CLI user made the writes, and the change log records them.
      const log = await changeLogOf(ctx, ID.reel);
      expect(log.records.length).toBeGreaterThan(0);
      expect(log.records.every((r) => r.by.startsWith('cli:'))).toBe(true);
      expect((await cli(env, 'audit', 'verify')).code).toBe(0);
    });

    it('makes the project with its BOM lines', async () => {
      expect(await getProject(ctx, ID.project)).toMatchObject({
        code: ID.project,
        name: 'Sensor board rev B',
        description: 'Temperature sensor',
        notes: 'Assembled in house',
        customFields: { pcb: 'SB-2' },
      });
      const bom = await getBom(ctx, ID.project);
      expect(
        bom.entries.map((e) => ({
          part: e.part.code,
          quantity: e.quantity,
          designators: e.designators,
          comments: e.comments,
        })),
      ).toEqual([
        {
          part: ID.resistor,
          quantity: 4,
          designators: ['R1', 'R2', 'R3', 'R4'],
          comments: 'pull-ups',
        },
        { part: ID.capacitor, quantity: 2, designators: ['C1', 'C2'], comments: 'decoupling' },
      ]);
    });

    it('finds a lot by the PartsBox id on its label, as code, short code or PartsBox link', async () => {
      const scanned = json(await cli(env, 'scan', ID.reel, '--json'));
      expect(scanned.resolved).toMatchObject({ kind: 'lot', code: ID.reel, name: 'REEL-0001' });
      const short = json(await cli(env, 'resolve', ID.tray.slice(0, 8), '--json'));
      expect(short).toMatchObject({ kind: 'lot', code: ID.tray });
      const link = json(
        await cli(env, 'resolve', `https://partsbox.com/I${ID.resistor}`, '--json'),
      );
      expect(link).toMatchObject({ kind: 'part', code: ID.resistor });
    });

    it('adds nothing when run again: every record is reported as already imported', async () => {
      const before = await rowCounts(database.db);
      const again = await cli(env, 'import', 'partsbox', FIXTURE);
      expect(again.code).toBe(0);
      expect(await rowCounts(database.db)).toEqual(before);
      // Progress on stderr, the report on stdout.
      expect(again.stderr).toBe('storage: 0 locations\nparts: 0\nprojects: 0\n');
      expect(again.stdout).toMatch(/^storage +0$/m);
      expect(again.stdout).toMatch(/^part +0$/m);
      expect(again.stdout).toMatch(/^lot +0$/m);
      expect(again.stdout).toMatch(/^stock +0$/m);
      expect(again.stdout).toMatch(
        new RegExp(
          `^part +${ID.resistor} +10k 0603 1% +already imported \\(its code exists\\)$`,
          'm',
        ),
      );
      expect(again.stdout).toMatch(
        new RegExp(`^lot +${ID.reel} +REEL-0001 +already imported$`, 'm'),
      );
      expect(again.stdout).toMatch(new RegExp(`^part +legacy-42 .*already imported`, 'm'));
    });

    it('imports only what a newer export adds; a location name taken gets its short code', async () => {
      const newer = brokenCopy('newer', 'storage.json', (storages) => {
        storages.push({ 'storage/id': 'd3bct41vxakzjad2p57zvjzyjj', 'storage/name': 'SHELF A' });
      });
      const done = json(await cli(env, 'import', 'partsbox', newer, '--json'));
      expect(done.imported).toMatchObject({ storage: 1, part: 0, lot: 0, stock: 0, project: 0 });
      expect(done.skipped).toContainEqual({
        kind: 'storage',
        id: 'd3bct41vxakzjad2p57zvjzyjj',
        name: 'SHELF A',
        reason: "name taken: imported as 'SHELF A (d3bct41v)'",
      });
      expect((await getLocation(ctx, 'd3bct41vxakzjad2p57zvjzyjj')).name).toBe(
        'SHELF A (d3bct41v)',
      );
    });
  });
}
