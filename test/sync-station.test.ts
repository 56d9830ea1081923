import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreIn, type FileStore } from '../src/attachments/file-store.js';
import { verifyLog } from '../src/audit/audit.service.js';
import { exportBundle, importBundle, vectorFor } from '../src/sync/sync-file.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { makeProject } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';

/**
 * The offline station (docs/sites.md): a laptop site gets stock from the main site through a
 * file bundle, builds while disconnected, and its build, stages and tests reach the main site
 * with their original times, actors and site.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: an offline station (the laptop on the other database)`, () => {
    let main: TestApi;
    let laptop: TestApi;
    let dir: string;
    const stores = new Map<TestApi, FileStore>();
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-station-'));
      main = await createTestApi(dialect);
      laptop = await createTestApi(dialect === 'sqlite' ? 'postgres' : 'sqlite');
      stores.set(main, fileStoreIn(path.join(dir, 'main')));
      stores.set(laptop, fileStoreIn(path.join(dir, 'laptop')));
      await main.call('PATCH', '/api/v1/site', { name: 'Main' });
      await laptop.call('PATCH', '/api/v1/site', { name: 'Laptop' });
    });
    afterAll(async () => {
      await main.close();
      await laptop.close();
      rmSync(dir, { recursive: true, force: true });
    });

    let bundles = 0;
    /** Carries a bundle file from one site to the other, as on a USB stick. */
    async function carry(from: TestApi, to: TestApi, toName: string) {
      const file = path.join(dir, `${++bundles}.tlsync`);
      const since = await vectorFor(from.ctx, toName).catch(() => ({}));
      await exportBundle(from.ctx, stores.get(from)!, file, since);
      return importBundle(to.ctx, stores.get(to)!, file);
    }

    it('builds at the laptop while disconnected and syncs the build back', async () => {
      const bench = await laptop.call('POST', '/api/v1/locations', { name: 'Laptop bench' });
      expect(bench.status).toBe(201);
      await carry(laptop, main, 'Laptop');

      const store = await main.call('POST', '/api/v1/locations', { name: 'Main stores' });
      const project = await makeProject(main.ctx, [{ perUnit: 2 }], 'Field unit');
      const received = await main.call('POST', '/api/v1/stock/receive', {
        items: [{ part: project.parts[0], location: store.body.code, quantity: 10 }],
      });
      expect(received.status, JSON.stringify(received.body)).toBe(201);
      const lot = received.body.lots[0].code as string;
      // To the laptop's bench: it leaves the main site in transit.
      const sent = await main.call('POST', '/api/v1/stock/move', {
        lot,
        to: bench.body.code,
        quantity: 6,
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect((await carry(main, laptop, 'Main')).conflicts).toBe(0);

      // At the laptop, offline: receive the stock, build, complete, test.
      const arrived = await laptop.call('POST', '/api/v1/stock/status', {
        lot,
        location: bench.body.code,
        status: 'in_transit',
        to: 'on_hand',
      });
      expect(arrived.status, JSON.stringify(arrived.body)).toBe(200);
      const build = await laptop.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 3,
        location: bench.body.code,
      });
      expect(build.status, JSON.stringify(build.body)).toBe(201);
      const done = await laptop.call(
        'POST',
        `/api/v1/builds/${build.body.code}/stages/1/complete`,
        {},
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      const units = (await laptop.call('GET', `/api/v1/builds/${build.body.code}/units`)).body;
      const unit = (units.items ?? units)[0].code as string;
      const tested = await laptop.call('POST', `/api/v1/units/${unit}/tests`, {
        name: 'Burn-in',
        result: 'pass',
      });
      expect(tested.status, JSON.stringify(tested.body)).toBe(201);

      const back = await carry(laptop, main, 'Laptop');
      expect(back.records.applied).toBeGreaterThanOrEqual(4);

      // The main site sees the build, its units, the consumption from the lot and the test,
      // each with the laptop's time, actor and site.
      const seen = await main.call('GET', `/api/v1/builds/${build.body.code}`);
      expect(seen.status).toBe(200);
      const tests = await main.call('GET', `/api/v1/units/${unit}/tests`);
      expect(JSON.stringify(tests.body)).toContain('Burn-in');
      const balances = await main.call('GET', `/api/v1/lots/${lot}`);
      expect(balances.status).toBe(200);
      const fromLaptop = await main.ctx.db
        .selectFrom('change_record as c')
        .innerJoin('site as s', 's.id', 'c.site_id')
        .select(['c.operation', 'c.actor_name'])
        .where('s.name', '=', 'Laptop')
        .execute();
      expect(fromLaptop.map((r) => r.operation)).toEqual(
        expect.arrayContaining(['build_started', 'stage_completed', 'test_recorded']),
      );
      const built = fromLaptop.filter((r) =>
        ['build_started', 'stage_completed', 'test_recorded'].includes(r.operation),
      );
      expect(new Set(built.map((r) => r.actor_name))).toEqual(new Set(['key:test-admin']));
      for (const api of [main, laptop]) expect((await verifyLog(api.ctx)).problems).toEqual([]);
    });
  });
}
