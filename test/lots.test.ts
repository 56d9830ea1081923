import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { uuidFromCode } from '../src/domain/code.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { useTestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

const token = () => `t${randomBytes(5).toString('hex')}`;
const codesOf = (items: { code: string }[]) => items.map((i) => i.code);
const sorted = (codes: string[]) => [...codes].sort();

for (const dialect of DIALECTS) {
  describe(`${dialect}: lots API`, () => {
    const suite = useTestApi(dialect);

    async function part(body: Record<string, unknown> = {}) {
      const res = await suite.api.call('POST', '/api/v1/parts', {
        name: `Part ${token()}`,
        ...body,
      });
      expect(res.status).toBe(201);
      return res.body;
    }
    async function location() {
      const res = await suite.api.call('POST', '/api/v1/locations', { name: `Shelf ${token()}` });
      expect(res.status).toBe(201);
      return res.body;
    }
    async function receive(items: Record<string, unknown>[], role: 'admin' | 'editor' = 'admin') {
      const res = await suite.api.call('POST', '/api/v1/stock/receive', { items }, role);
      expect(res.status).toBe(201);
      return res.body.lots.map((l: { code: string }) => l.code) as string[];
    }
    const list = (query: string) => suite.api.call('GET', `/api/v1/lots?${query}`);
    const listCodes = async (query: string) => {
      const res = await list(query);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(res.body.total).toBe(res.body.items.length);
      return sorted(codesOf(res.body.items));
    };

    it('gets a lot with its part, balances and total', async () => {
      const p = await part({ mpn: 'MPN-1', unit: 'm' });
      const a = await location();
      const [code] = await receive([
        {
          part: p.code,
          location: a.code,
          quantity: '12.5',
          lot: { name: 'REEL-1', vendorLot: 'V1', expiry: '2030-01-31', tags: ['x'] },
        },
      ]);
      const b = await location();
      expect(
        (
          await suite.api.call('POST', '/api/v1/stock/move', {
            lot: code,
            to: b.code,
            quantity: 2.5,
          })
        ).status,
      ).toBe(200);
      for (const ref of [code!, code!.toUpperCase(), uuidFromCode(code!)]) {
        const res = await suite.api.call('GET', `/api/v1/lots/${ref}`, undefined, 'viewer');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          code,
          shortCode: code!.slice(0, 8),
          name: 'REEL-1',
          vendorLot: 'V1',
          expiry: '2030-01-31',
          parentCode: null,
          part: { code: p.code, name: p.name, mpn: 'MPN-1', unit: 'm' },
          tags: ['x'],
          customFields: {},
          quantity: 12.5,
        });
        expect(
          sorted(res.body.balances.map((x: any) => `${x.location.code}:${x.quantity}`)),
        ).toEqual(sorted([`${a.code}:10`, `${b.code}:2.5`]));
      }
      expect((await suite.api.call('GET', '/api/v1/lots/00000000000000000000000000')).status).toBe(
        404,
      );
      expect((await suite.api.call('GET', '/api/v1/lots/lot-1')).body.error.field).toBe('code');
    });

    it('lists newest first, then by code, with paging and total', async () => {
      const p = await part();
      const loc = await location();
      const times = [
        '2031-01-01T10:00:00.000Z',
        '2031-03-01T10:00:00.000Z',
        '2031-02-01T10:00:00.000Z',
      ];
      const made: { code: string; at: string }[] = [];
      for (const at of times) {
        const ctx = createContext(suite.api.database.db, { clock: () => new Date(at) });
        // Two lots per receive share the time: the code orders them.
        const result = await receiveStock(ctx, admin, [
          { part: p.code, location: loc.code, quantity: 1 },
          { part: p.code, location: loc.code, quantity: 2 },
        ]);
        for (const lot of result.lots) made.push({ code: lot.code, at });
      }
      const expected = [...made]
        .sort((x, y) => (x.at !== y.at ? (x.at > y.at ? -1 : 1) : x.code < y.code ? -1 : 1))
        .map((m) => m.code);
      const all = await list(`part=${p.code}`);
      expect(codesOf(all.body.items)).toEqual(expected);
      expect(all.body).toMatchObject({ total: 6, limit: 50, offset: 0 });
      expect(all.body.items[0].createdAt).toBe('2031-03-01T10:00:00.000Z');
      const paged: string[] = [];
      for (const offset of [0, 4]) {
        const res = await list(`part=${p.code}&limit=4&offset=${offset}`);
        expect(res.body).toMatchObject({ total: 6, limit: 4, offset });
        paged.push(...codesOf(res.body.items));
      }
      expect(paged).toEqual(expected);
      expect((await list('limit=501')).body.error.field).toBe('limit');
    });

    describe('filters', () => {
      const t = token();
      let partA: any;
      let partB: any;
      let x: any;
      let y: any;
      let lot1: string;
      let lot2: string;
      let lot3: string;
      let emptied: string;
      beforeAll(async () => {
        partA = await part();
        partB = await part();
        x = await location();
        y = await location();
        [lot1, lot2, lot3, emptied] = (await receive([
          {
            part: partA.code,
            location: x.code,
            quantity: 5,
            lot: { name: `L-Alpha-${t}`, tags: [`msl3-${t}`] },
          },
          {
            part: partA.code,
            location: y.code,
            quantity: 2,
            lot: { vendorLot: `VEND-${t}`, customFields: { reel: `Reel-${t}-7` } },
          },
          {
            part: partB.code,
            location: x.code,
            quantity: 1,
            lot: { dateCode: `DC-${t}`, orderRef: `PO-${t}` },
          },
          { part: partA.code, location: x.code, quantity: 3 },
        ])) as [string, string, string, string];
        const removed = await suite.api.call('POST', '/api/v1/stock/remove', {
          lot: emptied,
          quantity: 3,
        });
        expect(removed.status).toBe(200);
      });

      it('by part, in any code form', async () => {
        const a = sorted([lot1, lot2, emptied]);
        expect(await listCodes(`part=${partA.code}`)).toEqual(a);
        expect(await listCodes(`part=${partA.code.toUpperCase()}`)).toEqual(a);
        expect(await listCodes(`part=${uuidFromCode(partA.code)}`)).toEqual(a);
        expect(await listCodes(`part=${partB.code}`)).toEqual([lot3]);
        expect(await listCodes('part=00000000000000000000000000')).toEqual([]);
        const bad = await list('part=nope');
        expect(bad.status).toBe(400);
        expect(bad.body.error.field).toBe('part');
      });

      it('by location: lots with stock lying there', async () => {
        expect(await listCodes(`location=${x.code}`)).toEqual(sorted([lot1, lot3]));
        expect(await listCodes(`location=${y.code}`)).toEqual([lot2]);
        expect(await listCodes(`location=${x.code}&part=${partA.code}`)).toEqual([lot1]);
        const bad = await list('location=abc');
        expect(bad.status).toBe(400);
        expect(bad.body.error.field).toBe('location');
      });

      it('by q: name, vendor lot, date code, order, tag and custom field value, any case', async () => {
        const cases: [string, string[]][] = [
          [`l-alpha-${t}`, [lot1]],
          [`MSL3-${t}`, [lot1]],
          [`vend-${t}`, [lot2]],
          [`REEL-${t}-7`, [lot2]],
          [`dc-${t}`, [lot3]],
          [`po-${t}`, [lot3]],
          [t.toUpperCase(), [lot1, lot2, lot3]],
          [`${t}-nothing`, []],
        ];
        for (const [q, expected] of cases) {
          expect({ q, codes: await listCodes(`q=${encodeURIComponent(q)}`) }).toEqual({
            q,
            codes: sorted(expected),
          });
        }
      });

      it('by tag, exactly', async () => {
        expect(await listCodes(`tag=msl3-${t}`)).toEqual([lot1]);
        expect(await listCodes(`tag=MSL3-${t}`)).toEqual([]);
        expect(await listCodes(`tag=msl3`)).not.toContain(lot1);
      });

      it('by inStock', async () => {
        expect(await listCodes(`part=${partA.code}&inStock=true`)).toEqual(sorted([lot1, lot2]));
        expect(await listCodes(`part=${partA.code}&inStock=false`)).toEqual([emptied]);
        expect(await listCodes(`part=${partA.code}&inStock=any`)).toEqual(
          sorted([lot1, lot2, emptied]),
        );
        expect((await list('inStock=yes')).status).toBe(400);
        const empty = (await suite.api.call('GET', `/api/v1/lots/${emptied}`)).body;
        expect(empty).toMatchObject({ quantity: 0, balances: [] });
      });
    });

    it('updates fields and records the changes with the actor', async () => {
      const p = await part();
      const loc = await location();
      const [code] = await receive([{ part: p.code, location: loc.code, quantity: 4 }]);
      const before = (await suite.api.call('GET', `/api/v1/lots/${code}`)).body;
      suite.api.ctx.clock.advance(5);
      const patch = {
        name: 'LOT-7',
        description: 'first reel',
        comments: 'checked',
        expiry: '2029-06-30',
        vendorLot: 'VL-9',
        dateCode: '2419',
        orderRef: 'PO-123',
        tags: ['msl3', 'esd'],
        customFields: { supplier: 'Acme', reel: '3' },
      };
      const res = await suite.api.call('PATCH', `/api/v1/lots/${code}`, patch, 'editor');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ...patch,
        tags: ['esd', 'msl3'],
        code,
        quantity: 4,
        createdAt: before.createdAt,
      });
      expect(res.body.updatedAt > before.updatedAt).toBe(true);
      expect((await suite.api.call('GET', `/api/v1/lots/${code}`)).body).toEqual(res.body);

      const history = (await suite.api.call('GET', `/api/v1/lots/${code}/history`)).body.items;
      expect(history.map((h: any) => [h.source, h.type, h.actor])).toEqual([
        ['stock', 'received', { code: suite.keyCode.admin, name: 'key:test-admin' }],
        ['event', 'updated', { code: suite.keyCode.editor, name: 'key:test-editor' }],
      ]);
      const data = history[1].data;
      expect(data).toMatchObject({
        name: { from: '', to: 'LOT-7' },
        description: { from: '', to: 'first reel' },
        comments: { from: '', to: 'checked' },
        expiry: { from: null, to: '2029-06-30' },
        tags: { from: [], to: ['msl3', 'esd'] },
        customFields: { from: {}, to: { supplier: 'Acme', reel: '3' } },
      });
      expect(Object.keys(data)).toHaveLength(9);
      expect(history[1].at).toBe(res.body.updatedAt);

      // The same values again: no change, no event.
      const again = await suite.api.call('PATCH', `/api/v1/lots/${code}`, patch);
      expect(again.body).toEqual(res.body);
      expect((await historyRows(suite.api.database.db, code!)).length).toBe(1);
    });

    it('history names changed fields as the API does (vendorLot, dateCode, orderRef)', async () => {
      const p = await part();
      const loc = await location();
      const [code] = await receive([{ part: p.code, location: loc.code, quantity: 1 }]);
      await suite.api.call('PATCH', `/api/v1/lots/${code}`, {
        vendorLot: 'VL-1',
        dateCode: '2401',
        orderRef: 'PO-1',
      });
      const [event] = await historyRows(suite.api.database.db, code!);
      expect(event!.data).toEqual({
        vendorLot: { from: '', to: 'VL-1' },
        dateCode: { from: '', to: '2401' },
        orderRef: { from: '', to: 'PO-1' },
      });
    });

    it('validates expiry as a calendar date YYYY-MM-DD; null clears it', async () => {
      const p = await part();
      const loc = await location();
      const [code] = await receive([{ part: p.code, location: loc.code, quantity: 1 }]);
      for (const expiry of ['2028-02-29', '2027-12-31', '2000-02-29']) {
        const res = await suite.api.call('PATCH', `/api/v1/lots/${code}`, { expiry });
        expect({ expiry, status: res.status, stored: res.body.expiry }).toEqual({
          expiry,
          status: 200,
          stored: expiry,
        });
      }
      const stateBefore = await rowCounts(suite.api.database.db);
      for (const expiry of [
        '2027-02-29',
        '1900-02-29',
        '2027-02-30',
        '2027-04-31',
        '2027-13-01',
        '2027-00-10',
        '2027-01-00',
        '2027-1-1',
        '27-01-01',
        '2027/01/01',
        '01.02.2027',
        'tomorrow',
        '',
        '2027-01-01T00:00',
        ' 2027-01-01',
        5,
      ]) {
        const res = await suite.api.call('PATCH', `/api/v1/lots/${code}`, { expiry });
        expect({ expiry, status: res.status, field: res.body.error?.field }).toEqual({
          expiry,
          status: 400,
          field: 'expiry',
        });
      }
      expect(await rowCounts(suite.api.database.db)).toEqual(stateBefore);
      expect((await suite.api.call('GET', `/api/v1/lots/${code}`)).body.expiry).toBe('2000-02-29');
      const cleared = await suite.api.call('PATCH', `/api/v1/lots/${code}`, { expiry: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.expiry).toBeNull();
      const events = await historyRows(suite.api.database.db, code!);
      expect(events.map((e) => e.data.expiry)).toEqual([
        { from: null, to: '2028-02-29' },
        { from: '2028-02-29', to: '2027-12-31' },
        { from: '2027-12-31', to: '2000-02-29' },
        { from: '2000-02-29', to: null },
      ]);
      // At receipt the field is named with its item.
      const before = await rowCounts(suite.api.database.db);
      const bad = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [
          { part: p.code, location: loc.code, quantity: 1, lot: { expiry: '2027-06-15' } },
          { part: p.code, location: loc.code, quantity: 1, lot: { expiry: '2027-06-31' } },
        ],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('items.1.lot.expiry');
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
    });

    it('custom fields: key ≤ 256 and value ≤ 1024 characters, exactly at the limit accepted', async () => {
      const p = await part();
      const loc = await location();
      const [code] = await receive([{ part: p.code, location: loc.code, quantity: 1 }]);
      const key256 = 'k'.repeat(256);
      const value1024 = 'v'.repeat(1024);
      const accepted = await suite.api.call('PATCH', `/api/v1/lots/${code}`, {
        customFields: { [key256]: 'x', short: value1024, accents: 'é'.repeat(1024) },
        tags: ['t'.repeat(64)],
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body.customFields).toEqual({
        [key256]: 'x',
        short: value1024,
        accents: 'é'.repeat(1024),
      });
      expect(accepted.body.tags).toEqual(['t'.repeat(64)]);
      const stored = (await suite.api.call('GET', `/api/v1/lots/${code}`)).body;
      expect(stored.customFields[key256]).toBe('x');
      expect(stored.customFields.short).toHaveLength(1024);

      const before = await rowCounts(suite.api.database.db);
      const cases: [Record<string, unknown>, RegExp, RegExp][] = [
        [{ customFields: { ['k'.repeat(257)]: 'x' } }, /^customFields/, /256/],
        [{ customFields: { short: 'v'.repeat(1025) } }, /^customFields\.short$/, /1024/],
        [{ customFields: { accents: 'é'.repeat(1025) } }, /^customFields\.accents$/, /1024/],
        [
          {
            customFields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, ''])),
          },
          /^customFields$/,
          /100/,
        ],
        [{ tags: ['t'.repeat(65)] }, /^tags\.0$/, /64/],
        [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, /^tags$/, /50/],
      ];
      for (const [body, field, reason] of cases) {
        const res = await suite.api.call('PATCH', `/api/v1/lots/${code}`, body);
        expect({ status: res.status, field: res.body.error?.field }).toEqual({
          status: 400,
          field: expect.stringMatching(field),
        });
        expect(res.body.error.message).toMatch(reason);
      }
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      expect((await suite.api.call('GET', `/api/v1/lots/${code}`)).body).toEqual(stored);

      // 100 fields are fine; keys are trimmed (the limit applies to the trimmed key).
      const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, `${i}`]));
      const many = await suite.api.call('PATCH', `/api/v1/lots/${code}`, { customFields: hundred });
      expect(many.status).toBe(200);
      expect(Object.keys(many.body.customFields)).toHaveLength(100);
      const padded = await suite.api.call('PATCH', `/api/v1/lots/${code}`, {
        customFields: { [`  ${key256}  `]: 'y' },
      });
      expect(padded.status).toBe(200);
      expect(padded.body.customFields).toEqual({ [key256]: 'y' });
    });

    it('custom field and tag limits at receipt name the item', async () => {
      const p = await part();
      const loc = await location();
      const before = await rowCounts(suite.api.database.db);
      const ok = { part: p.code, location: loc.code, quantity: 1 };
      const longKey = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [ok, { ...ok, lot: { customFields: { ['k'.repeat(257)]: 'x' } } }],
      });
      expect(longKey.status).toBe(400);
      expect(longKey.body.error.field).toMatch(/^items\.1\.lot\.customFields/);
      const longValue = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [ok, { ...ok, lot: { customFields: { k: 'v'.repeat(1025) } } }],
      });
      expect(longValue.status).toBe(400);
      expect(longValue.body.error.field).toBe('items.1.lot.customFields.k');
      const blankTag = await suite.api.call('POST', '/api/v1/stock/receive', {
        items: [ok, { ...ok, lot: { tags: ['ok', '   '] } }],
      });
      expect(blankTag.status).toBe(400);
      expect(blankTag.body.error.field).toBe('items.1.lot.tags.1');
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
    });

    it('rejects unknown fields and stock fields in a lot update', async () => {
      const p = await part();
      const loc = await location();
      const [code] = await receive([{ part: p.code, location: loc.code, quantity: 2 }]);
      const before = await rowCounts(suite.api.database.db);
      for (const body of [
        { quantity: 5 },
        { part: p.code },
        { parentCode: code },
        { color: 'red' },
      ]) {
        const res = await suite.api.call('PATCH', `/api/v1/lots/${code}`, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.error.message).toContain(Object.keys(body)[0]);
      }
      expect(await rowCounts(suite.api.database.db)).toEqual(before);
      expect((await suite.api.call('GET', `/api/v1/lots/${code}`)).body.quantity).toBe(2);
    });

    it('history of an unknown lot is 404, of a malformed code 400', async () => {
      const missing = await suite.api.call(
        'GET',
        '/api/v1/lots/00000000000000000000000000/history',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      const bad = await suite.api.call('GET', '/api/v1/lots/xyz/history');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('code');
      const patchMissing = await suite.api.call(
        'PATCH',
        '/api/v1/lots/00000000000000000000000000',
        {
          name: 'x',
        },
      );
      expect(patchMissing.status).toBe(404);
    });
  });
}
