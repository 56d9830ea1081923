import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: the demo company`, () => {
    let api: TestApi;
    let demo: any;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    it('is for admins only', async () => {
      const before = await rowCounts(api.database.db);
      expect((await api.call('POST', '/api/v1/demo', undefined, 'editor')).status).toBe(403);
      expect(await rowCounts(api.database.db)).toEqual(before);
    });

    it('fills an empty instance: BOMs with their parts, reels, builds, tests, shipment, repair', async () => {
      const res = await api.call('POST', '/api/v1/demo');
      expect(res.status).toBe(201);
      demo = res.body;
      expect(demo.parts).toBe(18);
      expect(demo.lots).toBe(18);

      const bom = (await api.call('GET', `/api/v1/projects/${demo.projects.sensorNode}/bom`)).body;
      const entry = (ref: string) => bom.entries.find((e: any) => e.designators.includes(ref));
      const pm1 = entry('PM1');
      expect(pm1.part.code).not.toBe('');
      expect(pm1.stage).toBe(3);
      expect(bom.stages.map((s: any) => [s.stage, s.name, s.documentation])).toEqual([
        [1, 'SMT', false],
        [2, 'Hand solder', false],
        [3, 'Final assembly', false],
        [4, 'Final inspection', true],
      ]);
      expect(entry('R4').dnp).toBe(true);

      const builds = await Promise.all(
        [demo.builds.powerModules, demo.builds.finished, demo.builds.inProgress].map(
          async (code: string) => (await api.call('GET', `/api/v1/builds/${code}`)).body,
        ),
      );
      expect(builds.map((b) => b.status)).toEqual(['finished', 'finished', 'in_progress']);

      const moduleTests = (
        await api.call('GET', `/api/v1/builds/${demo.builds.powerModules}/tests`)
      ).body;
      expect(moduleTests.tests.map((t: any) => [t.template.key, t.pass, t.fail])).toEqual([
        ['vout', 5, 1],
      ]);

      const shipment = (await api.call('GET', `/api/v1/shipments/${demo.shipment}`)).body;
      expect(shipment.customer).toBe('Acme Instruments');
      expect(shipment.units).toHaveLength(2);

      const returned = (await api.call('GET', `/api/v1/units/${demo.returnedUnit}`)).body;
      expect(returned.state).toBe('available');
      const events = (await api.call('GET', `/api/v1/units/${demo.returnedUnit}/events`)).body;
      expect(JSON.stringify(events)).toContain('BME280');

      // Reels carry their supplier data; their lots are what the finished build consumed.
      const trace = (await api.call('GET', `/api/v1/trace/${demo.returnedUnit}`)).body;
      const text = JSON.stringify(trace);
      for (const supplierData of ['GH2480Q9', '2448', 'PO-2026-0298', 'TI-4CKL1952'])
        expect(text).toContain(supplierData);
    });

    it('leaves a consistent record: ledger, installations and the change log verify', async () => {
      const verify = (await api.call('GET', '/api/v1/audit/verify')).body;
      expect(verify.ok).toBe(true);
      expect(verify.records).toBeGreaterThan(30);
    });

    it('never mixes with real records: a second load is refused and changes nothing', async () => {
      const before = await rowCounts(api.database.db);
      const again = await api.call('POST', '/api/v1/demo');
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/empty instance only; this one has 18 part/);
      expect(await rowCounts(api.database.db)).toEqual(before);
    });
  });
}
