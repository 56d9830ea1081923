import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import type { Context } from '../src/context.js';
import { makeProject } from './support/build-factories.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';

/** Lists of units (a build's, a status lookup's) carry each unit's tests at a glance. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: test status in unit lists`, () => {
    let api: TestApi;
    let ctx: Context;
    let line: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      line = (await makeLocation(ctx, { name: `Status line ${dialect}` })).code;
    });
    afterAll(() => api.close());

    async function buildOf(units: number, templates: object[]) {
      const project = await makeProject(ctx, []);
      for (const t of templates) {
        const made = await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, t);
        expect(made.status).toBe(201);
      }
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: units,
        location: line,
      });
      const list = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      return { build, units: list.body.items.map((u: { code: string }) => u.code) as string[] };
    }
    const record = async (unit: string, body: object) => {
      const res = await api.call('POST', `/api/v1/units/${unit}/tests`, body);
      expect(res.status).toBe(201);
    };

    it('pass, fail and missing per unit from the latest standing results', async () => {
      const { build, units } = await buildOf(5, [
        { key: 'ict', name: 'In-circuit test' },
        { key: 'rail', name: 'Rail', valueType: 'number', unit: 'V', min: '3.2', max: '3.4' },
        { key: 'look', name: 'Looks', required: false },
      ]);
      const [passed, failed, half, none, mended] = units as [
        string,
        string,
        string,
        string,
        string,
      ];
      await record(passed, { key: 'ict', result: 'pass' });
      await record(passed, { key: 'rail', value: '3.3' });
      await record(failed, { key: 'ict', result: 'pass' });
      await record(failed, { key: 'rail', value: '9' });
      await record(half, { key: 'ict', result: 'pass' });
      // An optional test that failed last fails the unit; a later pass of it mends it.
      await record(mended, { key: 'ict', result: 'pass' });
      await record(mended, { key: 'rail', value: '3.3' });
      await record(mended, { key: 'look', result: 'fail' });
      api.ctx.clock.advance(1000);
      await record(mended, { key: 'look', result: 'pass' });

      const list = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      expect(list.body.items.map((u: { tests: string | null }) => u.tests)).toEqual([
        'pass',
        'fail',
        'missing',
        'missing',
        'pass',
      ]);
      const lookup = await api.call('POST', '/api/v1/units/status', {
        codes: [none, failed, passed],
      });
      expect(lookup.status).toBe(200);
      expect(lookup.body.units.map((u: { code: string; tests: string | null }) => u.tests)).toEqual(
        ['missing', 'fail', 'pass'],
      );
      const one = await api.call('GET', `/api/v1/units/${half}`);
      expect(one.body.tests).toBe('missing');
    });

    it('null for units whose part has no enabled tests', async () => {
      const { build, units } = await buildOf(2, []);
      const list = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      expect(list.body.items.map((u: { tests: string | null }) => u.tests)).toEqual([null, null]);
      const lookup = await api.call('POST', '/api/v1/units/status', { codes: units });
      expect(lookup.body.units.map((u: { tests: string | null }) => u.tests)).toEqual([null, null]);
    });
  });
}
