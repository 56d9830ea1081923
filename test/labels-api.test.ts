import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCode } from '../src/domain/code.js';
import { gtinCheckDigit } from '../src/domain/scan/gs1.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { assignSerials, createSerialFormat } from '../src/serials/serial.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { decodePdfPage, pdfPages } from './support/barcode-decode.js';
import { codesThenRandom, codeWithPrefix } from './support/codes.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makePart, type TestContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { makeUnits } from './support/unit-factories.js';

const PUBLIC_URL = 'https://trace.example.com';
// GS1's own example GTIN (check digit 2).
const GTIN = '09506000134352';

async function print(
  api: TestApi,
  body: Record<string, unknown>,
  role: 'admin' | 'viewer' = 'admin',
) {
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/v1/labels',
    headers: { authorization: `Bearer ${api.keys[role]}` },
    payload: body,
  });
  return res;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: label templates and printing`, () => {
    let api: TestApi;
    let ctx: TestContext;
    beforeAll(async () => {
      api = await createTestApi(dialect, { publicUrl: PUBLIC_URL });
      ctx = api.ctx;
    });
    afterAll(() => api.close());

    it('lists the media presets, each with a default layout', async () => {
      const res = await api.call('GET', '/api/v1/label-media');
      expect(res.status).toBe(200);
      const ids = res.body.items.map((m: { id: string }) => m.id);
      expect(ids).toEqual(
        expect.arrayContaining(['tape-62x29', 'tape-29x50', 'tape-12x48', 'a4-3x8', 'a4-5x13']),
      );
      const sheet = res.body.items.find((m: { id: string }) => m.id === 'a4-3x8');
      expect(sheet).toMatchObject({ kind: 'sheet', labelsPerPage: 24, widthMm: 70 });
      expect(sheet.defaultTemplate.lines.length).toBeGreaterThan(0);
    });

    it('creates, finds by name, changes and archives a template; bad ones answer 400 naming the field', async () => {
      const created = await api.call('POST', '/api/v1/label-templates', {
        name: 'Board 62 mm',
        media: 'tape-62x29',
        symbology: 'qr',
        lines: [
          { parts: ['shortCode'], bold: true },
          { parts: [{ text: 'S/N ' }, 'customerSerial'] },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Board 62 mm', content: 'url', archived: false });
      const byName = await api.call(
        'GET',
        `/api/v1/label-templates/${encodeURIComponent('board 62 MM')}`,
      );
      expect(byName.body.code).toBe(created.body.code);
      expect(
        (
          await api.call('POST', '/api/v1/label-templates', {
            name: 'BOARD 62 mm',
            media: 'tape-62x29',
            symbology: 'qr',
            lines: [],
          })
        ).status,
      ).toBe(409);
      const bad = [
        [{ media: 'tape-99', symbology: 'qr', lines: [] }, 'media'],
        [
          { media: 'tape-62x29', symbology: 'qr', lines: [{ parts: ['colour'] }] },
          'lines[0].parts[0]',
        ],
        [
          { media: 'tape-12x48', symbology: 'qr', lines: [{ parts: ['code'], sizePt: 60 }] },
          'lines[0].sizePt',
        ],
        [{ media: { widthMm: 5, heightMm: 20 }, symbology: 'qr', lines: [] }, 'media.widthMm'],
      ] as const;
      for (const [body, field] of bad) {
        const res = await api.call('POST', '/api/v1/label-templates', {
          name: `bad ${field}`,
          ...body,
        });
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.error.field).toBe(field);
      }
      const changed = await api.call('PATCH', `/api/v1/label-templates/${created.body.code}`, {
        symbology: 'datamatrix',
        archived: true,
      });
      expect(changed.body).toMatchObject({ symbology: 'datamatrix', archived: true });
      const listed = await api.call('GET', '/api/v1/label-templates?archived=any');
      expect(listed.body.items.map((t: { name: string }) => t.name)).toContain('Board 62 mm');
      expect((await api.call('GET', '/api/v1/label-templates')).body.items).toEqual([]);
      const history = await historyRows(ctx.db, created.body.code);
      expect(history.map((h) => h.type)).toEqual(['created', 'updated', 'archived']);
    });

    it("prints a build's units on 62 mm tape: one page per unit, each symbol the unit page URL", async () => {
      const { units, build } = await unitsWithBuild(ctx, 3);
      const res = await print(api, { build, media: 'tape-62x29', symbology: 'qr' }, 'viewer');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-label-count']).toBe('3');
      const pdf = res.rawPayload;
      const pages = pdfPages(pdf);
      expect(pages.count).toBe(3);
      for (const [w, h] of pages.sizes) {
        expect(w).toBeCloseTo((62 / 25.4) * 72, 0);
        expect(h).toBeCloseTo((29 / 25.4) * 72, 0);
      }
      for (const page of [1, 3]) {
        const [decoded] = await decodePdfPage(pdf, page);
        expect(decoded!.text).toBe(`${PUBLIC_URL}/c/${units[page - 1]!.code}`);
      }
    });

    it("prints chosen units of a build by serial, range or code; refuses units it doesn't have", async () => {
      const { units, build } = await unitsWithBuild(ctx, 5);
      const res = await print(api, {
        build,
        units: [{ from: 4, to: 5 }, 1, units[1]!.code],
        format: 'zpl',
        media: 'thermal-2x1in',
      });
      expect(res.headers['x-label-count']).toBe('4');
      const order = [...res.body.matchAll(/\/c\/([0-9a-z]{26})/g)].map((m) => m[1]);
      expect(order).toEqual([units[0]!.code, units[1]!.code, units[3]!.code, units[4]!.code]);
      const cases = [
        [{ build, units: [6] }, 'units.0', /units 1–5/],
        [{ build, units: ['00000000000000000000000000'] }, 'units.0', /not a unit of the build/],
        [{ units: [1] }, 'units', /give build too/],
      ] as const;
      for (const [body, field, message] of cases) {
        const bad = await print(api, { ...body, format: 'zpl' });
        expect(bad.statusCode).toBe(400);
        expect(JSON.parse(bad.body).error).toMatchObject({
          field,
          message: expect.stringMatching(message),
        });
      }
    });

    it('reads units as labels print them: short code, <build>-<n>, customer serial; 409 and 404 name the reference', async () => {
      const { units, build } = await unitsWithBuild(ctx, 5);
      // A label whose text without its hyphen starts the build's code has a second reading.
      const [a, b, c, d] = units.filter((u) => !build.startsWith(u.label.replace('-', '')));
      const format = await createSerialFormat(ctx, admin, {
        name: `Labels ${build}`,
        pattern: 'LBL-{SEQ:4}',
      });
      const [serial] = (await assignSerials(ctx, admin, format.code, { units: [c!.code] })).items;
      const res = await print(api, {
        build,
        units: [b!.label, a!.code.slice(0, 8).toUpperCase(), serial!.serial],
        format: 'zpl',
        media: 'thermal-2x1in',
      });
      expect(res.statusCode).toBe(200);
      const order = [...res.body.matchAll(/\/c\/([0-9a-z]{26})/g)].map((m) => m[1]);
      const bySerial = (x: { code: string }) => units.findIndex((u) => u.code === x.code);
      expect(order).toEqual(
        [a!, b!, c!].sort((x, y) => bySerial(x) - bySerial(y)).map((u) => u.code),
      );

      // A lot whose code starts with d's label, hyphen dropped: both answer, neither is guessed.
      const lookalike = codeWithPrefix(d!.label.replace('-', ''));
      const part = await makePart(ctx);
      await receiveStock({ ...ctx, newCode: codesThenRandom([newCode(), lookalike]) }, admin, [
        { part: part.code, location: (await makeLocation(ctx)).code, quantity: 1 },
      ]);
      const ambiguous = await print(api, { build, units: [1, d!.label], format: 'zpl' });
      expect(ambiguous.statusCode).toBe(409);
      expect(JSON.parse(ambiguous.body).error).toMatchObject({
        code: 'ambiguous_code',
        field: 'units.1',
      });
      expect(
        JSON.parse(ambiguous.body)
          .error.candidates.map((x: { code: string }) => x.code)
          .sort(),
      ).toEqual([d!.code, lookalike].sort());
      const missing = await print(api, {
        build,
        units: [`${build.slice(0, 8)}-999`],
        format: 'zpl',
      });
      expect(missing.statusCode).toBe(404);
      expect(JSON.parse(missing.body).error).toMatchObject({
        field: 'units.0',
        message: expect.stringContaining('has a unit 999'),
      });
    });

    it('prints any codes on an A4 sheet from a start position, and as ZPL', async () => {
      const { units } = await unitsWithBuild(ctx, 2);
      const location = (await api.call('GET', '/api/v1/locations')).body.items[0].code;
      const codes = [units[0]!.code, location, units[1]!.code];
      const sheet = await print(api, { codes, media: 'a4-3x8', startPosition: 4 });
      expect(sheet.statusCode).toBe(200);
      expect(pdfPages(sheet.rawPayload).count).toBe(1);
      const decoded = (await decodePdfPage(sheet.rawPayload, 1)).map((d) => d.text);
      expect(decoded.sort()).toEqual(codes.map((c) => `${PUBLIC_URL}/c/${c}`).sort());
      const zpl = await print(api, { codes, media: 'thermal-2x1in', format: 'zpl', dpi: 300 });
      expect(zpl.headers['content-type']).toMatch(/^text\/plain/);
      expect(zpl.body.match(/\^XA/g)).toHaveLength(3);
      expect(zpl.body).toContain(`${PUBLIC_URL}/c/${units[1]!.code}`);
      // Copies: a code given several times prints several labels, rendered in turns of 50.
      const copies = await print(api, {
        codes: Array<string>(120).fill(units[0]!.code),
        media: 'thermal-2x1in',
        format: 'zpl',
      });
      expect(copies.headers['x-label-count']).toBe('120');
      expect(copies.body.match(/\^XA/g)).toHaveLength(120);
      expect(copies.body.match(/\^XZ\n/g)).toHaveLength(120);
    });

    it('refuses what it cannot print, naming the field', async () => {
      const cases = [
        [{ codes: [] }, 400, 'codes'],
        [{ codes: ['00000000000000000000000000'] }, 404, 'codes[0]'],
        [{ codes: ['xyz'] }, 400, 'codes[0]'],
        [{ codes: [], build: '00000000000000000000000000' }, 404, 'build'],
        [{ codes: ['00000000000000000000000000'], template: 'no such template' }, 404, 'template'],
        [{ codes: ['00000000000000000000000000'], format: 'png' }, 400, 'format'],
        [{ codes: Array(5001).fill('00000000000000000000000000') }, 400, 'codes'],
      ] as const;
      for (const [body, status, field] of cases) {
        const res = await print(api, body);
        const error = JSON.parse(res.body).error;
        expect({ field, status: res.statusCode, got: error.field }).toEqual({
          field,
          status,
          got: field,
        });
      }
      const { units } = await unitsWithBuild(ctx, 1);
      const udi = await print(api, { codes: [units[0]!.code], symbology: 'gs1datamatrix' });
      expect(udi.statusCode).toBe(400);
      expect(JSON.parse(udi.body).error).toMatchObject({
        field: 'codes[0]',
        message: expect.stringMatching(/GTIN/),
      });
    });

    it('gives parts a GTIN (check digit checked, unique) and supplier part numbers (unique per supplier)', async () => {
      const bad = await api.call('POST', '/api/v1/parts', { name: 'Pump', gtin: '09506000134353' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        field: 'gtin',
        message: expect.stringMatching(/check digit/),
      });
      const pump = await api.call('POST', '/api/v1/parts', {
        name: 'Pump',
        gtin: '9506000134352',
        suppliers: [{ supplier: 'Digi-Key', sku: 'PUMP-1-ND' }],
      });
      expect(pump.body).toMatchObject({
        gtin: GTIN,
        suppliers: [{ supplier: 'Digi-Key', sku: 'PUMP-1-ND' }],
      });
      const other = await api.call('POST', '/api/v1/parts', { name: 'Other', gtin: GTIN });
      expect(other.status).toBe(409);
      expect(other.body.error.field).toBe('gtin');
      const sku = await api.call('POST', '/api/v1/parts', {
        name: 'Other',
        suppliers: [{ supplier: 'Digi-Key', sku: 'PUMP-1-ND' }],
      });
      expect(sku.status).toBe(409);
      expect(sku.body.error.field).toBe('suppliers');
      const otherCase = await api.call('POST', '/api/v1/parts', {
        name: 'Other',
        suppliers: [{ supplier: 'DIGI-KEY', sku: 'PUMP-1-ND' }],
      });
      expect(otherCase.status).toBe(409);
      expect(otherCase.body.error.field).toBe('suppliers');
      const twice = await api.call('POST', '/api/v1/parts', {
        name: 'Other',
        suppliers: [
          { supplier: 'Mouser', sku: 'A' },
          { supplier: 'mouser', sku: 'A' },
        ],
      });
      expect(twice.body.error.field).toBe('suppliers.1');
      const parts = (await api.call('GET', '/api/v1/parts?q=Other')).body.items;
      expect(parts).toEqual([]);
      const changed = await api.call('PATCH', `/api/v1/parts/${pump.body.code}`, {
        gtin: null,
        suppliers: [{ supplier: 'LCSC', sku: 'C999' }],
      });
      expect(changed.body).toMatchObject({
        gtin: null,
        suppliers: [{ supplier: 'LCSC', sku: 'C999' }],
      });
      const history = await historyRows(ctx.db, pump.body.code);
      expect(history.at(-1)).toMatchObject({ type: 'updated' });
      expect(history.flatMap((h) => Object.keys(h.data ?? {}))).toEqual(
        expect.arrayContaining(['gtin', 'suppliers']),
      );
    });

    it('prints a UDI label whose GS1 DataMatrix reads back to the unit through the resolver and the scan endpoint', async () => {
      const { units, part } = await unitsWithBuild(ctx, 2);
      const body = '401234500001';
      const gtin = `${body}${gtinCheckDigit(body)}`;
      const patched = await api.call('PATCH', `/api/v1/parts/${part}`, { gtin });
      const withGtin = patched.body.gtin as string;
      expect(withGtin).toBe(`0${gtin}`);
      const format = await createSerialFormat(ctx, admin, {
        name: `UDI ${part}`,
        pattern: 'SN{SEQ:6}',
      });
      await assignSerials(ctx, admin, format.code, { units: [units[0]!.code] });
      const res = await print(api, {
        codes: units.map((u) => u.code),
        media: 'tape-62x29',
        symbology: 'gs1datamatrix',
      });
      expect(res.statusCode).toBe(200);
      const first = (await decodePdfPage(res.rawPayload, 1))[0]!;
      expect(first.symbologyIdentifier).toBe(']d2');
      expect(first.text).toMatch(
        new RegExp(`^\\(01\\)${withGtin}\\(11\\)\\d{6}\\(10\\)[0-9a-z]{8}\\(21\\)SN000001$`),
      );
      const second = (await decodePdfPage(res.rawPayload, 2))[0]!;
      expect(second.text).toContain(`(21)${units[1]!.code.slice(0, 20)}`);
      // What a scanner types: the symbology identifier and the element string with GS separators.
      for (const [decoded, unit] of [
        [first, units[0]!],
        [second, units[1]!],
      ] as const) {
        const scanned = `${decoded.symbologyIdentifier}${decoded.bytes}`;
        const resolved = await api.call('GET', `/api/v1/resolve?q=${encodeURIComponent(scanned)}`);
        expect(resolved.body).toMatchObject({ kind: 'lot', code: unit.code, matchedBy: 'gs1' });
        const scan = await api.call('GET', `/api/v1/scan?q=${encodeURIComponent(decoded.text)}`);
        expect(scan.body).toMatchObject({ recognised: 'gs1', resolved: { code: unit.code } });
        expect(scan.body.fields[0]).toEqual({ id: '01', label: 'GTIN', value: withGtin });
      }
      // A serial is taken for a code only as the 20 characters a label prints, and only among
      // the units of the GTIN's part: never a shorter prefix, never another part's unit.
      const other = (await unitsWithBuild(ctx, 1)).units[0]!;
      for (const serial of [units[1]!.code.slice(0, 8), other.code.slice(0, 20)]) {
        const res = await api.call(
          'GET',
          `/api/v1/scan?q=${encodeURIComponent(`(01)${withGtin}(21)${serial}`)}`,
        );
        expect(res.body.resolved).toBeUndefined();
        expect(res.body.message).toContain(serial);
      }
      // A lot name with parentheses (GS1 allows them; the bracketed form cannot hold them) is
      // left out of the label rather than breaking it.
      const location = (await api.call('GET', '/api/v1/locations')).body.items[0].code;
      const received = await api.call('POST', '/api/v1/stock/receive', {
        items: [{ part, location, quantity: 1, lot: { name: 'A(1)' } }],
      });
      const lot = received.body.lots[0].code as string;
      const plain = await print(api, { codes: [lot], symbology: 'gs1datamatrix' });
      expect(plain.statusCode).toBe(200);
      expect((await decodePdfPage(plain.rawPayload, 1))[0]!.text).toMatch(
        new RegExp(`^\\(01\\)${withGtin}\\(11\\)\\d{6}\\(21\\)${lot.slice(0, 20)}$`),
      );
      // Serial formats are objects with a name like any other.
      const byFormat = await api.call('GET', `/api/v1/scan?q=${format.code}`);
      expect(byFormat.body.resolved).toMatchObject({ kind: 'serial_format', name: `UDI ${part}` });
      const resolvedFormat = await api.call('GET', `/api/v1/resolve?q=${format.code}`);
      expect(resolvedFormat.body.name).toBe(`UDI ${part}`);
      const unknown = await api.call(
        'GET',
        `/api/v1/scan?q=${encodeURIComponent(`(01)${withGtin}(21)NOPE`)}`,
      );
      expect(unknown.body).toMatchObject({
        recognised: 'gs1',
        message: expect.stringMatching(/NOPE/),
      });
      expect(unknown.body.resolved).toBeUndefined();
    });
  });

  describe(`${dialect}: scanning distributor labels`, () => {
    let api: TestApi;
    let ctx: TestContext;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
    });
    afterAll(() => api.close());

    // Digi-Key bag label (InvenTree's supplier barcode tests).
    const DIGI_KEY =
      '[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d' +
      '10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337' +
      `\x1d20Z${'0'.repeat(175)}`;
    const scan = (q: string) => api.call('GET', `/api/v1/scan?q=${encodeURIComponent(q)}`);

    it('reads a label that names no part yet: the receipt to fill, and why no part was chosen', async () => {
      const res = await scan(DIGI_KEY);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        recognised: 'iso15434',
        receipt: {
          mpn: 'LM358BIDDFR',
          supplierPartNumber: '296-LM358BIDDFRCT-ND',
          quantity: '10',
          countryOfOrigin: 'PH',
          supplier: 'Digi-Key',
        },
        message: expect.stringMatching(/LM358BIDDFR/),
      });
      expect(res.body.receipt.part).toBeUndefined();
      expect(res.body.text).toContain('␞06␝');
    });

    it("reads GS1 data whose AIs Tracelot does not use, showing them as fields (GS1's example)", async () => {
      const res = await scan(']d2011231231231233310ABC123<GS>99TESTING');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        recognised: 'gs1',
        fields: [
          { id: '01', label: 'GTIN', value: '12312312312333' },
          { id: '10', label: 'BATCH/LOT', value: 'ABC123' },
          { id: '99', label: 'INTERNAL', value: 'TESTING' },
        ],
        message: 'no part has the GTIN 12312312312333',
      });
      const malformed = await scan(']d2011231231231233310ABC123<GS>3103ABC');
      expect(malformed.body).toMatchObject({
        recognised: 'gs1',
        fields: [],
        message: 'gs1 (3103): NET WEIGHT (kg) must have 6 characters, not 3',
      });
    });

    it('finds the part by MPN, then by the supplier part number before the MPN', async () => {
      const byMpn = await makePart(ctx, { name: 'Op-amp', mpn: 'lm358biddfr'.replace(' ', '') });
      const first = await scan(DIGI_KEY);
      expect(first.body.receipt.part).toEqual({ code: byMpn.code, name: 'Op-amp' });
      expect(first.body.resolved).toMatchObject({
        kind: 'part',
        code: byMpn.code,
        matchedBy: 'label',
      });
      const bySku = await makePart(ctx, {
        name: 'Op-amp (Digi-Key cut tape)',
        suppliers: [{ supplier: 'Digi-Key', sku: '296-LM358BIDDFRCT-ND' }],
      });
      const second = await scan(DIGI_KEY);
      expect(second.body.receipt.part.code).toBe(bySku.code);
      const resolved = await api.call('GET', `/api/v1/resolve?q=${encodeURIComponent(DIGI_KEY)}`);
      expect(resolved.body).toMatchObject({ kind: 'part', code: bySku.code });
    });

    it('reads an LCSC bag label and finds the part by its LCSC part number', async () => {
      // LCSC bag QR (InvenTree's supplier barcode tests).
      const LCSC =
        '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}';
      const part = await makePart(ctx, {
        name: 'Switch',
        suppliers: [{ supplier: 'LCSC', sku: 'C312270' }],
      });
      const res = await scan(LCSC);
      expect(res.body).toMatchObject({
        recognised: 'lcsc',
        resolved: { kind: 'part', code: part.code },
        receipt: {
          part: { code: part.code, name: 'Switch' },
          quantity: '2',
          orderReference: 'SO2009291337',
          mpn: 'ST-1-102-A01-T000-RS',
          supplier: 'LCSC',
        },
      });
    });

    it('says what was not recognised, with control characters made visible', async () => {
      const res = await scan('hello\x1dworld');
      expect(res.body).toMatchObject({ recognised: 'none', text: 'hello␝world' });
      expect(res.body.message).toMatch(/not recognised: 'hello␝world'/);
      expect((await scan('')).status).toBe(400);
    });

    it('resolves codes and customer serials as the resolver does', async () => {
      const { units } = await makeUnits(ctx, 1);
      const res = await scan(`https://x.example/c/${units[0]!.code}`);
      expect(res.body).toMatchObject({ recognised: 'code', resolved: { code: units[0]!.code } });
    });
  });
}

async function unitsWithBuild(ctx: TestContext, count: number) {
  const { units } = await makeUnits(ctx, count);
  const lot = await ctx.db
    .selectFrom('lot')
    .select(['build_code', 'part_code'])
    .where('code', '=', units[0]!.code)
    .executeTakeFirstOrThrow();
  return { units, build: lot.build_code!, part: lot.part_code };
}
