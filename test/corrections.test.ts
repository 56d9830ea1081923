import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUANTITY_SCALE } from '../src/domain/quantity.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation, type TestContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';
import { makeUnits } from './support/unit-factories.js';

// Corrections instead of edits (issue 11): a shipment entered by mistake is reversed, a result
// recorded on the wrong unit is voided, a test's type is corrected while no result uses it.
// Each needs a reason, is recorded in history, deletes nothing; a refusal changes nothing.
for (const dialect of DIALECTS) {
  describe(`${dialect}: corrections`, () => {
    let api: TestApi;
    let ctx: TestContext;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
    });
    afterAll(() => api.close());

    const post = (url: string, body: unknown) => api.call('POST', `/api/v1${url}`, body);
    const get = async (url: string) => (await api.call('GET', `/api/v1${url}`)).body;

    /** Each unit's state and its balances as (location, status, quantity). */
    async function unitsNow(codes: string[]) {
      return Promise.all(
        codes.map(async (code) => {
          const balances = await ctx.db
            .selectFrom('stock_balance')
            .select(['location_code', 'status', 'quantity'])
            .where('lot_code', '=', code)
            .where('quantity', '>', 0)
            .execute();
          const unit = await get(`/units/${code}`);
          return {
            state: unit.state,
            balances: balances.map((b) => [b.location_code, b.status, Number(b.quantity)]),
          };
        }),
      );
    }

    describe('reversing a shipment', () => {
      it('puts every unit back as it was before shipping; the shipment stays, marked', async () => {
        const { units, location } = await makeUnits(ctx, 3);
        const codes = units.map((u) => u.code);
        const before = await unitsNow(codes);
        expect(before[0]).toEqual({
          state: 'available',
          balances: [[location, 'on_hand', QUANTITY_SCALE]],
        });
        const shipped = await post('/shipments', {
          customer: 'Wrong Customer',
          reference: 'PO-typo',
          units: codes.slice(0, 2),
        });
        expect(shipped.status).toBe(201);
        const code = shipped.body.code as string;

        const res = await post(`/shipments/${code}/reverse`, { reason: '  entered twice  ' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          code,
          unitCount: 2,
          returnedCount: 0,
          reversed: { by: 'key:test-admin', reason: 'entered twice', at: expect.any(String) },
        });
        expect(res.body.units.map((u: { state: string }) => u.state)).toEqual([
          'available',
          'available',
        ]);
        expect(await unitsNow(codes)).toEqual(before);
        // The ledger keeps both movements: shipped out, and back by the reversal.
        const entries = await ctx.db
          .selectFrom('stock_entry')
          .select(['type', 'quantity', 'location_code', 'ref_code', 'note'])
          .where('lot_code', '=', codes[0]!)
          .where('type', 'in', ['shipped', 'shipment_reversed'])
          .orderBy('id')
          .execute();
        expect(
          entries.map((e) => [e.type, Number(e.quantity), e.location_code, e.ref_code]),
        ).toEqual([
          ['shipped', -QUANTITY_SCALE, location, code],
          ['shipment_reversed', QUANTITY_SCALE, location, code],
        ]);
        expect(entries[1]!.note).toBe('entered twice');
        expect((await checkLedger(ctx)).ok).toBe(true);

        // No longer a shipment of its units: the unit page names none, the list marks it.
        const unit = await get(`/units/${codes[0]}`);
        expect(unit.shipment).toBeNull();
        expect(unit.allowed).toContain('ship');
        const list = await get(`/shipments?q=Wrong%20Customer`);
        expect(list.items).toEqual([
          expect.objectContaining({
            code,
            reversed: expect.objectContaining({ reason: 'entered twice' }),
          }),
        ]);
        const shipmentHistory = await historyRows(ctx.db, code);
        expect(shipmentHistory.map((h) => h.type)).toEqual(['created', 'shipment_reversed']);
        expect(shipmentHistory[1]).toMatchObject({
          actorName: 'key:test-admin',
          data: { reason: 'entered twice', units: 2, customer: 'Wrong Customer' },
        });
        expect((await historyRows(ctx.db, codes[1]!)).slice(-2).map((h) => h.type)).toEqual([
          'shipped',
          'shipment_reversed',
        ]);

        // The units ship again, to the right customer.
        const again = await post('/shipments', {
          customer: 'Right Customer',
          reference: 'PO-1',
          units: codes.slice(0, 2),
        });
        expect(again.status).toBe(201);
        expect((await get(`/units/${codes[0]}`)).shipment).toMatchObject({
          code: again.body.code,
        });
        // The unit's Device History Record keeps the mistake, marked, before the real shipment.
        const dhr = await get(`/units/${codes[0]}/dhr.json`);
        const shipments = dhr.sections.find((s: { type: string }) => s.type === 'shipments');
        expect(
          shipments.shipments.map((s: any) => [s.code, s.reversedBy, s.reverseReason]),
        ).toEqual([
          [code, 'key:test-admin', 'entered twice'],
          [again.body.code, null, null],
        ]);
        // The reversed shipment cannot be reversed again, nor the units shipped anew undone by it.
        const counts = await rowCounts(ctx.db);
        const twice = await post(`/shipments/${code}/reverse`, { reason: 'again' });
        expect(twice.status).toBe(409);
        expect(twice.body.error).toMatchObject({ field: 'code' });
        expect(twice.body.error.message).toMatch(/reversed already/);
        expect(await rowCounts(ctx.db)).toEqual(counts);
        expect((await get(`/units/${codes[0]}`)).state).toBe('shipped');
      });

      it('refuses without a reason, or when a unit moved on since, changing nothing', async () => {
        const { units } = await makeUnits(ctx, 2);
        const codes = units.map((u) => u.code);
        const returns = (await makeLocation(ctx)).code;
        const shipped = await post('/shipments', {
          customer: 'Acme',
          reference: 'PO-2',
          units: codes,
        });
        const code = shipped.body.code as string;
        const counts = await rowCounts(ctx.db);
        for (const body of [{}, { reason: '   ' }]) {
          const res = await post(`/shipments/${code}/reverse`, body);
          expect(res.status).toBe(400);
          expect(res.body.error.field).toBe('reason');
        }
        const extra = await post(`/shipments/${code}/reverse`, { reason: 'x', note: 'y' });
        expect(extra.status).toBe(400);
        expect((await post(`/shipments/${'0'.repeat(26)}/reverse`, { reason: 'x' })).status).toBe(
          404,
        );
        expect(await rowCounts(ctx.db)).toEqual(counts);

        // A real customer return is no mistake: the shipment it came back from stays.
        expect(
          (await post(`/units/${codes[1]}/return`, { reason: 'DOA', location: returns })).status,
        ).toBe(200);
        const afterReturn = await rowCounts(ctx.db);
        const before = await unitsNow(codes);
        const res = await post(`/shipments/${code}/reverse`, { reason: 'mistake' });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toContain(units[1]!.code.slice(0, 8));
        expect(await rowCounts(ctx.db)).toEqual(afterReturn);
        expect(await unitsNow(codes)).toEqual(before);
        expect((await get(`/shipments/${code}`)).reversed).toBeNull();
        expect((await checkLedger(ctx)).ok).toBe(true);
      });
    });

    describe('voiding a test result', () => {
      /** Units of one build whose part has a required pass/fail test `ict`. */
      async function testedUnits() {
        const made = await makeUnits(ctx, 2);
        const ict = await post(`/parts/${made.part}/test-templates`, {
          key: 'ict',
          name: 'In-circuit test',
        });
        expect(ict.status).toBe(201);
        return { ...made, codes: made.units.map((u) => u.code) };
      }

      it('keeps the result, marked, and takes it out of the unit status and build summary', async () => {
        const { codes, build } = await testedUnits();
        const [right, wrong] = codes as [string, string];
        const recorded = await post(`/units/${wrong}/tests`, { key: 'ict', result: 'pass' });
        expect(recorded.status).toBe(201);
        const id = recorded.body.id as number;
        expect((await get(`/units/${wrong}/tests`)).passed).toBe(true);
        expect((await get(`/builds/${build.code}/tests`)).tests[0]).toMatchObject({
          pass: 1,
          missing: 1,
        });

        const counts = await rowCounts(ctx.db);
        for (const [url, body, status, field] of [
          [`/test-results/${id}/void`, {}, 400, 'reason'],
          [`/test-results/${id}/void`, { reason: ' ' }, 400, 'reason'],
          ['/test-results/abc/void', { reason: 'x' }, 400, 'id'],
          ['/test-results/0/void', { reason: 'x' }, 400, 'id'],
          ['/test-results/999999/void', { reason: 'x' }, 404, 'id'],
        ] as const) {
          const res = await post(url, body);
          expect(res.status, url).toBe(status);
          expect(res.body.error.field).toBe(field);
        }
        expect(await rowCounts(ctx.db)).toEqual(counts);

        const res = await post(`/test-results/${id}/void`, {
          reason: 'recorded on the wrong unit',
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id,
          unit: wrong,
          result: 'pass',
          voided: {
            by: { name: 'key:test-admin' },
            reason: 'recorded on the wrong unit',
            at: expect.any(String),
          },
        });
        const tests = await get(`/units/${wrong}/tests`);
        expect(tests.passed).toBe(false);
        expect(tests.tests[0]).toMatchObject({ status: 'missing', latest: null });
        expect(tests.results.items).toEqual([
          expect.objectContaining({
            id,
            voided: expect.objectContaining({ reason: 'recorded on the wrong unit' }),
          }),
        ]);
        expect((await get(`/builds/${build.code}/tests`)).tests[0]).toMatchObject({
          pass: 0,
          missing: 2,
        });
        expect((await historyRows(ctx.db, wrong)).at(-1)).toMatchObject({
          type: 'test_voided',
          actorName: 'key:test-admin',
          data: { result: id, test: 'ict', verdict: 'pass', reason: 'recorded on the wrong unit' },
        });

        // Voiding twice is refused and changes nothing; the right unit gets its result.
        const voided = await rowCounts(ctx.db);
        const twice = await post(`/test-results/${id}/void`, { reason: 'again' });
        expect(twice.status).toBe(409);
        expect(twice.body.error).toMatchObject({ field: 'id' });
        expect(await rowCounts(ctx.db)).toEqual(voided);
        expect((await post(`/units/${right}/tests`, { key: 'ict', result: 'pass' })).status).toBe(
          201,
        );
        expect((await get(`/units/${right}/tests`)).passed).toBe(true);
        expect((await get(`/builds/${build.code}/tests`)).tests[0]).toMatchObject({
          pass: 1,
          missing: 1,
        });
      });

      it('an earlier result counts again once the later one is voided', async () => {
        const { codes } = await testedUnits();
        const unit = codes[0]!;
        await post(`/units/${unit}/tests`, {
          key: 'ict',
          result: 'pass',
          endedAt: '2026-11-01T10:00:00Z',
        });
        const later = await post(`/units/${unit}/tests`, {
          key: 'ict',
          result: 'fail',
          endedAt: '2026-11-02T10:00:00Z',
        });
        expect((await get(`/units/${unit}/tests`)).tests[0].status).toBe('fail');
        await post(`/test-results/${later.body.id}/void`, { reason: 'fixture not connected' });
        expect((await get(`/units/${unit}/tests`)).tests[0].status).toBe('pass');
      });
    });

    describe("correcting a test template's type", () => {
      it('changes the type with a reason while no result uses it; then refuses, naming the count', async () => {
        const { part, units } = await makeUnits(ctx, 1);
        const created = await post(`/parts/${part}/test-templates`, { key: 'vcc', name: 'VCC' });
        const code = created.body.code as string;
        const patch = (body: unknown) => api.call('PATCH', `/api/v1/test-templates/${code}`, body);

        const counts = await rowCounts(ctx.db);
        const noReason = await patch({ valueType: 'number', unit: 'V', min: '3.2' });
        expect(noReason.status).toBe(400);
        expect(noReason.body.error.field).toBe('reason');
        expect(await rowCounts(ctx.db)).toEqual(counts);

        const res = await patch({
          valueType: 'number',
          unit: 'V',
          min: '3.2',
          max: '3.4',
          reason: 'VCC is measured, not judged by eye',
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ valueType: 'number', unit: 'V', min: '3.2', max: '3.4' });
        const history = await historyRows(ctx.db, code);
        expect(history.at(-1)).toMatchObject({
          type: 'test_type_corrected',
          data: { from: 'pass_fail', to: 'number', reason: 'VCC is measured, not judged by eye' },
        });
        // Other edits need no reason.
        expect((await patch({ name: 'VCC rail' })).status).toBe(200);

        const result = await post(`/units/${units[0]!.code}/tests`, { key: 'vcc', value: 3.3 });
        expect(result.body.result).toBe('pass');
        await post(`/test-results/${result.body.id}/void`, { reason: 'wrong unit' });
        const listed = await get(`/parts/${part}/test-templates`);
        expect(listed.items).toEqual([expect.objectContaining({ code, results: 1 })]);

        const used = await rowCounts(ctx.db);
        const refused = await patch({ valueType: 'text', reason: 'typo' });
        expect(refused.status).toBe(409);
        expect(refused.body.error).toMatchObject({ field: 'valueType' });
        expect(refused.body.error.message).toMatch(/has 1 result\b/);
        expect(await rowCounts(ctx.db)).toEqual(used);
        expect((await get(`/test-templates/${code}`)).valueType).toBe('number');
        // Limits still change, with or without results: a new limit judges new results.
        expect((await patch({ max: '3.5' })).body.max).toBe('3.5');
      });
    });
  });
}
