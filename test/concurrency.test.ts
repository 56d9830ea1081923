import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.js';
import { createContext } from '../src/context.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLot, testContext } from './support/factories.js';
import { makeUnits } from './support/unit-factories.js';

// Several stateless servers on one PostgreSQL database: stock is protected by the database,
// not by any one process. (SQLite is served by one process; its own race test is in api.test.ts.)
for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`${dialect}: two servers on one database`, () => {
    let database: TestDatabase;
    let second: DatabaseHandle;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      second = openDatabase({ url: database.url, schema: database.schema });
    });
    afterAll(async () => {
      await second.close();
      await database.close();
    });

    it('30 parallel removals of 1 from a lot of 10 through two servers: exactly 10 succeed', async () => {
      // Invariant: stock never goes negative and balances equal the ledger, whatever the interleaving.
      const ctxA = testContext(database.db);
      const ctxB = createContext(second.db);
      const [appA, appB] = await Promise.all([buildApp({ ctx: ctxA }), buildApp({ ctx: ctxB })]);
      const { key } = await createApiKey(ctxA, admin, { name: 'race', role: 'editor' });
      const { lot } = await makeLot(ctxA, { quantity: 10 });
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? appA : appB).inject({
            method: 'POST',
            url: '/api/v1/stock/remove',
            headers: { authorization: `Bearer ${key}` },
            payload: { lot: lot.code, quantity: 1 },
          }),
        ),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(20);
      const stored = await appB.inject({
        method: 'GET',
        url: `/api/v1/lots/${lot.code}`,
        headers: { authorization: `Bearer ${key}` },
      });
      expect(stored.json().quantity).toBe(0);
      const check = await appA.inject({
        method: 'GET',
        url: '/api/v1/stock/check',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(check.json()).toMatchObject({ ok: true, mismatches: [] });
      await Promise.all([appA.close(), appB.close()]);
    });

    it('a recall hold racing shipments of its units through two servers: each unit ends shipped or held, never both', async () => {
      // Invariant: a unit ships only with its stock on hand; held stock never leaves, shipped
      // stock is never held; balances equal the ledger.
      const ctxA = testContext(database.db);
      const ctxB = createContext(second.db);
      const [appA, appB] = await Promise.all([buildApp({ ctx: ctxA }), buildApp({ ctx: ctxB })]);
      const { key } = await createApiKey(ctxA, admin, { name: 'hold-race', role: 'editor' });
      const { units } = await makeUnits(ctxA, 6);
      const call = (app: typeof appA, method: 'GET' | 'POST', url: string, payload?: object) =>
        app.inject({
          method,
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${key}` },
          ...(payload ? { payload } : {}),
        });
      const reel = (await call(appA, 'GET', `/trace/${units[0]!.code}`)).json().root.children[0]
        .code as string;
      const [hold, ...shipments] = await Promise.all([
        call(appA, 'POST', `/recall/${reel}/hold`, { note: 'RMA race' }),
        ...units.map((u, i) =>
          call(i % 2 ? appA : appB, 'POST', '/shipments', {
            customer: 'A',
            reference: `R${i}`,
            units: [u.code],
          }),
        ),
      ]);
      expect(hold.statusCode).toBe(200);
      const refused = shipments.filter((s) => s.statusCode === 409).length;
      expect(shipments.filter((s) => s.statusCode === 201).length + refused).toBe(units.length);
      expect(hold.json().balances).toBe(refused);
      for (const [i, unit] of units.entries()) {
        const status = (await call(appB, 'GET', `/units/${unit.code}`)).json().state;
        const lot = (await call(appB, 'GET', `/lots/${unit.code}`)).json();
        if (shipments[i]!.statusCode === 201) {
          expect([status, lot.balances]).toEqual(['shipped', []]);
        } else {
          expect(status).toBe('held');
          expect(lot.balances.map((b: { status: string }) => b.status)).toEqual(['held']);
        }
      }
      const check = await call(appA, 'GET', '/stock/check');
      expect(check.json()).toMatchObject({ ok: true, mismatches: [] });
      await Promise.all([appA.close(), appB.close()]);
    });
  });
}

if (!DIALECTS.includes('postgres')) {
  describe('two servers on one database', () => {
    it.skip('needs PostgreSQL (set TRACELOT_TEST_PG_URL)', () => undefined);
  });
}
