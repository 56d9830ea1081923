import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidFromCode } from '../src/domain/code.js';
import { useTestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;
const token = () => `t${randomBytes(5).toString('hex')}`;
const codesOf = (items: { code: string }[]) => items.map((i) => i.code);

for (const dialect of DIALECTS) {
  describe(`${dialect}: locations API`, () => {
    const suite = useTestApi(dialect);

    const create = (body: Record<string, unknown>, role: 'admin' | 'editor' = 'admin') =>
      suite.api.call('POST', '/api/v1/locations', body, role);
    const createOk = async (body: Record<string, unknown>) => {
      const res = await create(body);
      expect(res.status).toBe(201);
      return res.body;
    };
    const list = (query: string) => suite.api.call('GET', `/api/v1/locations?${query}`);

    it('creates a location and reads it back in any code form', async () => {
      const body = {
        name: `Shelf ${token()}`,
        description: 'Dry cabinet, top',
        tags: ['esd', 'dry'],
        customFields: { humidity: '<5%' },
      };
      const res = await create(body, 'editor');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        ...body,
        tags: ['dry', 'esd'],
        code: expect.stringMatching(CODE_RE),
        shortCode: res.body.code.slice(0, 8),
        archived: false,
        site: {
          id: (await suite.api.call('GET', '/api/v1/site')).body.id,
          name: 'local',
          local: true,
        },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: res.body.createdAt,
      });
      for (const ref of [res.body.code, res.body.code.toUpperCase(), uuidFromCode(res.body.code)]) {
        const got = await suite.api.call('GET', `/api/v1/locations/${ref}`, undefined, 'viewer');
        expect(got.status).toBe(200);
        expect(got.body).toEqual(res.body);
      }
      expect(await historyRows(suite.api.database.db, res.body.code)).toEqual([
        {
          type: 'created',
          data: { name: body.name },
          actorCode: suite.keyCode.editor,
          actorName: 'key:test-editor',
          at: res.body.createdAt,
        },
      ]);
      const missing = await suite.api.call('GET', '/api/v1/locations/00000000000000000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: 'not_found', field: 'code' });
      expect((await suite.api.call('GET', '/api/v1/locations/shelf')).status).toBe(400);
    });

    it('rejects bad input naming the field and stores nothing', async () => {
      const before = await rowCounts(suite.api.database.db);
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'name'],
        [{ name: '' }, 'name'],
        [{ name: ' \t ' }, 'name'],
        [{ name: 'n'.repeat(201) }, 'name'],
        [{ name: 'x', description: 'd'.repeat(10_001) }, 'description'],
        [{ name: 'x', tags: ['t'.repeat(65)] }, 'tags.0'],
        [{ name: 'x', customFields: { k: 'v'.repeat(1025) } }, 'customFields.k'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        expect({ status: res.status, field: res.body.error?.field }).toEqual({
          status: 400,
          field,
        });
      }
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
    });

    it('names are unique ignoring case (409 naming the field)', async () => {
      const name = `Rack ${token()}`;
      const first = await createOk({ name });
      const before = await rowCounts(suite.api.database.db);
      for (const again of [name, name.toUpperCase(), name.toLowerCase(), `  ${name}  `]) {
        const res = await create({ name: again });
        expect({ again, status: res.status }).toEqual({ again, status: 409 });
        expect(res.body.error).toMatchObject({ code: 'conflict', field: 'name' });
        expect(res.body.error.message).toContain(again.trim());
      }
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      // Renaming another location onto the name is refused too.
      const other = await createOk({ name: `Rack ${token()}` });
      const rename = await suite.api.call('PATCH', `/api/v1/locations/${other.code}`, {
        name: name.toUpperCase(),
      });
      expect(rename.status).toBe(409);
      expect(rename.body.error).toMatchObject({ code: 'conflict', field: 'name' });
      expect((await suite.api.call('GET', `/api/v1/locations/${other.code}`)).body.name).toBe(
        other.name,
      );
      // A location may change the case of its own name.
      const recase = await suite.api.call('PATCH', `/api/v1/locations/${first.code}`, {
        name: name.toUpperCase(),
      });
      expect(recase.status).toBe(200);
      expect(recase.body.name).toBe(name.toUpperCase());
    });

    it('names are unique ignoring case beyond ASCII (Étagère = étagère)', async () => {
      const t = token();
      expect((await create({ name: `Étagère ${t}` })).status).toBe(201);
      const same = await create({ name: `Étagère ${t}` });
      expect(same.status).toBe(409);
      expect(same.body.error).toMatchObject({ code: 'conflict', field: 'name' });
      const lower = await create({ name: `étagère ${t}` });
      expect(lower.status).toBe(409);
      expect(lower.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    });

    it('parallel creates of one name: exactly one 201, the others 409 naming the field', async () => {
      // Invariant: however the requests interleave, one location holds the name.
      const name = `Race ${token()}`;
      const spellings = [name, name.toUpperCase(), name.toLowerCase(), name, name, name];
      const results = await Promise.all(spellings.map((n) => create({ name: n })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body.error).toMatchObject({ code: 'conflict', field: 'name' });
      }
      const stored = await list(`q=${encodeURIComponent(name)}&archived=any`);
      expect(stored.body.total).toBe(1);
      const winner = results.find((r) => r.status === 201)!;
      expect(codesOf(stored.body.items)).toEqual([winner.body.code]);
      expect((await historyRows(suite.api.database.db, winner.body.code)).length).toBe(1);
    });

    it('parallel renames onto one name: exactly one wins', async () => {
      const name = `Renamed ${token()}`;
      const made = [];
      for (let i = 0; i < 4; i++) made.push(await createOk({ name: `Before ${token()}` }));
      const results = await Promise.all(
        made.map((l) => suite.api.call('PATCH', `/api/v1/locations/${l.code}`, { name })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body.error).toMatchObject({ code: 'conflict', field: 'name' });
      }
      expect((await list(`q=${encodeURIComponent(name)}`)).body.total).toBe(1);
    });

    it('updates fields, records the changes by actor, and a no-op records nothing', async () => {
      const loc = await createOk({ name: `Drawer ${token()}`, tags: ['a'] });
      suite.api.ctx.clock.advance(5);
      const res = await suite.api.call(
        'PATCH',
        `/api/v1/locations/${loc.code}`,
        {
          name: `${loc.name} B`,
          description: 'left',
          tags: ['a', 'b'],
          customFields: { row: '3' },
        },
        'editor',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        code: loc.code,
        name: `${loc.name} B`,
        description: 'left',
        tags: ['a', 'b'],
        customFields: { row: '3' },
        createdAt: loc.createdAt,
      });
      expect(res.body.updatedAt > loc.updatedAt).toBe(true);
      const same = await suite.api.call('PATCH', `/api/v1/locations/${loc.code}`, {
        name: `${loc.name} B`,
        tags: ['b', 'a'],
      });
      expect(same.body).toEqual(res.body);
      const history = await historyRows(suite.api.database.db, loc.code);
      expect(history.map((h) => [h.type, h.actorName, h.actorCode])).toEqual([
        ['created', 'key:test-admin', suite.keyCode.admin],
        ['updated', 'key:test-editor', suite.keyCode.editor],
      ]);
      expect(history[1]!.data).toEqual({
        name: { from: loc.name, to: `${loc.name} B` },
        description: { from: '', to: 'left' },
        tags: { from: ['a'], to: ['a', 'b'] },
        customFields: { from: {}, to: { row: '3' } },
      });
    });

    it('archives and restores; lists filter on archived', async () => {
      const t = token();
      const kept = await createOk({ name: `${t} kept` });
      const gone = await createOk({ name: `${t} gone` });
      expect(
        (await suite.api.call('PATCH', `/api/v1/locations/${gone.code}`, { archived: true })).body
          .archived,
      ).toBe(true);
      expect(codesOf((await list(`q=${t}`)).body.items)).toEqual([kept.code]);
      expect(codesOf((await list(`q=${t}&archived=true`)).body.items)).toEqual([gone.code]);
      expect((await list(`q=${t}&archived=any`)).body.total).toBe(2);
      // An archived location still holds its name.
      const reuse = await create({ name: `${t} GONE` });
      expect(reuse.status).toBe(409);
      await suite.api.call('PATCH', `/api/v1/locations/${gone.code}`, { archived: false });
      expect((await list(`q=${t}`)).body.total).toBe(2);
      expect((await historyRows(suite.api.database.db, gone.code)).map((h) => h.type)).toEqual([
        'created',
        'archived',
        'restored',
      ]);
    });

    it('pages through a sorted list with limit, offset and total', async () => {
      const t = token();
      const made = [];
      for (const n of ['e', 'a', 'd', 'c', 'b']) made.push(await createOk({ name: `${t} ${n}` }));
      const sorted = codesOf([...made].sort((x, y) => (x.name < y.name ? -1 : 1)));
      const pages = [];
      for (const offset of [0, 2, 4]) {
        const res = await list(`q=${t}&limit=2&offset=${offset}`);
        expect(res.body).toMatchObject({ total: 5, limit: 2, offset });
        pages.push(...codesOf(res.body.items));
      }
      expect(pages).toEqual(sorted);
      expect((await list('limit=0')).status).toBe(400);
      expect((await list('offset=-5')).body.error.field).toBe('offset');
    });

    it('searches name, description, tag and custom field value, ignoring case; tag filter is exact', async () => {
      const t = token();
      const byName = await createOk({ name: `Cabinet ${t}-NAME` });
      const byDescription = await createOk({ name: `C ${token()}`, description: `near ${t}-DESC` });
      const byTag = await createOk({ name: `C ${token()}`, tags: [`${t}-Tag`] });
      const byField = await createOk({
        name: `C ${token()}`,
        customFields: { room: `${t}-Lab 2` },
      });
      const cases: [string, string[]][] = [
        [`${t}-name`, [byName.code]],
        [`${t}-desc`, [byDescription.code]],
        [`${t}-TAG`, [byTag.code]],
        [`${t}-LAB 2`, [byField.code]],
        [t, [byName, byDescription, byTag, byField].map((l) => l.code)],
      ];
      for (const [q, expected] of cases) {
        const res = await list(`q=${encodeURIComponent(q)}`);
        expect({ q, codes: codesOf(res.body.items).sort() }).toEqual({
          q,
          codes: [...expected].sort(),
        });
      }
      expect(codesOf((await list(`tag=${t}-Tag`)).body.items)).toEqual([byTag.code]);
      expect((await list(`tag=${t}-tag`)).body.total).toBe(0);
    });

    it('searches ignoring case beyond ASCII', async () => {
      const t = token();
      const loc = await createOk({ name: `ÉTAGÈRE ${t}` });
      const res = await list(`q=${encodeURIComponent(`étagère ${t}`)}`);
      expect(codesOf(res.body.items)).toEqual([loc.code]);
    });
  });
}
