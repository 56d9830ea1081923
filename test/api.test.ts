import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/databases.js';
import { createTestApi, type TestApi } from './support/api.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: HTTP API`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    async function setup(quantity = 10) {
      const part = await api.call('POST', '/api/v1/parts', {
        name: 'RC0603 10k',
        mpn: 'RC0603FR-0710KL',
        tags: ['resistor'],
      });
      expect(part.status).toBe(201);
      const location = await api.call('POST', '/api/v1/locations', {
        name: `Shelf ${Math.random()}`,
      });
      expect(location.status).toBe(201);
      const received = await api.call('POST', '/api/v1/stock/receive', {
        items: [{ part: part.body.code, location: location.body.code, quantity }],
      });
      expect(received.status).toBe(201);
      return { part: part.body, location: location.body, lot: received.body.lots[0] };
    }

    it('answers health without credentials', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', version: expect.any(String), database: 'ok' });
    });

    it('creates, receives, resolves', async () => {
      const { part, lot } = await setup(7);
      expect(part.code).toMatch(/^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/);
      const got = await api.call('GET', `/api/v1/lots/${lot.code}`);
      expect(got.body.quantity).toBe(7);
      const resolved = await api.call(
        'GET',
        `/api/v1/resolve?q=${lot.code.slice(0, 8).toUpperCase()}`,
      );
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ kind: 'lot', code: lot.code, matchedBy: 'prefix' });
      const list = await api.call('GET', '/api/v1/parts?q=0710kl');
      expect(list.body.items.map((p: { code: string }) => p.code)).toContain(part.code);
      // A label scanned into a search box finds its object by code or short code.
      const byCode = await api.call(
        'GET',
        `/api/v1/parts?q=${part.code.slice(0, 8).toUpperCase()}`,
      );
      expect(byCode.body.items.map((p: { code: string }) => p.code)).toEqual([part.code]);
      const lotsByCode = await api.call('GET', `/api/v1/lots?q=${lot.code}`);
      expect(lotsByCode.body.items.map((l: { code: string }) => l.code)).toEqual([lot.code]);
    });

    it('two parallel removals of the last 5 units: exactly one wins', async () => {
      const { lot } = await setup(5);
      const [a, b] = await Promise.all([
        api.call('POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 5 }),
        api.call('POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 5 }),
      ]);
      expect([a!.status, b!.status].sort()).toEqual([200, 409]);
      const loser = a!.status === 409 ? a! : b!;
      expect(loser.body.error).toMatchObject({ code: 'insufficient_stock', field: 'quantity' });
      const stored = await api.call('GET', `/api/v1/lots/${lot.code}`);
      expect(stored.body.quantity).toBe(0);
      expect((await api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);
    });

    it('rejects bad input with 4xx naming the field, changing nothing', async () => {
      const { lot } = await setup(5);
      const cases: [string, string, unknown, number, string][] = [
        ['GET', '/api/v1/resolve?q=abc', undefined, 400, 'q'],
        ['GET', '/api/v1/resolve?q=zzzz', undefined, 400, 'q'],
        ['GET', '/api/v1/lots/not-a-code', undefined, 400, 'code'],
        ['GET', '/api/v1/lots/00000000000000000000000000', undefined, 404, 'code'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code, quantity: -1 }, 400, 'quantity'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 0 }, 400, 'quantity'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 'x' }, 400, 'quantity'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 1.5 }, 400, 'quantity'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code, quantity: 6 }, 409, 'quantity'],
        ['POST', '/api/v1/stock/remove', { lot: lot.code }, 400, 'quantity'],
        [
          'PATCH',
          `/api/v1/lots/${lot.code}`,
          { customFields: { ['k'.repeat(300)]: 'v' } },
          400,
          'customFields',
        ],
        [
          'PATCH',
          `/api/v1/lots/${lot.code}`,
          { customFields: { k: 'v'.repeat(2000) } },
          400,
          'customFields.k',
        ],
        ['PATCH', `/api/v1/lots/${lot.code}`, { expiry: '2027-02-30' }, 400, 'expiry'],
        ['POST', '/api/v1/parts', { name: '' }, 400, 'name'],
        ['POST', '/api/v1/parts', { name: 'x', unit: 'furlong' }, 400, 'unit'],
      ];
      for (const [method, url, body, status, field] of cases) {
        const res = await api.call(method, url, body);
        expect({ url, body, status: res.status, field: res.body.error?.field }).toEqual({
          url,
          body,
          status,
          field: expect.stringContaining(field),
        });
        expect(res.body.error.message).toEqual(expect.any(String));
      }
      const stored = await api.call('GET', `/api/v1/lots/${lot.code}/history`);
      expect(stored.body.items).toHaveLength(1);
    });

    it('rejects malformed and oversized bodies', async () => {
      const malformed = await api.app.inject({
        method: 'POST',
        url: '/api/v1/parts',
        headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': 'application/json' },
        payload: '{"name": ',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.field).toBe('body');
      const huge = await api.app.inject({
        method: 'POST',
        url: '/api/v1/parts',
        headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x', description: 'y'.repeat(9 * 1024 * 1024) }),
      });
      expect(huge.statusCode).toBe(413);
    });

    it('authenticates and enforces roles', async () => {
      expect((await api.call('GET', '/api/v1/parts', undefined, null)).status).toBe(401);
      const wrong = await api.app.inject({
        method: 'GET',
        url: '/api/v1/parts',
        headers: { authorization: 'Bearer tl_wrong' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.field).toBe('authorization');
      expect((await api.call('GET', '/api/v1/parts', undefined, 'viewer')).status).toBe(200);
      const denied = await api.call('POST', '/api/v1/parts', { name: 'viewer part' }, 'viewer');
      expect(denied.status).toBe(403);
      expect((await api.call('GET', '/api/v1/parts?q=viewer%20part')).body.total).toBe(0);
      expect(
        (await api.call('POST', '/api/v1/parts', { name: 'editor part' }, 'editor')).status,
      ).toBe(201);
      expect((await api.call('GET', '/api/v1/users', undefined, 'editor')).status).toBe(403);
    });
  });
}
