import { describe, expect, it } from 'vitest';
import { parseReceiveCsv, receiveRowRequest } from '../src/domain/receive-csv.js';
import { MAX_BATCH_ROWS } from '../src/stock/receive-batch.schemas.js';
import { useTestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { rowCounts } from './support/row-counts.js';

/** Batch receipts (scanned bag labels, file lines) over the API: all rows or none. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: receiving many rows at once`, () => {
    const t = useTestApi(dialect);
    const post = (body: unknown) => t.api.call('POST', '/api/v1/stock/receive-batch', body);
    const setUp = async () => {
      const location = (
        await t.api.call('POST', '/api/v1/locations', { name: `Shelf ${Math.random()}` })
      ).body;
      const opamp = (
        await t.api.call('POST', '/api/v1/parts', {
          name: `LM358 ${Math.random()}`,
          mpn: `LM358BIDDFR-${Math.random()}`,
          suppliers: [{ supplier: 'Digi-Key', sku: `296-LM358-${Math.random()}` }],
        })
      ).body;
      return { location, opamp };
    };

    it('finds parts by supplier part number and by MPN, and creates the missing ones', async () => {
      const { location, opamp } = await setUp();
      const newMpn = `MC34063ADR-${Math.random()}`;
      const res = await post({
        location: location.code,
        rows: [
          {
            supplier: 'Digi-Key',
            sku: opamp.suppliers[0].sku,
            quantity: 10,
            lot: { vendorLot: 'L1', dateCode: '2248', orderRef: 'PO-1' },
          },
          { mpn: opamp.mpn.toUpperCase(), quantity: '2.0' },
          {
            supplier: 'Mouser',
            sku: `595-${newMpn}`,
            mpn: newMpn,
            manufacturer: 'TI',
            createPart: true,
            quantity: 3,
          },
          { supplier: 'Mouser', sku: `595-${newMpn}`, mpn: newMpn, createPart: true, quantity: 4 },
          { part: opamp.code, quantity: 1 },
        ],
      });
      expect(res.status).toBe(201);
      expect(
        res.body.lots.map((l: { part: string; quantity: number; row: number }) => [
          l.row,
          l.quantity,
        ]),
      ).toEqual([
        [0, 10],
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 1],
      ]);
      // Two bags of one new part make one part, listed under its Mouser number.
      expect(res.body.createdParts).toHaveLength(1);
      const created = res.body.createdParts[0];
      expect(created).toMatchObject({ name: newMpn, mpn: newMpn, rows: [2, 3] });
      const parts = res.body.lots.map((l: { part: string }) => l.part);
      expect(parts).toEqual([opamp.code, opamp.code, created.code, created.code, opamp.code]);
      const part = (await t.api.call('GET', `/api/v1/parts/${created.code}`)).body;
      expect(part).toMatchObject({
        manufacturer: 'TI',
        onHand: 7,
        suppliers: [{ supplier: 'Mouser', sku: `595-${newMpn}` }],
      });
      const lot = (await t.api.call('GET', `/api/v1/lots/${res.body.lots[0].code}`)).body;
      expect(lot).toMatchObject({
        vendorLot: 'L1',
        dateCode: '2248',
        orderRef: 'PO-1',
        quantity: 10,
      });
      // The next scan of that label finds the part it created.
      const lookup = await t.api.call('POST', '/api/v1/parts/lookup', {
        items: [
          { supplier: 'mouser', sku: `595-${newMpn}` },
          { mpn: newMpn.toLowerCase() },
          { sku: 'nothing-such' },
        ],
      });
      expect(lookup.status).toBe(200);
      expect(
        lookup.body.items.map((i: { part: { code: string } | null; matchedBy: string | null }) => [
          i.part?.code ?? null,
          i.matchedBy,
        ]),
      ).toEqual([
        [created.code, 'sku'],
        [created.code, 'mpn'],
        [null, null],
      ]);
      expect((await t.api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);
    });

    it('refuses the whole receipt for one bad row, naming the row and field', async () => {
      const { location, opamp } = await setUp();
      const before = await rowCounts(t.api.ctx.db);
      const rows = [
        { part: opamp.code, quantity: 5 },
        { mpn: `NEW-${Math.random()}`, createPart: true, quantity: 1 },
        { part: opamp.code, quantity: 0 },
      ];
      const res = await post({ location: location.code, rows });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('rows.2.quantity');
      const badFormat = await post({
        location: location.code,
        rows: [rows[0], { ...rows[0], quantity: 'ten' }],
      });
      expect(badFormat.status).toBe(400);
      expect(badFormat.body.error.field).toBe('rows.1.quantity');
      const unknown = await post({
        location: location.code,
        rows: [rows[0], { mpn: 'NO-SUCH-PART', quantity: 1 }],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatchObject({ field: 'rows.1.part' });
      expect(unknown.body.error.message).toContain("MPN 'NO-SUCH-PART'");
      const noLocation = await post({ rows: [rows[0]] });
      expect(noLocation.status).toBe(400);
      expect(noLocation.body.error.field).toBe('rows.0.location');
      const badLocation = await post({ location: 'ffffffffffffffffffffffffff', rows: [rows[0]] });
      expect(badLocation.status).toBe(404);
      expect(badLocation.body.error.field).toBe('rows.0.location');
      const tooMany = await post({
        location: location.code,
        rows: Array.from({ length: MAX_BATCH_ROWS + 1 }, () => rows[0]),
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.field).toBe('rows');
      expect(await rowCounts(t.api.ctx.db)).toEqual(before);
    });

    it('never guesses between parts that share an MPN, and refuses what a viewer sends', async () => {
      const { location } = await setUp();
      const mpn = `TWIN-${Math.random()}`;
      const a = (await t.api.call('POST', '/api/v1/parts', { name: 'Twin A', mpn })).body;
      await t.api.call('POST', '/api/v1/parts', { name: 'Twin B', mpn });
      const before = await rowCounts(t.api.ctx.db);
      const res = await post({
        location: location.code,
        rows: [
          { part: a.code, quantity: 1 },
          { mpn, quantity: 1, createPart: true },
        ],
      });
      expect(res.status).toBe(409);
      expect(res.body.error.field).toBe('rows.1.part');
      expect(res.body.error.message).toMatch(/matches 2 parts \(Twin A .*Twin B/);
      const lookup = await t.api.call(
        'POST',
        '/api/v1/parts/lookup',
        { items: [{ mpn }] },
        'viewer',
      );
      expect(lookup.status).toBe(200);
      expect(lookup.body.items[0].candidates.map((c: { name: string }) => c.name)).toEqual([
        'Twin A',
        'Twin B',
      ]);
      const viewer = await t.api.call(
        'POST',
        '/api/v1/stock/receive-batch',
        { location: location.code, rows: [{ part: a.code, quantity: 1 }] },
        'viewer',
      );
      expect(viewer.status).toBe(403);
      expect(await rowCounts(t.api.ctx.db)).toEqual(before);
    });

    it('never lists one supplier part number on two parts when receipts race to create it', async () => {
      // Invariant: whatever the interleaving, one part carries the number; a receipt that lost
      // the race answers 409 and wrote nothing, the others received into that one part.
      const { location } = await setUp();
      const sku = `RACE-${Math.random()}`;
      const body = {
        location: location.code,
        rows: [{ supplier: 'Mouser', sku, mpn: sku, createPart: true, quantity: 1 }],
      };
      const answers = await Promise.all([post(body), post(body), post(body)]);
      const won = answers.filter((a) => a.status === 201);
      expect(won.length).toBeGreaterThan(0);
      for (const a of answers) expect([201, 409]).toContain(a.status);
      const lookup = await t.api.call('POST', '/api/v1/parts/lookup', {
        items: [{ supplier: 'Mouser', sku }],
      });
      const part = lookup.body.items[0].part.code;
      for (const a of won) expect(a.body.lots[0].part).toBe(part);
      const stock = await t.api.call('GET', `/api/v1/stock?part=${part}`);
      expect(stock.body.total).toBe(won.length);
      expect((await t.api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);
    });

    it('creates a part for a row without an MPN from its description, and needs a supplier for its number', async () => {
      const { location } = await setUp();
      const sku = `C${Math.floor(Math.random() * 1e9)}`;
      const missingSupplier = await post({
        location: location.code,
        rows: [{ sku, description: 'Header 2x5', createPart: true, quantity: 5 }],
      });
      expect(missingSupplier.status).toBe(400);
      expect(missingSupplier.body.error.field).toBe('rows.0.supplier');
      const res = await post({
        location: location.code,
        rows: [{ supplier: 'LCSC', sku, description: 'Header 2x5', createPart: true, quantity: 5 }],
      });
      expect(res.status).toBe(201);
      expect(res.body.createdParts[0]).toMatchObject({ name: 'Header 2x5', mpn: '' });
    });
  });
}

describe('receipt CSV files', () => {
  it('recognises columns by name, reads mapped ones, and names what is missing', () => {
    const parsed = parseReceiveCsv(
      'Mfr Part Number\tQty\tDate Code\tBin\n' +
        'LM358BIDDFR\t10\t2248\tA1\n' +
        '\t\t\t\n' +
        'NE555\t5\t\tB2\n',
      { bin: 'location' },
    );
    expect(parsed.columns).toEqual({
      mpn: 'Mfr Part Number',
      quantity: 'Qty',
      dateCode: 'Date Code',
      location: 'Bin',
    });
    expect(parsed.rows).toEqual([
      { line: 2, values: { mpn: 'LM358BIDDFR', quantity: '10', dateCode: '2248', location: 'A1' } },
      { line: 4, values: { mpn: 'NE555', quantity: '5', location: 'B2' } },
    ]);
    expect(receiveRowRequest({ mpn: 'NE555', quantity: '2,5', dateCode: ' ' }, true)).toEqual({
      mpn: 'NE555',
      createPart: true,
      quantity: '2.5',
      lot: {},
      note: '',
    });
    expect(() => parseReceiveCsv('mpn,count\nA,1\n')).toThrow(/csv: no quantity column/);
    expect(() => parseReceiveCsv('qty,bin\n1,A\n')).toThrow(
      /no part, supplier part number or MPN column/,
    );
    expect(() => parseReceiveCsv('mpn,qty\n', {})).toThrow(/no rows below its header/);
    const big = `mpn,qty\n${'A,1\n'.repeat(MAX_BATCH_ROWS + 1)}`;
    expect(() => parseReceiveCsv(big)).toThrow(/2001 rows; at most 2000 per receipt/);
    expect(() => parseReceiveCsv('mpn,qty\nA,1\n', { qty: 'amount' })).toThrow(
      /mapping.qty: 'amount' is not a receipt field/,
    );
  });
});
