import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import type { Context } from '../src/context.js';
import { fastBatchRow } from '../src/test-results/batch-row.js';
import { requiredTestsFailing } from '../src/test-results/test-gate.service.js';
import { BatchRow } from '../src/test-results/test-result.schemas.js';
import { makeProject } from './support/build-factories.js';
import { historyRows } from './support/history.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';
import { rowCount } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: test templates and results`, () => {
    let api: TestApi;
    let ctx: Context;
    let line: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      line = (await makeLocation(ctx, { name: `Test line ${dialect}` })).code;
    });
    afterAll(() => api.close());

    /** A project, its part with an ICT (pass/fail) and a 3V3 rail test (3.2 … 3.4 V), N units. */
    async function setup(units = 3) {
      const project = await makeProject(ctx, []);
      const ict = await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, {
        key: 'ict',
        name: 'In-circuit test',
      });
      const rail = await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, {
        key: 'Rail_3V3',
        name: '3V3 rail',
        valueType: 'number',
        unit: 'V',
        min: '3.2',
        max: 3.4,
      });
      expect(ict.status).toBe(201);
      expect(rail.status).toBe(201);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: units,
        location: line,
      });
      const list = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      const codes: string[] = list.body.items.map((u: { code: string }) => u.code);
      return { project, build, units: codes, ict: ict.body, rail: rail.body };
    }

    const csv = (text: string, query = '') =>
      api.app
        .inject({
          method: 'POST',
          url: `/api/v1/test-results/batch${query}`,
          headers: { authorization: `Bearer ${api.keys.editor}`, 'content-type': 'text/csv' },
          payload: text,
        })
        .then((res) => ({ status: res.statusCode, body: JSON.parse(res.body) }));

    it('defines templates: key normalised and unique per part, limits exact, ordered', async () => {
      const { project, ict, rail } = await setup(1);
      expect(ict).toMatchObject({
        key: 'ict',
        valueType: 'pass_fail',
        required: true,
        position: 1,
      });
      expect(rail).toMatchObject({
        key: 'rail_3v3',
        min: '3.2',
        max: '3.4',
        unit: 'V',
        position: 2,
      });
      const list = await api.call('GET', `/api/v1/parts/${project.part}/test-templates`);
      expect(list.body.items.map((t: { key: string }) => t.key)).toEqual(['ict', 'rail_3v3']);
      const resolved = await api.call('GET', `/api/v1/resolve?q=${ict.code}`);
      expect(resolved.body).toMatchObject({ kind: 'test_template', code: ict.code });

      const dup = await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, {
        key: 'ICT',
        name: 'again',
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'key' });
    });

    it('refuses bad templates naming the field, and changes nothing', async () => {
      const { project } = await setup(1);
      const url = `/api/v1/parts/${project.part}/test-templates`;
      const cases: [unknown, string][] = [
        [{ key: 'has space', name: 'x' }, 'key'],
        [{ key: 'k1' }, 'name'],
        [{ key: 'k2', name: 'x', valueType: 'number', min: '5', max: '4' }, 'max'],
        [{ key: 'k3', name: 'x', valueType: 'number', min: 'abc' }, 'min'],
        [{ key: 'k4', name: 'x', min: 1 }, 'min'],
        [{ key: 'k5', name: 'x', valueType: 'voltage' }, 'valueType'],
        [{ key: 'k6', name: 'x', extra: 1 }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await api.call('POST', url, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
      const missing = await api.call('POST', `/api/v1/parts/${'0'.repeat(26)}/test-templates`, {
        key: 'x',
        name: 'x',
      });
      expect(missing.status).toBe(404);
      const list = await api.call('GET', url);
      expect(list.body.items).toHaveLength(2);
      const viewer = await api.call('POST', url, { key: 'v', name: 'v' }, 'viewer');
      expect(viewer.status).toBe(403);
    });

    it('edits a template: limits change the verdicts of later results; the key stays', async () => {
      const { rail, units } = await setup(1);
      const url = `/api/v1/test-templates/${rail.code}`;
      const edited = await api.call('PATCH', url, { min: '3.0', name: '3V3 supply' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        key: 'rail_3v3',
        name: '3V3 supply',
        min: '3',
        max: '3.4',
      });
      const judged = await api.call('POST', `/api/v1/units/${units[0]}/tests`, {
        key: 'rail_3v3',
        value: '3.1',
      });
      expect(judged.body.result).toBe('pass');
      for (const [body, field] of [
        [{ min: '3.5' }, 'max'],
        [{ key: 'other' }, 'body'],
        [{ position: 0 }, 'position'],
      ] as const) {
        const res = await api.call('PATCH', url, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
      // The type is a correction (issue 11): refused once a result uses the test.
      const used = await api.call('PATCH', url, { valueType: 'pass_fail', reason: 'typo' });
      expect(used.status).toBe(409);
      expect(used.body.error.message).toMatch(/has 1 result/);
      const { rail: unused } = await setup(1);
      const retyped = await api.call('PATCH', `/api/v1/test-templates/${unused.code}`, {
        valueType: 'pass_fail',
        reason: 'judged by eye',
      });
      expect(retyped.body).toMatchObject({
        valueType: 'pass_fail',
        min: null,
        max: null,
        unit: '',
      });
      const events = (await historyRows(ctx.db, rail.code)).filter((e) => e.type === 'updated');
      expect(events[0]!.data).toMatchObject({
        min: { from: '3.2', to: '3' },
        name: { from: '3V3 rail', to: '3V3 supply' },
      });
    });

    it('two requests racing to define the same key: exactly one wins', async () => {
      const { project } = await setup(1);
      const url = `/api/v1/parts/${project.part}/test-templates`;
      const results = await Promise.all(
        Array.from({ length: 6 }, () => api.call('POST', url, { key: 'fct', name: 'Functional' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const list = await api.call('GET', url);
      expect(list.body.items.filter((t: { key: string }) => t.key === 'fct')).toHaveLength(1);
    });

    it('records results: number verdicts from the limits, exact at the boundary, latest decides', async () => {
      const { units } = await setup(1);
      const unit = units[0]!;
      const url = `/api/v1/units/${unit}/tests`;
      const low = await api.call('POST', url, {
        key: 'rail_3v3',
        value: '3.1999',
        endedAt: '2026-01-01T10:00:00Z',
      });
      expect(low.status).toBe(201);
      expect(low.body).toMatchObject({ result: 'fail', valueNumber: '3.1999', key: 'rail_3v3' });
      const edge = await api.call('POST', url, {
        key: 'rail_3v3',
        value: 3.4,
        station: 'ST-1',
        operator: 'ana',
        endedAt: '2026-01-01T11:00:00+01:00',
      });
      // 11:00+01:00 is 10:00Z: the same time as the failure; the later insert wins the tie.
      expect(edge.body).toMatchObject({ result: 'pass', valueNumber: '3.4', station: 'ST-1' });
      expect(edge.body.testedAt).toBe('2026-01-01T10:00:00.000Z');
      // An older result recorded later does not change the status.
      await api.call('POST', url, {
        key: 'rail_3v3',
        value: '34e-1',
        endedAt: '2025-12-31T00:00:00Z',
      });
      await api.call('POST', url, { key: 'rail_3v3', value: '5', endedAt: '2025-12-30T00:00:00Z' });
      const free = await api.call('POST', url, {
        name: 'Visual check',
        result: 'pass',
        value: 'ok',
      });
      expect(free.body).toMatchObject({ template: null, key: '', valueText: 'ok', result: 'pass' });

      const tests = await api.call('GET', url);
      expect(tests.status).toBe(200);
      expect(
        tests.body.tests.map((t: any) => [t.template.key, t.status, t.latest?.valueNumber ?? null]),
      ).toEqual([
        ['ict', 'missing', null],
        ['rail_3v3', 'pass', '3.4'],
      ]);
      expect(tests.body.passed).toBe(false);
      expect(tests.body.results.total).toBe(5);
      const paged = await api.call('GET', `${url}?limit=2&offset=1`);
      expect(paged.body.results.items.map((r: any) => r.valueNumber)).toEqual(['3.4', '3.1999']);

      const history = await api.call('GET', `/api/v1/lots/${unit}/history`);
      const recorded = history.body.items.filter((h: any) => h.type === 'test_recorded');
      expect(recorded).toHaveLength(5);
    });

    it('refuses a bad single result with the field, storing nothing', async () => {
      const { units } = await setup(1);
      const url = `/api/v1/units/${units[0]}/tests`;
      const before = await rowCount(ctx.db, 'test_result');
      const cases: [unknown, number, string][] = [
        [{ key: 'rail_3v3' }, 400, 'value'],
        [{ key: 'rail_3v3', value: 'high' }, 400, 'value'],
        [{ key: 'rail_3v3', value: '3.5', result: 'pass' }, 400, 'result'],
        [{ key: 'ict', value: 'maybe' }, 400, 'value'],
        [{ key: 'ict', value: true, result: 'fail' }, 400, 'value'],
        [{ key: 'nope', result: 'pass' }, 404, 'key'],
        [{ result: 'pass' }, 400, 'key'],
        [{ name: 'Free' }, 400, 'result'],
        [{ key: 'ict', result: 'pass', endedAt: 'yesterday' }, 400, 'endedAt'],
        [
          {
            key: 'ict',
            result: 'pass',
            startedAt: '2026-01-02T00:00:00Z',
            endedAt: '2026-01-01T00:00:00Z',
          },
          400,
          'endedAt',
        ],
        [{ key: 'ict', result: 'pass', attachment: 'a'.repeat(26) }, 404, 'attachment'],
        [{ key: 'ict', result: 'pass', notes: 'x'.repeat(10_001) }, 400, 'notes'],
      ];
      for (const [body, status, field] of cases) {
        const res = await api.call('POST', url, body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.error.field, JSON.stringify(body)).toBe(field);
      }
      const unknown = await api.call('POST', `/api/v1/units/${'1'.repeat(26)}/tests`, {
        key: 'ict',
        result: 'pass',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.field).toBe('unit');
      expect(await rowCount(ctx.db, 'test_result')).toBe(before);
    });

    it('batch JSON: all or nothing by default, per-row report; partial stores the good rows', async () => {
      const { units } = await setup(2);
      const [a, b] = units as [string, string];
      const rows = [
        { unit: a, key: 'ict', result: 'pass' },
        { unit: b, key: 'rail_3v3', value: 9 },
        { unit: '2'.repeat(26), key: 'ict', result: 'pass' },
        { unit: a, key: 'nope', result: 'pass' },
        { unit: b, key: 'rail_3v3', value: 'x' },
        { unit: b, key: 'ict', result: 'maybe' },
        { unit: 'short', key: 'ict', result: 'pass' },
        { unit: a, key: 42, result: 'pass' },
        'ict pass',
      ];
      const before = await rowCount(ctx.db, 'test_result');
      const all = await api.call('POST', '/api/v1/test-results/batch', { results: rows });
      expect(all.status).toBe(400);
      expect(all.body.error).toMatchObject({ code: 'validation_error', field: 'results' });
      expect(all.body).toMatchObject({ stored: 0, rejected: 7 });
      expect(all.body.rows).toEqual([
        { row: 1, status: 'valid', result: 'pass' },
        { row: 2, status: 'valid', result: 'fail' },
        {
          row: 3,
          status: 'rejected',
          error: { field: 'unit', message: expect.stringMatching(/not found/) },
        },
        {
          row: 4,
          status: 'rejected',
          error: { field: 'key', message: expect.stringMatching(/no test 'nope'/) },
        },
        {
          row: 5,
          status: 'rejected',
          error: { field: 'value', message: expect.stringMatching(/must be a number/) },
        },
        {
          row: 6,
          status: 'rejected',
          error: { field: 'result', message: expect.stringMatching(/one of/) },
        },
        {
          row: 7,
          status: 'rejected',
          error: { field: 'unit', message: expect.stringMatching(/is not a code/) },
        },
        { row: 8, status: 'rejected', error: { field: 'key', message: 'must be text' } },
        { row: 9, status: 'rejected', error: { field: 'row', message: 'must be an object' } },
      ]);
      expect(await rowCount(ctx.db, 'test_result')).toBe(before);

      const partial = await api.call('POST', '/api/v1/test-results/batch', {
        results: rows,
        partial: true,
      });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ stored: 2, rejected: 7 });
      expect(partial.body.rows[0]).toEqual({ row: 1, status: 'stored', result: 'pass' });
      expect(await rowCount(ctx.db, 'test_result')).toBe(before + 2);
      // One history event per unit and upload.
      const events = [...(await historyRows(ctx.db, a)), ...(await historyRows(ctx.db, b))].filter(
        (e) => e.type === 'test_recorded',
      );
      expect(events.map((e) => e.data)).toEqual(
        expect.arrayContaining([
          { results: 1, failed: 0, tests: ['ict'] },
          { results: 1, failed: 1, tests: ['rail_3v3'] },
        ]),
      );

      const envelope = await api.call('POST', '/api/v1/test-results/batch', { rows: [] });
      expect(envelope.status).toBe(400);
      expect(envelope.body.error.field).toBe('results');
      const tooMany = await api.call('POST', '/api/v1/test-results/batch', {
        results: Array.from({ length: 20_001 }, () => ({})),
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error).toMatchObject({ field: 'results', message: /at most 20000/ });
      const viewer = await api.call(
        'POST',
        '/api/v1/test-results/batch',
        { results: [] },
        'viewer',
      );
      expect(viewer.status).toBe(403);
    });

    it('batch CSV with a header row: lines reported, malformed rows rejected, partial by query', async () => {
      const { units, build } = await setup(3);
      const [a, b, c] = units as [string, string, string];
      const good = [
        'unit,key,result,value,station,operator,ended_at,values.ripple_mv',
        `${a},ict,pass,,ICT-2,bo,2026-02-01T08:00:00Z,`,
        `${a},rail_3v3,,3.30,FCT-1,bo,2026-02-01T08:05:00Z,12.5`,
        `${b},ict,,fail,ICT-2,bo,2026-02-01T08:10:00Z,`,
      ].join('\r\n');
      const stored = await csv(good);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ stored: 3, rejected: 0 });
      expect(stored.body.rows.map((r: any) => [r.row, r.status, r.result])).toEqual([
        [2, 'stored', 'pass'],
        [3, 'stored', 'pass'],
        [4, 'stored', 'fail'],
      ]);
      const tests = await api.call('GET', `/api/v1/units/${a}/tests`);
      expect(tests.body.passed).toBe(true);
      expect(tests.body.tests[1].latest).toMatchObject({
        valueNumber: '3.3',
        values: { ripple_mv: '12.5' },
        station: 'FCT-1',
        operator: 'bo',
      });

      const bad = ['unit,key,result,value', `${c},ict,pass,`, `${c},rail_3v3,,"3.1`].join('\n');
      const unclosed = await csv(bad);
      expect(unclosed.status).toBe(400);
      expect(unclosed.body.error).toMatchObject({
        field: 'body',
        message: /line 3: a quoted field/,
      });

      const mixed = [
        'unit,key,result,value',
        `${c},ict,pass`,
        `${c},rail_3v3,,3.1,extra`,
        `${c},rail_3v3,,abc`,
      ].join('\n');
      const before = await rowCount(ctx.db, 'test_result');
      const refused = await csv(mixed);
      expect(refused.status).toBe(400);
      expect(refused.body.rows.map((r: any) => [r.row, r.status, r.error?.field])).toEqual([
        [2, 'valid', undefined],
        [3, 'rejected', 'row'],
        [4, 'rejected', 'value'],
      ]);
      expect(await rowCount(ctx.db, 'test_result')).toBe(before);
      const part = await csv(mixed, '?partial=true');
      expect(part.body).toMatchObject({ stored: 1, rejected: 2 });
      const header = await csv('serial,key\nx,y');
      expect(header.status).toBe(400);
      expect(header.body.error).toMatchObject({
        field: 'body',
        message: /unknown column 'serial'/,
      });
      const query = await csv(good, '?partial=maybe');
      expect(query.status).toBe(400);
      expect(query.body.error.field).toBe('partial');

      const summary = await api.call('GET', `/api/v1/builds/${build.code}/tests`);
      expect(summary.status).toBe(200);
      expect(summary.body.units).toBe(3);
      expect(
        summary.body.tests.map((t: any) => [t.template.key, t.pass, t.fail, t.missing]),
      ).toEqual([
        ['ict', 2, 1, 0],
        ['rail_3v3', 1, 0, 2],
      ]);
    });

    it('parallel batch uploads all land: counts exact, one event per unit per upload', async () => {
      const { units, build } = await setup(4);
      const uploads = units.map((unit, i) =>
        api.call('POST', '/api/v1/test-results/batch', {
          results: units.map((u) => ({ unit: u, key: 'ict', result: i % 2 ? 'fail' : 'pass' })),
        }),
      );
      const answers = await Promise.all(uploads);
      expect(answers.map((a) => a.body.stored)).toEqual([4, 4, 4, 4]);
      const n = await ctx.db
        .selectFrom('test_result')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('lot_code', 'in', units)
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(16);
      const summary = await api.call('GET', `/api/v1/builds/${build.code}/tests`);
      const ict = summary.body.tests[0];
      expect(ict.pass + ict.fail).toBe(4);
      expect(ict.missing).toBe(0);
    });

    it('a project requiring passed tests: finishing refuses, names what fails; override is recorded', async () => {
      const { project, build, units } = await setup(2);
      const [a, b] = units as [string, string];
      const setting = await api.call('PATCH', `/api/v1/projects/${project.code}`, {
        requireTestsPassed: true,
      });
      expect(setting.status).toBe(200);
      expect(setting.body.requireTestsPassed).toBe(true);
      await api.call('POST', '/api/v1/test-results/batch', {
        results: [
          { unit: a, key: 'ict', result: 'pass' },
          { unit: a, key: 'rail_3v3', value: '3.3' },
          { unit: b, key: 'ict', result: 'fail' },
        ],
      });
      expect(await requiredTestsFailing(ctx.db, project.code, [a, b])).toEqual([
        { unit: b, key: 'ict', name: 'In-circuit test', status: 'fail' },
        { unit: b, key: 'rail_3v3', name: '3V3 rail', status: 'missing' },
      ]);
      const finish = `/api/v1/builds/${build.code}/finish`;
      const refused = await api.call('POST', finish, {});
      expect(refused.status).toBe(409);
      expect(refused.body.error.field).toBe('overrideTests');
      expect(refused.body.error.message).toMatch(/1 unit: \S+ ict failed; \S+ rail_3v3 missing/);
      const noNote = await api.call('POST', finish, { overrideTests: true });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.field).toBe('note');
      const still = await api.call('GET', `/api/v1/builds/${build.code}`);
      expect(still.body.status).toBe('in_progress');

      const done = await api.call('POST', finish, {
        overrideTests: true,
        note: 'customer accepted the ICT deviation',
      });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'finished',
        finishNote: 'customer accepted the ICT deviation',
      });
      const override = (await historyRows(ctx.db, build.code)).find(
        (e) => e.type === 'tests_overridden',
      )!;
      expect(override.data).toMatchObject({
        note: 'customer accepted the ICT deviation',
        failing: 2,
      });
    });

    it('a project requiring passed tests finishes once every required test passed', async () => {
      const { project, build, units } = await setup(2);
      await api.call('PATCH', `/api/v1/projects/${project.code}`, { requireTestsPassed: true });
      // Optional and disabled tests do not gate.
      const optional = await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, {
        key: 'burn_in',
        name: 'Burn-in',
        required: false,
      });
      expect(optional.status).toBe(201);
      const rail = (await api.call('GET', `/api/v1/parts/${project.part}/test-templates`)).body
        .items[1];
      const disabled = await api.call('DELETE', `/api/v1/test-templates/${rail.code}`);
      expect(disabled.body.enabled).toBe(false);
      await api.call('POST', '/api/v1/test-results/batch', {
        results: units.map((unit) => ({ unit, key: 'ict', value: 'pass' })),
      });
      const run = await api.call('POST', `/api/v1/builds/${build.code}/finish`, {});
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ status: 'finished', finishNote: '' });
      const rejected = await api.call('POST', `/api/v1/units/${units[0]}/tests`, {
        key: 'rail_3v3',
        value: 3.3,
      });
      expect(rejected.status).toBe(400);
      expect(rejected.body.error).toMatchObject({ field: 'key', message: /disabled/ });

      const oneCall = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 1,
        location: line,
        run: true,
      });
      expect(oneCall.status).toBe(409);
      expect(oneCall.body.error.message).toMatch(/without run/);
    });
  });
}

describe("fastBatchRow: the upload's shortcut past BatchRow", () => {
  const text = (max: number) =>
    fc.oneof(
      { arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 30) }), weight: 6 },
      fc.string({ maxLength: max + 2 }),
      fc.constantFrom(
        '',
        ' ',
        ' x ',
        'ICT',
        ' Vcc_3V3 ',
        'a b',
        '-x',
        'x'.repeat(max),
        'x'.repeat(max + 1),
      ),
    );
  /** Mostly `good`, now and then `odd`: most rows take the shortcut, every odd case is tried. */
  const mostly = <T, U>(good: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
    fc.oneof({ arbitrary: good, weight: 15 }, { arbitrary: odd, weight: 1 });
  const time = mostly(
    fc
      .date({
        min: new Date('0000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    fc.constantFrom(
      '2024-02-29T10:00:00.000Z',
      '2023-02-29T10:00:00.000Z',
      '2100-02-29T10:00:00.000Z',
      '2000-02-29T10:00:00.000Z',
      '2026-04-31T10:00:00.000Z',
      '2026-13-01T10:00:00.000Z',
      '2026-00-10T10:00:00.000Z',
      '2026-11-00T10:00:00.000Z',
      '2026-11-26T24:00:00.000Z',
      '2026-11-26T23:60:00.000Z',
      '2026-11-26T23:59:60.000Z',
      '2026-11-26T09:30:00Z',
      '2026-11-26T09:30:00.5+01:00',
      '2026-11-26 09:30:00.000Z',
      'yesterday',
    ),
  );
  const value = mostly(
    fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      text(20),
    ),
    fc.constantFrom(Number.NaN, Infinity, -0, 'x'.repeat(1000), 'x'.repeat(1001), null),
  );
  // Present with a value, missing on purpose (undefined), or of the wrong type.
  const field = <T>(arb: fc.Arbitrary<T>) =>
    mostly(arb, fc.oneof(fc.constant(undefined), fc.integer()));
  const fields = fc.record(
    {
      unit: field(text(200)),
      key: field(mostly(fc.stringMatching(/^ ?[A-Za-z0-9][A-Za-z0-9_.-]{0,8} ?$/), text(64))),
      name: field(text(200)),
      result: field(mostly(fc.constantFrom('pass', 'fail'), fc.constantFrom('PASS', ''))),
      value: field(value),
      station: field(text(200)),
      operator: field(text(200)),
      startedAt: field(time),
      endedAt: field(time),
      notes: field(text(10_000)),
      attachment: field(text(200)),
    },
    { requiredKeys: ['unit'] },
  );
  const rare = mostly(
    fc.constant({}),
    fc.oneof(
      fc.record({
        values: fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
      }),
      fc.record({ extra: fc.string() }),
    ),
  );
  const row = fc.tuple(fields, rare).map(([data, more]) => ({ ...data, ...more }));

  it('answers only rows BatchRow accepts, and what BatchRow answers', () => {
    let fast = 0;
    fc.assert(
      fc.property(row, (data) => {
        const answer = fastBatchRow(data);
        if (answer === undefined) return;
        fast++;
        const parsed = BatchRow.safeParse(data);
        expect(parsed.success).toBe(true);
        expect(answer).toStrictEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: about a third of the generated rows take the shortcut.
    expect(fast).toBeGreaterThan(500);
  });

  it('takes the shortcut for the rows stations send, and leaves odd ones to BatchRow', () => {
    const station = {
      unit: 'LABC',
      key: ' ICT ',
      result: 'pass',
      value: 3.3,
      station: ' FCT-2 ',
      startedAt: '2026-11-26T09:30:00.000Z',
      endedAt: '2026-11-26T09:30:01.250Z',
    };
    expect(fastBatchRow(station)).toStrictEqual(BatchRow.parse(station));
    expect(fastBatchRow({ unit: 'LABC', name: 'Free', result: 'fail', notes: 'x' })).toStrictEqual(
      BatchRow.parse({ unit: 'LABC', name: 'Free', result: 'fail', notes: 'x' }),
    );
    for (const odd of [
      { ...station, values: { vcc: 3.3 } },
      { ...station, startedAt: '2026-11-26T10:30:00+01:00' },
      { ...station, colour: 'red' },
      { ...station, key: undefined },
      { key: 'ict' },
      [station],
      null,
      'LABC,ict,pass',
    ]) {
      expect(fastBatchRow(odd)).toBeUndefined();
    }
  });
});
