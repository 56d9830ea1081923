import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { bomRows } from './support/projects.js';
import { rowCounts } from './support/row-counts.js';
import { historyRows } from './support/history.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/bom/${name}`, import.meta.url), 'utf8');

/** [line, designators, quantity, matchedBy, part name] per line of an import answer. */
const matches = (result: any) =>
  result.lines.map((l: any) => [
    l.line,
    l.designators.join(','),
    l.quantity,
    l.matchedBy,
    l.part?.name ?? l.newPartName,
  ]);

for (const dialect of DIALECTS) {
  describe(`${dialect}: BOM import`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    const newProject = async (name = 'Sensor node') =>
      (await api.call('POST', '/api/v1/projects', { name })).body;
    const importBom = (code: string, body: Record<string, unknown>) =>
      api.call('POST', `/api/v1/projects/${code}/bom/import`, body);
    const part = async (body: Record<string, unknown>) => {
      const res = await api.call('POST', '/api/v1/parts', body);
      expect(res.status).toBe(201);
      return res.body;
    };

    it('previews a KiCad fields-table export: nothing matches yet, nothing changes', async () => {
      const project = await newProject();
      const before = await rowCounts(api.database.db);
      const res = await importBom(project.code, { csv: fixture('kicad-fields-table.csv') });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        committed: false,
        ready: false,
        format: 'kicad_fields_table',
        delimiter: ',',
        headerLine: 1,
        summary: { lines: 10, matched: 0, unmatched: 10, newParts: 0, problems: 0 },
        createdParts: [],
        bom: null,
      });
      expect(res.body.unmatched[0]).toEqual({
        line: 2,
        reference: 'C1, C2, C5',
        value: '100nF',
        footprint: 'Capacitor_SMD:C_0402_1005Metric',
        mpn: 'GRM155R71C104KA88D',
      });
      const creating = await importBom(project.code, {
        csv: fixture('kicad-fields-table.csv'),
        createParts: true,
      });
      expect(creating.body).toMatchObject({
        ready: true,
        summary: { matched: 0, unmatched: 10, newParts: 9 },
      });
      // R1,R2 and the DNP R4 share one MPN: one new part.
      expect(matches(creating.body)).toEqual([
        [2, 'C1,C2,C5', 3, 'new', '100nF 0402 GRM155R71C104KA88D'],
        [3, 'C3,C4', 2, 'new', '10uF 0805 CL21A106KAYNNNE'],
        [4, 'D1', 1, 'new', 'green 0603 150060GS75000'],
        [5, 'J1', 1, 'new', 'Conn_01x04 PinHeader_1x04_P2.54mm_Vertical'],
        [6, 'R1,R2', 2, 'new', '10k 0603 RC0603FR-0710KL'],
        [7, 'R3', 1, 'new', '4k7 0603 RC0603FR-074K7L'],
        [8, 'R4', 1, 'new', '10k 0603 RC0603FR-0710KL'],
        [9, 'U1', 1, 'new', 'STM32G031K8T6 LQFP-32'],
        [10, 'U2', 1, 'new', 'TPS7A0533 SOT-23-5 TPS7A0533PDBVR'],
        [11, 'Y1', 1, 'new', '8MHz Crystal_SMD_3225-4Pin_3.2x2.5mm ABM8-8.000MHZ-B2-T'],
      ]);
      expect(await rowCounts(api.database.db)).toEqual(before);
      expect(await bomRows(api.database.db, project.code)).toEqual([]);
    });

    it('imports it with createParts: new component parts and the BOM, in one step', async () => {
      const project = await newProject();
      const res = await importBom(project.code, {
        csv: fixture('kicad-fields-table.csv'),
        createParts: true,
        commit: true,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ committed: true, ready: true });
      expect(res.body.createdParts).toHaveLength(9);
      const entries = res.body.bom.entries;
      expect(
        entries.map((e: any) => [
          e.position,
          e.designators.join(','),
          e.quantity,
          e.dnp,
          e.part.name,
        ]),
      ).toEqual([
        [1, 'C1,C2,C5', 3, false, '100nF 0402 GRM155R71C104KA88D'],
        [2, 'C3,C4', 2, false, '10uF 0805 CL21A106KAYNNNE'],
        [3, 'D1', 1, false, 'green 0603 150060GS75000'],
        [4, 'J1', 1, false, 'Conn_01x04 PinHeader_1x04_P2.54mm_Vertical'],
        [5, 'R1,R2', 2, false, '10k 0603 RC0603FR-0710KL'],
        [6, 'R3', 1, false, '4k7 0603 RC0603FR-074K7L'],
        [7, 'R4', 1, true, '10k 0603 RC0603FR-0710KL'],
        [8, 'U1', 1, false, 'STM32G031K8T6 LQFP-32'],
        [9, 'U2', 1, false, 'TPS7A0533 SOT-23-5 TPS7A0533PDBVR'],
        [10, 'Y1', 1, false, '8MHz Crystal_SMD_3225-4Pin_3.2x2.5mm ABM8-8.000MHZ-B2-T'],
      ]);
      expect(entries[4].part.code).toBe(entries[6].part.code);
      const led = await api.call('GET', `/api/v1/parts/${entries[2].part.code}`);
      expect(led.body).toMatchObject({
        name: 'green 0603 150060GS75000',
        kind: 'component',
        unit: 'pcs',
        mpn: '150060GS75000',
        manufacturer: 'Würth Elektronik',
        customFields: { footprint: 'LED_SMD:LED_0603_1608Metric', value: 'green' },
      });
      const header = await api.call('GET', `/api/v1/parts/${entries[3].part.code}`);
      expect(header.body).toMatchObject({
        mpn: '',
        customFields: {
          footprint: 'Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical',
          value: 'Conn_01x04',
        },
      });
      expect((await historyRows(api.database.db, led.body.code)).map((h) => h.data)).toEqual([
        { name: 'green 0603 150060GS75000', source: 'bom_import', project: project.code },
      ]);
      const history = await historyRows(api.database.db, project.code);
      expect(history.at(-1)!.data.bom).toMatchObject({
        entries: { from: 0, to: 10 },
        added: { count: 10 },
        source: 'import',
        lines: 10,
        createdParts: 9,
      });
    });

    it('imports the grouped-by-value plugin output into another project: all matched by MPN or value + footprint', async () => {
      const project = await newProject('Sensor node, second build');
      const before = await rowCounts(api.database.db);
      const res = await importBom(project.code, {
        csv: fixture('kicad-grouped-by-value.csv'),
        commit: true,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        format: 'kicad_grouped_by_value',
        headerLine: 9,
        summary: { lines: 10, matched: 10, unmatched: 0, newParts: 0 },
      });
      expect(matches(res.body).map((m: any[]) => m[3])).toEqual([
        'mpn',
        'mpn',
        'mpn',
        'value_footprint',
        'mpn',
        'mpn',
        'mpn',
        'mpn',
        'mpn',
        'mpn',
      ]);
      const after = await rowCounts(api.database.db);
      expect(after.part).toBe(before.part);
      expect(after.bom_entry).toBe(before.bom_entry + 10);
    });

    it('matches the with_fp plugin output (no MPN column) by value and footprint', async () => {
      const project = await newProject();
      const res = await importBom(project.code, {
        csv: fixture('kicad-grouped-by-value-with-fp.csv'),
      });
      expect(res.body.summary).toEqual({
        lines: 10,
        matched: 10,
        unmatched: 0,
        newParts: 0,
        problems: 0,
      });
      expect(new Set(matches(res.body).map((m: any[]) => m[3]))).toEqual(
        new Set(['value_footprint']),
      );
      expect(res.body.lines[0].part.name).toBe('100nF 0402 GRM155R71C104KA88D');
    });

    it('matching rules: MPN ignoring case, "<value> <footprint>" names, other MPNs, archived parts, ambiguity', async () => {
      const named = await part({ name: '22k R_0805_2012Metric' });
      await part({
        name: 'Any 47k',
        customFields: { value: '47K', footprint: 'R_0805_2012Metric' },
      });
      await part({
        name: '47k other',
        mpn: 'CRCW080547K0FKEA',
        customFields: { value: '47k', footprint: 'R_0805_2012Metric' },
      });
      const archived = await part({ name: 'Old', mpn: 'OLD-1' });
      await api.call('PATCH', `/api/v1/parts/${archived.code}`, { archived: true });
      await part({ name: 'Twin A', mpn: 'TWIN-1' });
      await part({ name: 'Twin B', mpn: 'twin-1' });
      const lower = await part({ name: 'Lowercase MPN', mpn: 'lm358dr' });
      const project = await newProject();
      const csv = [
        'Reference,Value,Footprint,Qty,MPN',
        'R1,22k,Resistor_SMD:R_0805_2012Metric,1,',
        'R2,47k,Resistor_SMD:R_0805_2012Metric,1,',
        'R3,47k,Resistor_SMD:R_0805_2012Metric,1,RC0805FR-0747KL',
        'U1,,,1,OLD-1',
        'U2,,,1,Twin-1',
        'U3,LM358,Package_SO:SOIC-8,1,LM358DR',
      ].join('\n');
      const res = await importBom(project.code, { csv });
      expect(matches(res.body)).toEqual([
        [2, 'R1', 1, 'value_footprint', named.name],
        [3, 'R2', 1, null, null],
        [4, 'R3', 1, 'value_footprint', 'Any 47k'],
        [5, 'U1', 1, null, null],
        [6, 'U2', 1, null, null],
        [7, 'U3', 1, 'mpn', lower.name],
      ]);
      // R2 (no MPN) fits both 47k parts; R3's MPN rules out the part with another MPN.
      expect(res.body.lines[1].problems).toEqual([
        expect.stringMatching(
          /^2 parts match value '47k' and footprint 'Resistor_SMD:R_0805_2012Metric': (?=.*'Any 47k')(?=.*'47k other')/,
        ),
      ]);
      expect(res.body.lines[4].problems).toEqual([
        expect.stringMatching(
          /^2 parts match MPN 'Twin-1': (?=.*'Twin A')(?=.*'Twin B').*never a guess/,
        ),
      ]);
      expect(res.body.unmatched.map((u: any) => u.line)).toEqual([3, 5, 6]);
      const before = await rowCounts(api.database.db);
      const refused = await importBom(project.code, { csv, commit: true, createParts: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'validation_error', field: 'csv' });
      expect(refused.body.error.problems).toEqual([
        { line: 3, message: expect.stringMatching(/2 parts match value '47k'/) },
        { line: 6, message: expect.stringMatching(/2 parts match MPN 'Twin-1'/) },
      ]);
      expect(refused.body.error.message).toMatch(/line 3: 2 parts match .*; line 6: 2 parts match/);
      expect(await rowCounts(api.database.db)).toEqual(before);
    });

    it('a mapped part column names the part; generic CSV with a column mapping', async () => {
      const project = await newProject();
      const csv = fixture('generic-mapped.csv');
      const mapping = {
        Parts: 'reference',
        'Mfr Code': 'mpn',
        Maker: 'manufacturer',
        'Land pattern': 'footprint',
        Val: 'value',
        'Build step': 'stage',
      };
      const res = await importBom(project.code, { csv, mapping, createParts: true, commit: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.columns).toMatchObject({
        reference: 'Parts',
        quantity: 'Count',
        stage: 'Build step',
      });
      expect(res.body.summary).toMatchObject({ matched: 4, newParts: 0, problems: 0 });
      expect(matches(res.body).map((m: any[]) => m.slice(1))).toEqual([
        ['U1', 1, 'mpn', 'STM32G031K8T6 LQFP-32'],
        ['C1,C2,C5', 3, 'mpn', '100nF 0402 GRM155R71C104KA88D'],
        ['R1,R2', 2, 'value_footprint', '10k 0603 RC0603FR-0710KL'],
        ['J1', 1, 'value_footprint', 'Conn_01x04 PinHeader_1x04_P2.54mm_Vertical'],
      ]);
      expect(
        res.body.bom.entries.map((e: any) => [e.designators.join(','), e.stage, e.comments]),
      ).toEqual([
        ['U1', 1, ''],
        ['C1,C2,C5', 1, ''],
        ['R1,R2', 1, 'any 1% thick film'],
        ['J1', 2, 'fit after test, by hand'],
      ]);

      // A second part with U1's MPN: the line is ambiguous, a part column decides.
      const mcu = await part({ name: 'MCU', mpn: 'STM32G031K8T6' });

      const byCode = await importBom(project.code, {
        csv: `Ref,Qty,Tracelot\nU1,1,${mcu.code.toUpperCase()}\nU2,1,nonsense!\n`,
        mapping: { Tracelot: 'part' },
      });
      expect(matches(byCode.body).slice(0, 1)).toEqual([[2, 'U1', 1, 'part', 'MCU']]);
      expect(byCode.body.lines[1].problems).toEqual([
        expect.stringMatching(/^part: 'nonsense!' is not a code/),
      ]);
      // Archived, the second part no longer matches: U1 is found by its MPN again.
      await api.call('PATCH', `/api/v1/parts/${mcu.code}`, { archived: true });
      const again = await importBom(project.code, { csv, mapping });
      expect(again.body.lines[0]).toMatchObject({ matchedBy: 'mpn', problems: [] });
      expect(again.body.lines[0].part.code).not.toBe(mcu.code);
      const badMapping = await importBom(project.code, { csv, mapping: { Parts: 'colour' } });
      expect(badMapping.status).toBe(400);
      expect(badMapping.body.error.field).toBe('mapping.Parts');
    });

    it('re-importing keeps the substitutes and attrition set in Tracelot', async () => {
      const project = await newProject();
      const csv = fixture('kicad-fields-table.csv');
      const first = await importBom(project.code, { csv, commit: true });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const entries = first.body.bom.entries.map((e: any) => ({
        part: e.part.code,
        quantity: e.quantity,
        designators: e.designators,
        dnp: e.dnp,
      }));
      const alt = await part({ name: 'Alt 100n' });
      entries[0] = {
        ...entries[0],
        substitutes: [alt.code],
        attritionPercent: '1.5',
        attritionFixed: 10,
      };
      expect(
        (await api.call('PUT', `/api/v1/projects/${project.code}/bom`, { entries })).status,
      ).toBe(200);
      const again = await importBom(project.code, { csv, commit: true });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.bom.entries[0]).toMatchObject({
        substitutes: [{ code: alt.code }],
        attritionPercent: 1.5,
        attritionFixed: 10,
      });
    });

    it('bad files: a report of the offending lines, HTTP 400 naming csv, nothing imported', async () => {
      const project = await newProject();
      await part({ name: 'One', mpn: 'DUP-7' });
      await part({ name: 'Two', mpn: 'DUP-7' });
      const good = await importBom(project.code, {
        csv: fixture('kicad-fields-table.csv'),
        commit: true,
      });
      expect(good.status).toBe(200);
      const rows = await bomRows(api.database.db, project.code);
      const before = await rowCounts(api.database.db);
      const refuse = async (csv: string, problems: unknown, message: RegExp) => {
        for (const commit of [false, true]) {
          const res = await importBom(project.code, { csv, commit });
          expect({ commit, status: res.status }).toEqual({ commit, status: 400 });
          expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'csv' });
          expect(res.body.error.message).toMatch(message);
          expect(res.body.error.problems).toEqual(problems);
        }
      };
      await refuse(
        'Reference,Qty,Value\nR1,1,4.7 k\ufffd\n',
        [{ line: 2, message: 'holds U+FFFD, the mark of bytes that were not UTF-8' }],
        /not UTF-8 text/,
      );
      // Binary data holds control characters: refused by the request check before the import.
      await refuse(
        '\u0089PNG\r\n\u001a\n\u0000\u0000',
        undefined,
        /must not contain control characters \(U\+0089/,
      );
      await refuse(
        'Value,Footprint\n10k,R_0603\n',
        [{ line: 1, message: "header columns: 'Value', 'Footprint'" }],
        /no quantity column and no reference/,
      );
      await refuse('', [], /empty/);

      // Line problems: a preview answers them per line; a commit refuses the file.
      const csv = [
        '"Reference","Value","Footprint","Qty","MPN"',
        '"C1,C2","100nF","C_0402","-2","GRM155R71C104KA88D"',
        '"R1","10k","R_0603","ten","RC0603FR-0710KL"',
        '"R2,R1","10k","R_0603","2","RC0603FR-0710KL"',
        '"U1","STM32","LQFP-32","1","DUP-7"',
      ].join('\r\n');
      const preview = await importBom(project.code, { csv });
      expect(preview.status).toBe(200);
      expect(preview.body.ready).toBe(false);
      expect(preview.body.lines.map((l: any) => [l.line, l.problems])).toEqual([
        [2, ['quantity: must not be negative']],
        [3, ['quantity: must be a number, got "ten"', 'designator R1 is on line 4 too']],
        [4, ['designator R1 is on line 3 too']],
        [5, [expect.stringMatching(/^2 parts match MPN 'DUP-7': (?=.*'One')(?=.*'Two')/)]],
      ]);
      const refused = await importBom(project.code, { csv, commit: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error.problems.map((p: any) => p.line)).toEqual([2, 3, 3, 4, 5]);
      expect(refused.body.error.message).toMatch(
        /^csv: 5 problems in the file, nothing imported — line 2: quantity: must not be negative; line 3/,
      );

      const halves = await importBom(project.code, {
        csv: 'Ref,Qty,MPN\nR1,0.5,RC0603FR-0710KL\n',
        commit: true,
      });
      expect(halves.body.error.problems).toEqual([
        {
          line: 2,
          message:
            "quantity: must be a whole number: the part '10k 0603 RC0603FR-0710KL' is counted in pieces",
        },
      ]);
      const unmatched = await importBom(project.code, {
        csv: 'Ref,Qty,Value,Footprint\nQ1,1,BSS138,SOT-23\n',
        commit: true,
      });
      expect(unmatched.body.error.message).toMatch(
        /^csv: 1 line matches no part, nothing imported — line 2: /,
      );
      expect(unmatched.body.error.problems).toEqual([
        {
          line: 2,
          message:
            "no part matches (value 'BSS138', footprint 'SOT-23'): create it, or import with createParts (--create-parts)",
        },
      ]);
      const unnamed = await importBom(project.code, {
        csv: 'Ref,Qty,Description\nQ1,1,some transistor\n',
        createParts: true,
        commit: true,
      });
      expect(unnamed.body.error.problems[0].message).toMatch(
        /a new part needs an MPN, or a value and a footprint/,
      );

      expect(await rowCounts(api.database.db)).toEqual(before);
      expect(await bomRows(api.database.db, project.code)).toEqual(rows);
    });

    it('viewers may preview, not import', async () => {
      const project = await newProject();
      const csv = fixture('kicad-fields-table.csv');
      const url = `/api/v1/projects/${project.code}/bom/import`;
      const preview = await api.call('POST', url, { csv }, 'viewer');
      expect(preview.status).toBe(200);
      expect(preview.body.summary.matched).toBe(10);
      const before = await rowCounts(api.database.db);
      const commit = await api.call('POST', url, { csv, commit: true }, 'viewer');
      expect(commit.status).toBe(403);
      expect(commit.body.error.code).toBe('forbidden');
      expect((await api.call('POST', url, { csv, commit: true }, null)).status).toBe(401);
      expect(await rowCounts(api.database.db)).toEqual(before);
    });

    it('imports 5,000 lines that each need a new part in one transaction', async () => {
      const project = await newProject();
      const lines = ['Reference,Qty,Value,Footprint,MPN,Manufacturer'];
      for (let i = 1; i <= 5_000; i++)
        lines.push(`"R${i}",1,${i}R,R_0402_1005Metric,BULK-${i}-X,Bulk Ltd`);
      const before = await rowCounts(api.database.db);
      const res = await importBom(project.code, {
        csv: lines.join('\n'),
        createParts: true,
        commit: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.summary).toEqual({
        lines: 5_000,
        matched: 0,
        unmatched: 5_000,
        newParts: 5_000,
        problems: 0,
      });
      const after = await rowCounts(api.database.db);
      expect(after.part - before.part).toBe(5_000);
      expect(after.bom_entry - before.bom_entry).toBe(5_000);
      const rows = await bomRows(api.database.db, project.code);
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.at(-1)).toMatchObject({ designators: 'R5000', quantity: 1_000_000 });
      // Imported again: every line now matches its part by MPN.
      const again = await importBom(project.code, { csv: lines.join('\n') });
      expect(again.body.summary).toMatchObject({ matched: 5_000, newParts: 0 });
    });

    it('answers the size and line limits clearly', async () => {
      const project = await newProject();
      const line = `R1,1,${'x'.repeat(995)}\n`;
      const big = `Reference,Qty,Comments\n${line.repeat(2_200)}`;
      const tooBig = await importBom(project.code, { csv: big });
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.error.message).toMatch(/bytes; at most 2,097,152 \(2 MB\) per import/);
      const lines = ['Reference,Qty'];
      for (let i = 1; i <= 5_001; i++) lines.push(`R${i},1`);
      const tooLong = await importBom(project.code, { csv: lines.join('\n') });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toBe(
        'csv: the file has 5,001 BOM lines; at most 5,000 per import',
      );
      const huge = await importBom(project.code, { csv: 'x'.repeat(9 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      const missing = await importBom('00000000000000000000000000', { csv: 'Ref,Qty\nR1,1\n' });
      expect(missing.status).toBe(404);
    });
  });
}
