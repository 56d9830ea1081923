import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { newCode, uuidFromCode } from '../src/domain/code.js';
import { buildApp } from '../src/http/app.js';
import { useTestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;
/** A word no other test uses, so searches see only what this test made. */
const token = () => `t${randomBytes(5).toString('hex')}`;
const codesOf = (items: { code: string }[]) => items.map((i) => i.code);

for (const dialect of DIALECTS) {
  describe(`${dialect}: parts API`, () => {
    const suite = useTestApi(dialect);

    const createPart = async (
      body: Record<string, unknown>,
      role: 'admin' | 'editor' = 'admin',
    ) => {
      const res = await suite.api.call('POST', '/api/v1/parts', body, role);
      expect(res.status).toBe(201);
      return res.body;
    };
    const list = (query: string) => suite.api.call('GET', `/api/v1/parts?${query}`);

    it('creates a part with every field and reads it back in any code form', async () => {
      const body = {
        name: 'RC0603FR-0710KL',
        description: '10 kΩ 1% 0603',
        manufacturer: 'Yageo',
        mpn: 'RC0603FR-0710KL',
        kind: 'component',
        unit: 'pcs',
        tags: ['resistor', 'smd'],
        customFields: { package: '0603', tolerance: '1%' },
        gtin: '09506000134352',
        suppliers: [{ supplier: 'Digi-Key', sku: '311-10.0KHRCT-ND' }],
      };
      const res = await suite.api.call('POST', '/api/v1/parts', body, 'editor');
      expect(res.status).toBe(201);
      const part = res.body;
      expect(part).toEqual({
        ...body,
        code: expect.stringMatching(CODE_RE),
        shortCode: part.code.slice(0, 8),
        archived: false,
        onHand: 0,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: part.createdAt,
      });
      for (const ref of [
        part.code,
        part.code.toUpperCase(),
        uuidFromCode(part.code),
        part.code.replace(/(.{4})/g, '$1-'),
      ]) {
        const got = await suite.api.call(
          'GET',
          `/api/v1/parts/${encodeURIComponent(ref)}`,
          undefined,
          'viewer',
        );
        expect({ ref, status: got.status }).toEqual({ ref, status: 200 });
        expect(got.body).toEqual(part);
      }
      const history = await historyRows(suite.api.database.db, part.code);
      expect(history).toEqual([
        {
          type: 'created',
          data: { name: body.name },
          actorCode: suite.keyCode.editor,
          actorName: 'key:test-editor',
          at: part.createdAt,
        },
      ]);
    });

    it('a code is never reused: a duplicate insert fails and overwrites nothing', async () => {
      // An app whose random source repeats itself, on the same database and API keys.
      const code = newCode();
      const app = await buildApp({
        ctx: createContext(suite.api.database.db, { newCode: () => code }),
      });
      try {
        const post = (body: object) =>
          app.inject({
            method: 'POST',
            url: '/api/v1/parts',
            headers: { authorization: `Bearer ${suite.api.keys.admin}` },
            payload: body,
          });
        const first = await post({ name: 'First holder', tags: ['one'] });
        expect(first.statusCode).toBe(201);
        expect(first.json().code).toBe(code);
        const before = await rowCounts(suite.api.database.db);
        const second = await post({ name: 'Second holder', tags: ['two'] });
        expect(second.statusCode).toBe(409);
        expect(second.json().error.code).toBe('conflict');
        expect(await rowCounts(suite.api.database.db)).toEqual(before);
        const stored = await suite.api.call('GET', `/api/v1/parts/${code}`);
        expect(stored.body).toMatchObject({ name: 'First holder', tags: ['one'] });
        expect((await historyRows(suite.api.database.db, code)).length).toBe(1);
      } finally {
        await app.close();
      }
    });

    it('fills defaults and normalises tags', async () => {
      const part = await createPart({
        name: '  Spacer M3  ',
        tags: [' smd ', 'esd', 'smd', 'ESD'],
      });
      expect(part).toMatchObject({
        name: 'Spacer M3',
        description: '',
        manufacturer: '',
        mpn: '',
        kind: 'component',
        unit: 'pcs',
        archived: false,
        customFields: {},
        onHand: 0,
      });
      expect(part.tags).toEqual(['ESD', 'esd', 'smd']);
      const meta = await createPart({ name: 'Any 10k', kind: 'meta_part', unit: 'm' });
      expect(meta).toMatchObject({ kind: 'meta_part', unit: 'm' });
    });

    it('answers 404 for an unknown code and 400 for a malformed one', async () => {
      const unknown = await suite.api.call('GET', '/api/v1/parts/00000000000000000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'not_found', field: 'code' });
      expect(unknown.body.error.message).toContain('00000000000000000000000000');
      for (const ref of ['abc', 'zzzzzzzzzzzzzzzzzzzzzzzzzz', '0123abcd']) {
        const res = await suite.api.call('GET', `/api/v1/parts/${ref}`);
        expect({ ref, status: res.status, field: res.body.error?.field }).toEqual({
          ref,
          status: 400,
          field: 'code',
        });
      }
    });

    it('rejects bad input naming the field and stores nothing', async () => {
      const before = await rowCounts(suite.api.database.db);
      const cases: [Record<string, unknown>, string | RegExp][] = [
        [{}, 'name'],
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: 'x', unit: 'furlong' }, 'unit'],
        [{ name: 'x', kind: 'gadget' }, 'kind'],
        [{ name: 'x', mpn: 'm'.repeat(201) }, 'mpn'],
        [{ name: 'x', tags: 'resistor' }, 'tags'],
        [{ name: 'x', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
        [{ name: 'x', tags: ['ok', 't'.repeat(65)] }, 'tags.1'],
        [{ name: 'x', tags: ['  '] }, 'tags.0'],
        [{ name: 'x', customFields: { ['k'.repeat(257)]: 'v' } }, /^customFields/],
        [{ name: 'x', customFields: { k: 'v'.repeat(1025) } }, 'customFields.k'],
        [{ name: 'x', customFields: { k: 5 } }, 'customFields.k'],
        [{ name: 'x', customFields: { ' ': 'v' } }, 'customFields'],
        [
          {
            name: 'x',
            customFields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])),
          },
          'customFields',
        ],
      ];
      for (const [body, field] of cases) {
        const res = await suite.api.call('POST', '/api/v1/parts', body);
        expect({ body, status: res.status, field: res.body.error?.field }).toEqual({
          body,
          status: 400,
          field: typeof field === 'string' ? field : expect.stringMatching(field),
        });
        expect(res.body.error.message).toEqual(expect.any(String));
      }
      // A value of the wrong type is told apart from a missing one, in the body and the query.
      const messages = async (method: 'POST' | 'GET', url: string, body?: unknown) =>
        (await suite.api.call(method, url, body)).body.error?.message;
      expect(await messages('POST', '/api/v1/parts', {})).toBe('name: is required');
      expect(await messages('POST', '/api/v1/parts', { name: 42 })).toBe('name: must be text');
      expect(await messages('POST', '/api/v1/parts', { name: 'x', tags: 'a' })).toBe(
        'tags: must be a list',
      );
      expect(await messages('GET', '/api/v1/parts?limit=many')).toBe('limit: must be a number');
      const unknownField = await suite.api.call('POST', '/api/v1/parts', { name: 'x', price: 3 });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.message).toContain('price');
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
    });

    it('updates fields and records what changed, by whom', async () => {
      const part = await createPart({
        name: 'Cap 100n',
        tags: ['cap'],
        customFields: { voltage: '16V' },
      });
      suite.api.ctx.clock.advance(5);
      const res = await suite.api.call(
        'PATCH',
        `/api/v1/parts/${part.code.toUpperCase()}`,
        {
          name: 'Cap 100n X7R',
          description: 'MLCC',
          manufacturer: 'Murata',
          mpn: 'GRM188R71C104KA01D',
          kind: 'sub_assembly',
          tags: ['cap', 'mlcc'],
          customFields: { voltage: '16V', dielectric: 'X7R' },
        },
        'editor',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        code: part.code,
        name: 'Cap 100n X7R',
        description: 'MLCC',
        manufacturer: 'Murata',
        mpn: 'GRM188R71C104KA01D',
        kind: 'sub_assembly',
        unit: 'pcs',
        tags: ['cap', 'mlcc'],
        customFields: { dielectric: 'X7R', voltage: '16V' },
        createdAt: part.createdAt,
      });
      expect(res.body.updatedAt > part.updatedAt).toBe(true);
      expect((await suite.api.call('GET', `/api/v1/parts/${part.code}`)).body).toEqual(res.body);
      const history = await historyRows(suite.api.database.db, part.code);
      expect(history.map((h) => [h.type, h.actorName, h.actorCode])).toEqual([
        ['created', 'key:test-admin', suite.keyCode.admin],
        ['updated', 'key:test-editor', suite.keyCode.editor],
      ]);
      expect(history[1]!.at).toBe(res.body.updatedAt);
      expect(history[1]!.data).toEqual({
        name: { from: 'Cap 100n', to: 'Cap 100n X7R' },
        description: { from: '', to: 'MLCC' },
        manufacturer: { from: '', to: 'Murata' },
        mpn: { from: '', to: 'GRM188R71C104KA01D' },
        kind: { from: 'component', to: 'sub_assembly' },
        tags: { from: ['cap'], to: ['cap', 'mlcc'] },
        customFields: {
          from: { voltage: '16V' },
          to: { voltage: '16V', dielectric: 'X7R' },
        },
      });
    });

    it('an update that changes nothing records nothing', async () => {
      const part = await createPart({ name: 'Nut M3', tags: ['b', 'a'], customFields: { x: '1' } });
      suite.api.ctx.clock.advance(5);
      const res = await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, {
        name: 'Nut M3',
        tags: ['a', 'b', ' a '],
        customFields: { x: '1' },
        archived: false,
        unit: 'pcs',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(part);
      expect((await historyRows(suite.api.database.db, part.code)).map((h) => h.type)).toEqual([
        'created',
      ]);
    });

    it('rejects a bad update naming the field and changes nothing', async () => {
      const part = await createPart({ name: 'Washer M3' });
      const before = await rowCounts(suite.api.database.db);
      const cases: [Record<string, unknown>, string][] = [
        [{ name: '' }, 'name'],
        [{ unit: 'parsec' }, 'unit'],
        [{ archived: 'yes' }, 'archived'],
        [{ tags: ['x'.repeat(65)] }, 'tags.0'],
        [{ customFields: { k: 'v'.repeat(1025) } }, 'customFields.k'],
      ];
      for (const [body, field] of cases) {
        const res = await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, body);
        expect({ body, status: res.status, field: res.body.error?.field }).toEqual({
          body,
          status: 400,
          field,
        });
      }
      const missing = await suite.api.call('PATCH', '/api/v1/parts/00000000000000000000000000', {
        name: 'y',
      });
      expect(missing.status).toBe(404);
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      expect((await suite.api.call('GET', `/api/v1/parts/${part.code}`)).body).toEqual(part);
    });

    it('archives and restores; lists filter on archived', async () => {
      const t = token();
      const kept = await createPart({ name: `${t} kept` });
      const gone = await createPart({ name: `${t} gone` });
      const archived = await suite.api.call('PATCH', `/api/v1/parts/${gone.code}`, {
        archived: true,
      });
      expect(archived.status).toBe(200);
      expect(archived.body.archived).toBe(true);
      expect(codesOf((await list(`q=${t}`)).body.items)).toEqual([kept.code]);
      expect(codesOf((await list(`q=${t}&archived=false`)).body.items)).toEqual([kept.code]);
      expect(codesOf((await list(`q=${t}&archived=true`)).body.items)).toEqual([gone.code]);
      expect(codesOf((await list(`q=${t}&archived=any`)).body.items)).toEqual([
        gone.code,
        kept.code,
      ]);
      expect((await list(`q=${t}&archived=maybe`)).status).toBe(400);
      const restored = await suite.api.call('PATCH', `/api/v1/parts/${gone.code}`, {
        archived: false,
      });
      expect(restored.body.archived).toBe(false);
      expect((await list(`q=${t}`)).body.total).toBe(2);
      const history = await historyRows(suite.api.database.db, gone.code);
      expect(history.map((h) => [h.type, h.data, h.actorName])).toEqual([
        ['created', { name: `${t} gone` }, 'key:test-admin'],
        ['archived', {}, 'key:test-admin'],
        ['restored', {}, 'key:test-admin'],
      ]);
    });

    it('pages through a sorted list with limit, offset and total', async () => {
      const t = token();
      const names = ['f', 'c', 'a', 'g', 'e', 'b', 'd'].map((n) => `${t} ${n}`);
      const made = [];
      for (const name of names) made.push(await createPart({ name }));
      const sorted = [...made].sort((x, y) => (x.name < y.name ? -1 : 1));
      const seen: string[] = [];
      for (const offset of [0, 3, 6]) {
        const res = await list(`q=${t}&limit=3&offset=${offset}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 7, limit: 3, offset });
        expect(res.body.items).toHaveLength(offset === 6 ? 1 : 3);
        seen.push(...codesOf(res.body.items));
      }
      expect(seen).toEqual(codesOf(sorted));
      const all = await list(`q=${t}`);
      expect(all.body).toMatchObject({ total: 7, limit: 50, offset: 0 });
      expect(all.body.items).toEqual(sorted);
      const beyond = await list(`q=${t}&offset=7`);
      expect(beyond.body).toMatchObject({ items: [], total: 7 });
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=abc', 'limit'],
        ['offset=-1', 'offset'],
        ['limit=2.5', 'limit'],
      ]) {
        const res = await list(query!);
        expect({ query, status: res.status, field: res.body.error?.field }).toEqual({
          query,
          status: 400,
          field,
        });
      }
      expect((await list('limit=500')).status).toBe(200);
    });

    it('searches name, MPN, manufacturer, tag and custom field value, ignoring case', async () => {
      const t = token();
      const byName = await createPart({ name: `Relay ${t}-NAME` });
      const byMpn = await createPart({ name: 'Relay', mpn: `G5V-${t}-MPN` });
      const byMaker = await createPart({ name: 'Relay', manufacturer: `Omron ${t}-MAKER` });
      const byTag = await createPart({ name: 'Relay', tags: [`${t}-tag`] });
      const byField = await createPart({ name: 'Relay', customFields: { coil: `${t}-Field 5V` } });
      const byKeyOnly = await createPart({ name: 'Relay', customFields: { [`${t}-key`]: 'x' } });
      const cases: [string, string[]][] = [
        [`${t}-name`, [byName.code]],
        [`${t}-NAME`, [byName.code]],
        [`${t}-mpn`, [byMpn.code]],
        [`${t}-maker`, [byMaker.code]],
        [`${t}-TAG`, [byTag.code]],
        [`${t}-field 5v`, [byField.code]],
        [`${t}-key`, []],
        [t.toUpperCase(), [byName, byMpn, byMaker, byTag, byField].map((p) => p.code)],
      ];
      for (const [q, expected] of cases) {
        const res = await list(`q=${encodeURIComponent(q)}&limit=500`);
        expect({ q, codes: codesOf(res.body.items).sort() }).toEqual({
          q,
          codes: [...expected].sort(),
        });
        expect(res.body.total).toBe(expected.length);
      }
      expect(byKeyOnly.customFields).toEqual({ [`${t}-key`]: 'x' });
    });

    it('takes % and _ in a search literally', async () => {
      const t = token();
      const percent = await createPart({ name: `${t} 100% cotton` });
      const underscore = await createPart({ name: `${t} snake_case` });
      await createPart({ name: `${t} 100 cotton` });
      await createPart({ name: `${t} snakeXcase` });
      expect(codesOf((await list(`q=${encodeURIComponent(`${t} 100%`)}`)).body.items)).toEqual([
        percent.code,
      ]);
      expect(codesOf((await list(`q=${encodeURIComponent('e_c')}&limit=500`)).body.items)).toEqual([
        underscore.code,
      ]);
      expect((await list(`q=${encodeURIComponent(`${t}%cotton`)}`)).body.total).toBe(0);
    });

    it('filters by tag exactly', async () => {
      const t = token();
      const tagged = await createPart({ name: 'Tagged', tags: [t, 'other'] });
      await createPart({ name: 'Tagged like it', tags: [`${t}x`, t.toUpperCase()] });
      const res = await list(`tag=${t}`);
      expect(codesOf(res.body.items)).toEqual([tagged.code]);
      expect(res.body.total).toBe(1);
      expect((await list(`tag=${t}&q=tagged`)).body.total).toBe(1);
      expect((await list(`tag=${t}&q=nothing-like-this`)).body.total).toBe(0);
    });

    it('searches ignoring case beyond ASCII (Résistance, ÉTAGÈRE)', async () => {
      const t = token();
      const part = await createPart({ name: `Résistance ${t}`, tags: [`Étagère-${t}`] });
      for (const q of [`RÉSISTANCE ${t}`, `résistance ${t}`, `étagère-${t}`]) {
        const res = await list(`q=${encodeURIComponent(q)}`);
        expect({ q, codes: codesOf(res.body.items) }).toEqual({ q, codes: [part.code] });
      }
    });

    it('refuses to change the unit of a part that has lots', async () => {
      const part = await createPart({ name: 'Cable 2-core' });
      const location = await suite.api.call('POST', '/api/v1/locations', {
        name: `Drum ${token()}`,
      });
      const received = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [{ part: part.code, location: location.body.code, quantity: 4 }],
      });
      expect(received.status).toBe(201);
      const before = await rowCounts(suite.api.database.db);
      const res = await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, {
        unit: 'm',
        name: 'C2',
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', field: 'unit' });
      expect(res.body.error.message).toMatch(/unit/);
      const stored = (await suite.api.call('GET', `/api/v1/parts/${part.code}`)).body;
      expect(stored).toMatchObject({ unit: 'pcs', name: 'Cable 2-core', onHand: 4 });
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      // Naming the unit it has already is no change.
      const same = await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, { unit: 'pcs' });
      expect(same.status).toBe(200);
      // Emptying the lot does not make the unit free: the lot and its ledger stay in pieces.
      const removed = await suite.api.call('POST', '/api/v1/stock/remove', {
        lot: received.body.lots[0].code,
        quantity: 4,
      });
      expect(removed.status).toBe(200);
      expect(
        (await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, { unit: 'm' })).status,
      ).toBe(409);
    });

    it('changes the unit of a part without lots and records it', async () => {
      const part = await createPart({ name: 'Wire red' });
      const res = await suite.api.call('PATCH', `/api/v1/parts/${part.code}`, { unit: 'm' });
      expect(res.status).toBe(200);
      expect(res.body.unit).toBe('m');
      const history = await historyRows(suite.api.database.db, part.code);
      expect(history.at(-1)).toMatchObject({
        type: 'updated',
        data: { unit: { from: 'pcs', to: 'm' } },
      });
    });

    it('onHand counts on-hand stock across lots and locations, not other statuses', async () => {
      const part = await createPart({ name: 'Fuse 1A' });
      const a = await suite.api.call('POST', '/api/v1/locations', { name: `Bin ${token()}` });
      const b = await suite.api.call('POST', '/api/v1/locations', { name: `Bin ${token()}` });
      const received = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [
          { part: part.code, location: a.body.code, quantity: 5 },
          { part: part.code, location: b.body.code, quantity: 7 },
          { part: part.code, location: b.body.code, quantity: 3, status: 'held' },
        ],
      });
      expect(received.status).toBe(201);
      expect((await suite.api.call('GET', `/api/v1/parts/${part.code}`)).body.onHand).toBe(12);
      const listed = await list(`q=${encodeURIComponent('Fuse 1A')}`);
      expect(listed.body.items.find((p: { code: string }) => p.code === part.code).onHand).toBe(12);
    });
  });
}
