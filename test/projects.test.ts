import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidFromCode } from '../src/domain/code.js';
import { apiKeyCodes, createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { bomRows } from './support/projects.js';
import { rowCounts } from './support/row-counts.js';
import { historyRows } from './support/history.js';

const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;
/** A word no other test uses, so searches see only what this test made. */
const token = () => `t${randomBytes(5).toString('hex')}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: projects API`, () => {
    let api: TestApi;
    let keyCode: Record<string, string>;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      keyCode = await apiKeyCodes(api);
    });
    afterAll(() => api.close());

    const post = async (url: string, body: unknown) => {
      const res = await api.call('POST', url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const makePart = (body: Record<string, unknown> = {}) =>
      post('/api/v1/parts', { name: `Part ${token()}`, ...body });
    const makeProject = (body: Record<string, unknown> = {}) =>
      post('/api/v1/projects', { name: `Project ${token()}`, ...body });

    it('creates a project with a new sub-assembly part named after it, both with history', async () => {
      const body = {
        name: 'Sensor node rev B',
        description: 'LoRa sensor board',
        notes: 'second spin: fixed the LDO footprint',
        tags: ['pcba', 'lora'],
        customFields: { revision: 'B' },
      };
      const res = await api.call('POST', '/api/v1/projects', body, 'editor');
      expect(res.status).toBe(201);
      const project = res.body;
      expect(project).toEqual({
        code: expect.stringMatching(CODE_RE),
        shortCode: project.code.slice(0, 8),
        name: 'Sensor node rev B',
        description: 'LoRa sensor board',
        notes: 'second spin: fixed the LDO footprint',
        part: {
          code: expect.stringMatching(CODE_RE),
          shortCode: project.part.code.slice(0, 8),
          name: 'Sensor node rev B',
          mpn: '',
          unit: 'pcs',
          kind: 'sub_assembly',
        },
        archived: false,
        tags: ['lora', 'pcba'],
        customFields: { revision: 'B' },
        bomEntries: 0,
        requireTestsPassed: false,
        bomRevision: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: project.createdAt,
      });
      expect(project.part.code).not.toBe(project.code);
      const part = await api.call('GET', `/api/v1/parts/${project.part.code}`);
      expect(part.body).toMatchObject({ kind: 'sub_assembly', name: 'Sensor node rev B' });
      expect(await historyRows(api.database.db, project.code)).toEqual([
        {
          type: 'created',
          data: { name: 'Sensor node rev B', part: project.part.code },
          actorCode: keyCode.editor,
          actorName: 'key:test-editor',
          at: project.createdAt,
        },
      ]);
      expect((await historyRows(api.database.db, project.part.code)).map((h) => h.data)).toEqual([
        { name: 'Sensor node rev B', project: project.code },
      ]);
      for (const ref of [project.code.toUpperCase(), uuidFromCode(project.code)]) {
        const got = await api.call(
          'GET',
          `/api/v1/projects/${encodeURIComponent(ref)}`,
          undefined,
          'viewer',
        );
        expect(got.status).toBe(200);
        expect(got.body).toEqual(project);
      }
      const resolved = await api.call('GET', `/api/v1/resolve?q=${project.shortCode}`);
      expect(resolved.body).toMatchObject({
        kind: 'project',
        code: project.code,
        name: 'Sensor node rev B',
      });
    });

    it('uses an existing part when one is named, and refuses an unknown one changing nothing', async () => {
      const part = await makePart({ kind: 'component', name: 'Kit box' });
      const project = await makeProject({ part: part.code.toUpperCase() });
      expect(project.part).toMatchObject({ code: part.code, name: 'Kit box', kind: 'component' });
      const before = await rowCounts(api.database.db);
      const unknown = await api.call('POST', '/api/v1/projects', {
        name: 'x',
        part: '00000000000000000000000000',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'not_found', field: 'part' });
      const malformed = await api.call('POST', '/api/v1/projects', { name: 'x', part: 'abc' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.field).toBe('part');
      for (const [body, field] of [
        [{}, 'name'],
        [{ name: '  ' }, 'name'],
        [{ name: 'x', tags: ['  '] }, 'tags.0'],
        [{ name: 'x', colour: 'red' }, 'body'],
      ] as const) {
        const res = await api.call('POST', '/api/v1/projects', body);
        expect({ body, status: res.status, field: res.body.error?.field }).toEqual({
          body,
          status: 400,
          field,
        });
      }
      expect(await rowCounts(api.database.db)).toEqual(before);
      expect((await api.call('GET', '/api/v1/projects/00000000000000000000000000')).status).toBe(
        404,
      );
      expect((await api.call('POST', '/api/v1/projects', { name: 'x' }, 'viewer')).status).toBe(
        403,
      );
    });

    it('lists and searches by name, description, tag, custom field and code; pages; hides archived', async () => {
      const word = token();
      const a = await makeProject({ name: `Alpha ${word}` });
      const b = await makeProject({ description: `the ${word} board` });
      const c = await makeProject({ tags: [word] });
      const d = await makeProject({ customFields: { customer: `ACME ${word}` } });
      const list = async (query: string) => {
        const res = await api.call('GET', `/api/v1/projects?${query}`, undefined, 'viewer');
        expect(res.status).toBe(200);
        return res.body;
      };
      const found = await list(`q=${word.toUpperCase()}`);
      expect(found.total).toBe(4);
      expect(found.items.map((p: any) => p.code).sort()).toEqual(
        [a.code, b.code, c.code, d.code].sort(),
      );
      expect((await list(`q=${a.code.slice(0, 8)}`)).items.map((p: any) => p.code)).toEqual([
        a.code,
      ]);
      expect((await list(`tag=${word}`)).items.map((p: any) => p.code)).toEqual([c.code]);
      const page = await list(`q=${word}&limit=3&offset=3`);
      expect(page).toMatchObject({ total: 4, limit: 3, offset: 3 });
      expect(page.items).toHaveLength(1);
      await api.call('PATCH', `/api/v1/projects/${b.code}`, { archived: true });
      expect((await list(`q=${word}`)).total).toBe(3);
      expect((await list(`q=${word}&archived=true`)).items.map((p: any) => p.code)).toEqual([
        b.code,
      ]);
      expect((await list(`q=${word}&archived=any`)).total).toBe(4);
    });

    it('changes fields, tags and the part, recording what changed; archives and restores', async () => {
      const project = await makeProject({ name: 'Old name', tags: ['a'] });
      const other = await makePart({ kind: 'sub_assembly' });
      api.ctx.clock.advance(5);
      const res = await api.call('PATCH', `/api/v1/projects/${project.code}`, {
        name: 'New name',
        notes: 'n',
        tags: ['b'],
        part: other.code,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'New name',
        notes: 'n',
        tags: ['b'],
        part: { code: other.code },
      });
      expect(res.body.updatedAt > project.updatedAt).toBe(true);
      await api.call('PATCH', `/api/v1/projects/${project.code}`, { archived: true });
      await api.call('PATCH', `/api/v1/projects/${project.code}`, { archived: false });
      const history = await historyRows(api.database.db, project.code);
      expect(history.map((h) => [h.type, h.data])).toEqual([
        ['created', { name: 'Old name', part: project.part.code }],
        [
          'updated',
          {
            name: { from: 'Old name', to: 'New name' },
            notes: { from: '', to: 'n' },
            part: { from: project.part.code, to: other.code },
            tags: { from: ['a'], to: ['b'] },
          },
        ],
        ['archived', {}],
        ['restored', {}],
      ]);
      const unknown = await api.call('PATCH', `/api/v1/projects/${project.code}`, {
        part: '00000000000000000000000000',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.field).toBe('part');
    });
  });

  describe(`${dialect}: BOM entries`, () => {
    let api: TestApi;
    let resistor: any;
    let resistorAlt: any;
    let capacitor: any;
    let wire: any;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      const part = async (body: object) => (await api.call('POST', '/api/v1/parts', body)).body;
      resistor = await part({ name: '10k 0603', mpn: 'RC0603FR-0710KL' });
      resistorAlt = await part({ name: '10k 0603 alt', mpn: 'ERJ-3EKF1002V' });
      capacitor = await part({ name: '100n 0402', mpn: 'GRM155R71C104KA88D' });
      wire = await part({ name: 'Wire 0.5 mm²', unit: 'm' });
    });
    afterAll(() => api.close());

    const newProject = async () =>
      (await api.call('POST', '/api/v1/projects', { name: `BOM ${token()}` })).body;
    const put = (code: string, entries: unknown[], role: 'admin' | 'viewer' = 'admin') =>
      api.call('PUT', `/api/v1/projects/${code}/bom`, { entries }, role);
    const summary = (p: any) => ({
      code: p.code,
      shortCode: p.code.slice(0, 8),
      name: p.name,
      mpn: p.mpn,
      unit: p.unit,
    });

    it('replaces the whole BOM; stores positions, exact quantities, substitutes, attrition', async () => {
      const project = await newProject();
      const res = await put(project.code, [
        {
          part: resistor.code,
          quantity: 4,
          designators: ['R1', 'R2', 'R3', 'R4'],
          substitutes: [resistorAlt.code],
          attritionPercent: '2.5',
          attritionFixed: 3,
          comments: 'any 1 %',
        },
        { part: capacitor.code, quantity: '2', designators: 'C1, C2', stage: 2 },
        { part: wire.code, quantity: '0.35', allowSubstitutes: false },
        { part: capacitor.code, quantity: 0, designators: 'C9', dnp: true },
      ]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const expected = {
        project: { code: project.code, shortCode: project.shortCode, name: project.name },
        revision: 1,
        approval: null,
        stages: [
          { stage: 1, name: '', documentation: false, entries: 3 },
          { stage: 2, name: '', documentation: false, entries: 1 },
        ],
        entries: [
          {
            position: 1,
            part: summary(resistor),
            quantity: 4,
            designators: ['R1', 'R2', 'R3', 'R4'],
            substitutes: [summary(resistorAlt)],
            allowSubstitutes: true,
            dnp: false,
            stage: 1,
            comments: 'any 1 %',
            attritionPercent: 2.5,
            attritionFixed: 3,
          },
          {
            position: 2,
            part: summary(capacitor),
            quantity: 2,
            designators: ['C1', 'C2'],
            substitutes: [],
            allowSubstitutes: true,
            dnp: false,
            stage: 2,
            comments: '',
            attritionPercent: 0,
            attritionFixed: 0,
          },
          {
            position: 3,
            part: summary(wire),
            quantity: 0.35,
            designators: [],
            substitutes: [],
            allowSubstitutes: false,
            dnp: false,
            stage: 1,
            comments: '',
            attritionPercent: 0,
            attritionFixed: 0,
          },
          {
            position: 4,
            part: summary(capacitor),
            quantity: 0,
            designators: ['C9'],
            substitutes: [],
            allowSubstitutes: true,
            dnp: true,
            stage: 1,
            comments: '',
            attritionPercent: 0,
            attritionFixed: 0,
          },
        ],
      };
      expect(res.body).toEqual(expected);
      const got = await api.call(
        'GET',
        `/api/v1/projects/${project.code}/bom`,
        undefined,
        'viewer',
      );
      expect(got.body).toEqual(expected);
      // What builds read (docs/builds.md): positions 1..n, millionths, JSON substitutes, ppm.
      expect(await bomRows(api.database.db, project.code)).toEqual([
        {
          position: 1,
          part_code: resistor.code,
          quantity: 4_000_000,
          designators: 'R1, R2, R3, R4',
          substitutes: JSON.stringify([resistorAlt.code]),
          allow_substitutes: 1,
          dnp: 0,
          stage: 1,
          attrition_ppm: 25_000,
          attrition_fixed: 3_000_000,
          comments: 'any 1 %',
        },
        expect.objectContaining({ position: 2, quantity: 2_000_000, stage: 2 }),
        expect.objectContaining({ position: 3, quantity: 350_000, allow_substitutes: 0 }),
        expect.objectContaining({ position: 4, quantity: 0, dnp: 1, designators: 'C9' }),
      ]);
      expect((await api.call('GET', `/api/v1/projects/${project.code}`)).body.bomEntries).toBe(4);

      const history = await historyRows(api.database.db, project.code);
      expect(history.at(-1)).toMatchObject({
        type: 'updated',
        data: {
          bom: {
            entries: { from: 0, to: 4 },
            added: {
              count: 4,
              items: [
                { part: resistor.code, quantity: 4, designators: 'R1, R2, R3, R4' },
                { part: capacitor.code, quantity: 2, designators: 'C1, C2' },
                { part: wire.code, quantity: 0.35, designators: '' },
                { part: capacitor.code, quantity: 0, designators: 'C9' },
              ],
            },
            removed: { count: 0, items: [] },
            changed: { count: 0, items: [] },
          },
        },
      });

      // A second replace: one entry changed, one removed, one added; the same BOM again records nothing.
      const next = [
        { part: resistor.code, quantity: 5, designators: 'R1-R5', substitutes: [resistorAlt.code] },
        { part: capacitor.code, quantity: 2, designators: 'C1, C2', stage: 2 },
        { part: resistorAlt.code, quantity: 1, designators: 'R9' },
      ];
      expect((await put(project.code, next)).status).toBe(200);
      const after = await historyRows(api.database.db, project.code);
      expect(after.at(-1)!.data).toEqual({
        bom: {
          entries: { from: 4, to: 3 },
          added: { count: 1, items: [{ part: resistorAlt.code, quantity: 1, designators: 'R9' }] },
          removed: {
            count: 2,
            items: [
              { part: wire.code, quantity: 0.35, designators: '' },
              { part: capacitor.code, quantity: 0, designators: 'C9' },
            ],
          },
          changed: {
            count: 1,
            items: [
              {
                part: resistor.code,
                changes: {
                  quantity: { from: 4, to: 5 },
                  designators: { from: 'R1, R2, R3, R4', to: 'R1, R2, R3, R4, R5' },
                  attritionPercent: { from: 2.5, to: 0 },
                  attritionFixed: { from: 3, to: 0 },
                  comments: { from: 'any 1 %', to: '' },
                },
              },
            ],
          },
        },
      });
      expect((await put(project.code, next)).status).toBe(200);
      expect(await historyRows(api.database.db, project.code)).toHaveLength(after.length);
      expect((await put(project.code, [])).body.entries).toEqual([]);
      expect(await bomRows(api.database.db, project.code)).toEqual([]);
    });

    it('refuses bad entries naming the field, and changes nothing', async () => {
      const project = await newProject();
      const good = { part: resistor.code, quantity: 1, designators: ['R1'] };
      expect((await put(project.code, [good])).status).toBe(200);
      const before = await rowCounts(api.database.db);
      const rows = await bomRows(api.database.db, project.code);
      const unknown = '00000000000000000000000000';
      const cases: [unknown[], number, string, RegExp?][] = [
        [[good, { part: unknown, quantity: 1 }], 404, 'entries.1.part', /part '0{26}' not found/],
        [[{ ...good, substitutes: [unknown] }], 404, 'entries.0.substitutes.0'],
        [[{ ...good, substitutes: [resistor.code] }], 400, 'entries.0.substitutes.0', /itself/],
        [
          [{ ...good, substitutes: [resistorAlt.code, resistorAlt.code] }],
          400,
          'entries.0.substitutes.1',
          /twice/,
        ],
        [[{ ...good, substitutes: [wire.code] }], 400, 'entries.0.substitutes.0', /measured in m/],
        [
          [good, { part: capacitor.code, quantity: 2, designators: 'C1 r1' }],
          400,
          'entries.1.designators',
          /r1 is on entry 1 and entry 2/,
        ],
        [[{ ...good, designators: 'R1 R1' }], 400, 'entries.0.designators', /R1 appears twice/],
        [[{ ...good, quantity: 0 }], 400, 'entries.0.quantity', /greater than 0/],
        [[{ ...good, quantity: -1 }], 400, 'entries.0.quantity', /negative/],
        [[{ ...good, quantity: '1.5' }], 400, 'entries.0.quantity', /whole number/],
        [[{ ...good, quantity: 'lots' }], 400, 'entries.0.quantity', /must be a number/],
        [[{ ...good, attritionPercent: '100.5' }], 400, 'entries.0.attritionPercent', /100/],
        [
          [{ ...good, attritionPercent: '2.00001' }],
          400,
          'entries.0.attritionPercent',
          /4 decimal/,
        ],
        [[{ ...good, attritionFixed: -2 }], 400, 'entries.0.attritionFixed', /negative/],
        [[{ ...good, stage: 0 }], 400, 'entries.0.stage'],
        [[{ ...good, part: 'xyz!' }], 400, 'entries.0.part'],
        [[{ ...good, price: 3 }], 400, 'entries.0'],
      ];
      for (const [entries, status, field, message] of cases) {
        const res = await put(project.code, entries);
        expect({ entries, status: res.status, field: res.body.error?.field }).toEqual({
          entries,
          status,
          field,
        });
        if (message) expect(res.body.error.message).toMatch(message);
      }
      expect((await put(project.code, [good], 'viewer')).status).toBe(403);
      const missing = await api.call('PUT', `/api/v1/projects/${unknown}/bom`, { entries: [] });
      expect(missing.status).toBe(404);
      expect(await rowCounts(api.database.db)).toEqual(before);
      expect(await bomRows(api.database.db, project.code)).toEqual(rows);
    });

    it('adds, changes, moves and removes single entries; errors name the body fields', async () => {
      const project = await newProject();
      const url = `/api/v1/projects/${project.code}/bom/entries`;
      const designators = (bom: any) => bom.entries.map((e: any) => e.designators.join(','));
      const added = await api.call('POST', url, {
        part: resistor.code,
        quantity: 2,
        designators: 'R1,R2',
      });
      expect(added.status).toBe(201);
      await api.call('POST', url, { part: capacitor.code, quantity: 1, designators: 'C1' });
      const first = await api.call('POST', url, {
        part: resistorAlt.code,
        quantity: 1,
        designators: 'R3',
        position: 1,
      });
      expect(designators(first.body)).toEqual(['R3', 'R1,R2', 'C1']);
      expect(first.body.entries.map((e: any) => e.position)).toEqual([1, 2, 3]);

      const changed = await api.call('PATCH', `${url}/2`, { quantity: 3, designators: 'R1-R3' });
      expect(changed.status).toBe(400);
      expect(changed.body.error).toMatchObject({
        field: 'designators',
        message: expect.stringMatching(/R3 is on entry 1 and entry 2/),
      });
      const fixed = await api.call('PATCH', `${url}/2`, {
        quantity: 3,
        designators: 'R1,R2,R4',
        position: 3,
      });
      expect(fixed.status).toBe(200);
      expect(designators(fixed.body)).toEqual(['R3', 'C1', 'R1,R2,R4']);
      expect(fixed.body.entries[2]).toMatchObject({ quantity: 3, part: { code: resistor.code } });

      const bad = await api.call('POST', url, { part: wire.code, quantity: 0 });
      expect(bad.body.error).toMatchObject({ field: 'quantity' });
      expect((await api.call('PATCH', `${url}/9`, { quantity: 1 })).status).toBe(404);
      const removed = await api.call('DELETE', `${url}/1`);
      expect(removed.status).toBe(200);
      expect(designators(removed.body)).toEqual(['C1', 'R1,R2,R4']);
      expect((await bomRows(api.database.db, project.code)).map((r) => r.position)).toEqual([1, 2]);
      expect((await api.call('DELETE', `${url}/3`)).status).toBe(404);
    });

    it('two BOM replaces racing: one wins whole, positions stay 1..n', async () => {
      // Invariant: concurrent replaces of one BOM never interleave (the project row is locked).
      const project = await newProject();
      const a = Array.from({ length: 30 }, (_, i) => ({
        part: resistor.code,
        quantity: 1,
        designators: `RA${i}`,
      }));
      const b = Array.from({ length: 20 }, (_, i) => ({
        part: capacitor.code,
        quantity: 1,
        designators: `CB${i}`,
      }));
      const results = await Promise.all([
        put(project.code, a),
        put(project.code, b),
        put(project.code, a),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const rows = await bomRows(api.database.db, project.code);
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
      expect([30, 20]).toContain(rows.length);
      expect(new Set(rows.map((r) => r.part_code)).size).toBe(1);
    });
  });
}
