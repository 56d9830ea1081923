import { describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import { shortCode } from '../src/domain/code.js';
import { parseCsv } from '../src/domain/csv.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { buildSuite } from './support/api.js';
import { makeProject } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';
import { pdfText, squeezed } from './support/pdf-text.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: pick lists`, () => {
    const suite = buildSuite(dialect);

    /**
     * A serialized build of 4 units: stage 1 takes 2 × A (entry 1) and 1 × C (entry 3), stage 2
     * takes 1 × B (entry 2). A's older reel (5 pcs) lies on shelf "B 10", its newer one on "A 2";
     * C's two reels and B's reel lie on "A 2" and "A 10". Names sort with numbers as numbers.
     */
    async function scenario() {
      const ctx = suite.ctx;
      const tag = `${Math.random().toString(36).slice(2, 8)}`;
      const shelf = async (name: string) =>
        (await makeLocation(ctx, { name: `${tag} Shelf ${name}` })).code;
      const [a2, a10, b10] = [await shelf('A 2'), await shelf('A 10'), await shelf('B 10')];
      const project = await makeProject(ctx, [{ perUnit: 2 }, { perUnit: 1, stage: 2 }, {}]);
      const [partA, partB, partC] = project.parts as [string, string, string];
      const receive = async (part: string, location: string, quantity: number, vendorLot = '') => {
        const r = await receiveStock(ctx, admin, [
          { part, location, quantity, lot: { vendorLot } },
        ]);
        ctx.clock.advance(1000);
        return r.lots[0]!.code;
      };
      const oldA = await receive(partA, b10, 5, 'VL-OLD');
      const newA = await receive(partA, a2, 100, 'VL-NEW');
      const oldC = await receive(partC, a2, 10);
      const newC = await receive(partC, a2, 10);
      const b = await receive(partB, a10, 50);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 4,
        location: suite.line,
      });
      return { tag, build: build.code, shelves: { a2, a10, b10 }, oldA, newA, oldC, newC, b };
    }

    const pickList = (build: string, query = '') =>
      suite.api.call('GET', `/api/v1/builds/${build}/pick-list${query}`, undefined, 'viewer');

    /** `location: lot quantity` per line, in the list's order. */
    const linesOf = (body: any) =>
      body.locations.flatMap((g: any) =>
        g.lines.map((l: any) => `${g.location.code}: ${l.entryNo} ${l.lot.code} ${l.quantity}`),
      );

    it('lists every stage by location, oldest lots first (FIFO), with what each stage still needs', async () => {
      const s = await scenario();
      const res = await pickList(s.build);
      expect(res.status).toBe(200);
      expect(res.body.stage).toBeNull();
      expect(res.body.picking).toBe('fifo');
      expect(res.body.ok).toBe(true);
      expect(res.body.stages).toEqual([
        { stage: 1, units: 4 },
        { stage: 2, units: 4 },
      ]);
      expect(res.body.locations.map((g: any) => g.location.name)).toEqual([
        `${s.tag} Shelf A 2`,
        `${s.tag} Shelf A 10`,
        `${s.tag} Shelf B 10`,
      ]);
      // Entry 1 needs 8: the old reel's 5, then 3 of the new; entry 3 takes the older C reel.
      expect(linesOf(res.body)).toEqual([
        `${s.shelves.a2}: 1 ${s.newA} 3`,
        `${s.shelves.a2}: 3 ${s.oldC} 4`,
        `${s.shelves.a10}: 2 ${s.b} 4`,
        `${s.shelves.b10}: 1 ${s.oldA} 5`,
      ]);
      const old = res.body.locations[2].lines[0];
      expect(old).toMatchObject({
        stage: 1,
        part: { unit: 'pcs' },
        designators: 'R1',
        chosen: false,
        lot: { shortCode: shortCode(s.oldA), vendorLot: 'VL-OLD' },
      });
      expect(old.lot.receivedAt < res.body.locations[0].lines[0].lot.receivedAt).toBe(true);
      expect(res.body.choices).toEqual([
        { stage: 1, entry: 1, lot: s.oldA, quantity: 5 },
        { stage: 1, entry: 1, lot: s.newA, quantity: 3 },
        { stage: 1, entry: 3, lot: s.oldC, quantity: 4 },
        { stage: 2, entry: 2, lot: s.b, quantity: 4 },
      ]);
    });

    it('lists one stage; lots chosen by hand replace the picking rule, and completing with the list’s choices consumes exactly its lots', async () => {
      const s = await scenario();
      const two = await pickList(s.build, '?stage=2');
      expect(two.status).toBe(200);
      expect(two.body.stages).toEqual([{ stage: 2, units: 4 }]);
      expect(linesOf(two.body)).toEqual([`${s.shelves.a10}: 2 ${s.b} 4`]);

      const chosen = await pickList(
        s.build,
        `?stage=1&lots=${encodeURIComponent(`1=${s.newA}, 3=${s.newC}:1`)}`,
      );
      expect(chosen.status).toBe(200);
      // Entry 3 chose 1 of the newer C reel; the rest is short: a hand choice is not topped up.
      expect(linesOf(chosen.body)).toEqual([
        `${s.shelves.a2}: 1 ${s.newA} 8`,
        `${s.shelves.a2}: 3 ${s.newC} 1`,
      ]);
      expect(chosen.body.locations[0].lines.map((l: any) => l.chosen)).toEqual([true, true]);
      expect(chosen.body.ok).toBe(false);
      expect(chosen.body.shortages).toMatchObject([{ entryNo: 3, need: 4, short: 3 }]);

      const list = await pickList(s.build, `?stage=1&lots=1=${s.newA}`);
      const stageOne = list.body.choices.map(({ stage, ...c }: any) => {
        expect(stage).toBe(1);
        return c;
      });
      const done = await suite.api.call('POST', `/api/v1/builds/${s.build}/stages/1/complete`, {
        lots: stageOne,
      });
      expect(done.status).toBe(200);
      expect(
        done.body.consumed.map((c: any) => `${c.entryNo} ${c.lot.code} ${c.quantity}`).sort(),
      ).toEqual(list.body.choices.map((c: any) => `${c.entry} ${c.lot} ${c.quantity}`).sort());

      const after = await pickList(s.build);
      expect(after.body.stages).toEqual([
        { stage: 1, units: 0 },
        { stage: 2, units: 4 },
      ]);
      expect(linesOf(after.body)).toEqual([`${s.shelves.a10}: 2 ${s.b} 4`]);
    });

    it('downloads as CSV and as a PDF with the same lines', async () => {
      const s = await scenario();
      const csv = await suite.api.app.inject({
        method: 'GET',
        url: `/api/v1/builds/${s.build}/pick-list?format=csv`,
        headers: { authorization: `Bearer ${suite.api.keys.viewer}` },
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain(`pick-list-${shortCode(s.build)}.csv`);
      // The header as a spreadsheet sees it: the column names are a contract with its users.
      expect(csv.body.split('\r\n')[0]).toBe(
        'location,stage,entry,part,designators,lot,lot name,vendor lot,received,expiry,quantity,unit,chosen by hand,lot code',
      );
      const rows = parseCsv(csv.body);
      expect(rows.slice(1).map((r) => [r[0], r[2], r[5], r[7], r[10], r[13]])).toEqual([
        [`${s.tag} Shelf A 2`, '1', shortCode(s.newA), 'VL-NEW', '3', s.newA],
        [`${s.tag} Shelf A 2`, '3', shortCode(s.oldC), '', '4', s.oldC],
        [`${s.tag} Shelf A 10`, '2', shortCode(s.b), '', '4', s.b],
        [`${s.tag} Shelf B 10`, '1', shortCode(s.oldA), 'VL-OLD', '5', s.oldA],
      ]);

      const pdf = await suite.api.app.inject({
        method: 'GET',
        url: `/api/v1/builds/${s.build}/pick-list?format=pdf&stage=1`,
        headers: { authorization: `Bearer ${suite.api.keys.viewer}` },
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toContain(
        `pick-list-${shortCode(s.build)}-stage-1.pdf`,
      );
      const text = pdfText(pdf.rawPayload);
      expect(text).toContain(`Pick list:`);
      expect(text).toContain('stage 1: 4 units to complete');
      const flat = squeezed(text);
      const order = [`${s.tag}ShelfA2`, shortCode(s.newA), shortCode(s.oldC), `${s.tag}ShelfB10`]
        .map(squeezed)
        .map((t) => flat.indexOf(t));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(flat).toContain('VL-OLD');
      expect(flat).not.toContain(shortCode(s.b));
    });

    it('refuses bad requests with the field named, changing nothing', async () => {
      const s = await scenario();
      const before = await rowCounts(suite.api.database.db);
      const cases: [string, number, string][] = [
        ['?stage=9', 400, 'stage'],
        ['?stage=0', 400, 'stage'],
        ['?format=xml', 400, 'format'],
        ['?lots=nonsense', 400, 'lots'],
        [`?lots=9=${s.newA}`, 400, 'lots.0.entry'],
        [`?lots=1=${s.b}`, 400, 'lots.0.lot'],
        [`?stage=2&lots=1=${s.newA}`, 400, 'lots.0.entry'],
        [`?lots=1=${s.newA}:-2`, 400, 'lots.0.quantity'],
        [`?lots=${encodeURIComponent(Array(201).fill(`1=${s.newA}`).join(','))}`, 400, 'lots'],
      ];
      for (const [query, status, field] of cases) {
        const res = await pickList(s.build, query);
        expect([query, res.status, res.body.error?.field]).toEqual([query, status, field]);
      }
      const missing = await pickList('0000000000000000000000000z');
      expect(missing.status).toBe(404);
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      await suite.api.call('POST', `/api/v1/builds/${s.build}/cancel`, { reason: 'test' });
      const cancelled = await pickList(s.build);
      expect([cancelled.status, cancelled.body.error?.field]).toEqual([409, 'build']);
    });
  });
}
