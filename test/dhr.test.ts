import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderFileStore, type FileStore } from '../src/attachments/file-store.js';
import { DhrSection } from '../src/dhr/dhr.schemas.js';
import { shortCode } from '../src/domain/code.js';
import { createTestApi, type TestApi } from './support/api.js';
import { PNG } from './support/attachment-files.js';
import { DIALECTS } from './support/databases.js';
import { dhrScenario, LONG_TEXT, LONG_WORD } from './support/dhr-scenario.js';
import { makeLot } from './support/factories.js';
import { jsonLeaves, pdfText, squeezed } from './support/pdf-text.js';
import { rowCounts } from './support/row-counts.js';

/** The `type` of every kind of section: the PDF prints it as the section's heading. */
const SECTION_TYPES = new Set<string>(DhrSection.options.map((o) => o.shape.type.value));

/**
 * What the PDF must show: every value of the JSON but the sections' types (its headings) and the
 * time it was made (the test clock ticks between the two requests; the PDF prints its own).
 */
function missingFromPdf(dhr: unknown, pdf: Uint8Array): string[] {
  const text = squeezed(pdfText(pdf));
  expect(text).toMatch(/Generated:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
  const leaves = jsonLeaves(
    dhr,
    (key, value) => (key === 'type' && SECTION_TYPES.has(String(value))) || key === 'generatedAt',
  );
  return leaves.filter((l) => !text.includes(squeezed(l.value))).map((l) => `${l.path}=${l.value}`);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: Device History Record`, () => {
    let api: TestApi;
    let root: string;
    let files: FileStore;
    let scenario: Awaited<ReturnType<typeof dhrScenario>>;
    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'tracelot-dhr-'));
      files = new FolderFileStore(path.join(root, 'files'), 1 << 20);
      api = await createTestApi(dialect, { files });
      scenario = await dhrScenario(api.ctx, files);
    });
    afterAll(async () => {
      await api.close();
      await rm(root, { recursive: true, force: true });
    });

    const get = (url: string, role: 'admin' | 'viewer' = 'viewer') =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${api.keys[role]}` },
      });

    it("a unit's record holds its identity, build, genealogy, stages, tests, installation, repair, shipment and files", async () => {
      const { units, build, module, reels, tag, photo, repair, shipment } = scenario;
      const res = await get(`/units/${units[0].code}/dhr.json`);
      expect(res.statusCode).toBe(200);
      const dhr = res.json();
      expect(dhr).toMatchObject({ kind: 'unit', code: units[0].code });
      const section = (type: string) => dhr.sections.find((s: any) => s.type === type);
      expect(dhr.sections.map((s: any) => s.type)).toEqual([
        'identity',
        'build',
        'bom',
        'genealogy',
        'stages',
        'tests',
        'installations',
        'service_events',
        'shipments',
        'attachments',
        'history',
        'change_log',
      ]);
      expect(section('identity')).toMatchObject({
        code: units[0].code,
        shortCode: shortCode(units[0].code),
        buildSerial: units[0].label,
        customerSerials: [],
        udi: null,
        state: 'available',
      });
      expect(section('build')).toMatchObject({
        code: build.code,
        notes: `Pilot run ${tag}`,
        finishNote: `Stage 3 by installation ${tag}`,
        status: 'finished',
        bomRevision: 1,
      });
      expect(section('bom').description).toBe(
        'BOM revision 1, as the build took it when it started.',
      );
      expect(section('bom').entries.map((e: any) => [e.entryNo, e.stage, e.designators])).toEqual([
        [1, 1, 'R1'],
        [2, 2, 'C1, C2'],
        [3, 3, 'PM1'],
      ]);
      // Genealogy: the installed power module first (with its own supplier lot), then the reels.
      const root = section('genealogy').root;
      expect(root.code).toBe(units[0].code);
      const [installed, resistor, capacitor] = root.children;
      expect(installed).toMatchObject({ code: module.code, label: module.label });
      expect(installed.via).toMatch(/^installed as entry 3, .* by test-admin$/);
      expect(installed.children[0].lot).toMatchObject({
        vendorLot: `PM-VL-${tag}`,
        dateCode: '2451',
      });
      expect(resistor).toMatchObject({
        code: reels.resistor,
        lot: {
          name: `REEL-R-${tag}`,
          vendorLot: `VL-R-${tag}`,
          dateCode: '2440',
          orderRef: `PO-R-${tag}`,
        },
      });
      expect(resistor.via).toContain('stage 1 entry 1');
      expect(capacitor).toMatchObject({ code: reels.capacitor, lot: { orderRef: `PO-C-${tag}` } });
      expect(section('stages').completions).toEqual([
        expect.objectContaining({
          stage: 1,
          operator: 'test-admin',
          note: `Reflow profile B, peak ≤ 245 °C (Ω-safe) ${tag}`,
          units: '1–2',
        }),
        expect.objectContaining({
          stage: 2,
          operator: 'test-admin',
          note: `Hand-soldered caps ${tag}`,
          units: '1–2',
        }),
      ]);
      expect(section('tests')).toEqual({
        type: 'tests',
        status: 'passed',
        results: [
          expect.objectContaining({
            key: 'vout',
            name: 'Output voltage',
            result: 'pass',
            value: '5.02',
            unit: 'V',
            min: '4.9',
            max: '5.1',
            values: { ripple: 0.013, temperature: '23.5 C' },
            station: `ATE-${tag}`,
            operator: 'Dana',
            notes: `first article ${tag}`,
            attachment: photo.code,
          }),
        ],
      });
      expect(section('installations')).toEqual({
        type: 'installations',
        installed: [
          expect.objectContaining({
            unit: { code: module.code, label: module.label },
            entryNo: 3,
            installedBy: 'test-admin',
            removedAt: null,
          }),
        ],
        installedIn: [],
      });
      expect(section('service_events').events).toEqual([
        expect.objectContaining({ type: 'return', text: `no output ${tag}` }),
        expect.objectContaining({
          code: repair.code,
          type: 'repair',
          text: LONG_TEXT,
          by: 'test-admin',
        }),
      ]);
      expect(section('shipments').shipments).toEqual([
        expect.objectContaining({
          code: shipment.code,
          customer: `Acme ${tag}`,
          reference: `SO-${tag}`,
          note: `by courier ${tag}`,
          returnReason: `no output ${tag}`,
          returnedBy: 'test-admin',
        }),
      ]);
      expect(section('attachments').files).toEqual([
        expect.objectContaining({
          code: photo.code,
          fileName: `front-${tag}.png`,
          sha256: createHash('sha256').update(PNG).digest('hex'),
          size: PNG.length,
          mediaType: 'image/png',
        }),
      ]);
      expect(section('history').events.map((e: any) => e.type)).toEqual(
        expect.arrayContaining([
          'installed',
          'shipped',
          'returned',
          'repair_started',
          'service_event',
          'released',
        ]),
      );
    });

    it("a unit's PDF shows every value of its JSON, long texts wrapped", async () => {
      const code = scenario.units[0].code;
      const json = (await get(`/units/${code}/dhr.json`)).json();
      const res = await get(`/units/${code}/dhr.pdf`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(`dhr-unit-${shortCode(code)}.pdf`);
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(missingFromPdf(json, pdf)).toEqual([]);
      const text = pdfText(pdf);
      // The 260-character word is broken over lines, none longer than the page allows.
      expect(text).not.toContain(LONG_WORD);
      expect(squeezed(text)).toContain(LONG_WORD);
      expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThan(200);
    });

    it("a build's record: its sections, materials with supplier lots, a table of units, then each unit", async () => {
      const { build, units, reels, tag } = scenario;
      const res = await get(`/builds/${build.code}/dhr.json`);
      expect(res.statusCode).toBe(200);
      const dhr = res.json();
      expect(dhr.sections.map((s: any) => s.type)).toEqual([
        'build',
        'bom',
        'stages',
        'materials',
        'attachments',
        'history',
        'units',
        'unit',
        'unit',
        'change_log',
      ]);
      const materials = dhr.sections[3].consumed;
      expect(
        materials.map((m: any) => [m.stage, m.entryNo, m.lot.code, m.lot.vendorLot, m.quantity]),
      ).toEqual([
        [1, 1, reels.resistor, `VL-R-${tag}`, 2],
        [2, 2, reels.capacitor, `VL-C-${tag}`, 4],
      ]);
      expect(dhr.sections[6].units).toEqual([
        {
          code: units[0].code,
          label: units[0].label,
          customerSerials: [],
          state: 'available',
          tests: 'passed',
        },
        {
          code: units[1].code,
          label: units[1].label,
          customerSerials: [],
          state: 'available',
          tests: 'missing',
        },
      ]);
      // Unit 1 has a genealogy of its own (the installed module); unit 2's is the build's materials.
      expect(dhr.sections[7].sections.map((s: any) => s.type)).toContain('genealogy');
      expect(dhr.sections[8].sections.map((s: any) => s.type)).not.toContain('genealogy');
      const pdf = await get(`/builds/${build.code}/dhr.pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(missingFromPdf(dhr, pdf.rawPayload)).toEqual([]);
    });

    it('an unknown code is a 404, text that is no code or a lot that is no unit a 400 naming the field', async () => {
      const before = await rowCounts(api.ctx.db);
      const unknown = '0'.repeat(26);
      for (const url of [
        `/units/${unknown}/dhr.json`,
        `/units/${unknown}/dhr.pdf`,
        `/builds/${unknown}/dhr.json`,
        `/builds/${unknown}/dhr.pdf`,
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.field, url).toBe(url.startsWith('/units') ? 'code' : 'build');
      }
      const bad = await get('/units/%21%21/dhr.pdf');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('code');
      const { lot } = await makeLot(api.ctx);
      const notUnit = await get(`/units/${lot.code}/dhr.json`);
      expect(notUnit.statusCode).toBe(400);
      expect(notUnit.json().error).toMatchObject({ field: 'code' });
      expect(notUnit.json().error.message).toContain('not a unit');
      const afterLot = await rowCounts(api.ctx.db);
      expect(afterLot.change_record).toBeGreaterThan(before.change_record);
      // Reading a record changes nothing.
      await get(`/units/${scenario.units[0].code}/dhr.pdf`);
      expect(await rowCounts(api.ctx.db)).toEqual(afterLot);
    });
  });
}
