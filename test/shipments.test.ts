import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../src/context.js';
import { QUANTITY_SCALE } from '../src/domain/quantity.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation, makeLot, type TestContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';
import { makeUnits } from './support/unit-factories.js';

async function statesOf(ctx: Context, codes: string[]) {
  const rows = await ctx.db
    .selectFrom('lot')
    .select(['code', 'unit_state'])
    .where('code', 'in', codes)
    .execute();
  const byCode = new Map(rows.map((r) => [r.code, r.unit_state]));
  return codes.map((c) => byCode.get(c));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: shipments`, () => {
    let api: TestApi;
    let ctx: TestContext;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
    });
    afterAll(() => api.close());

    const ship = (body: Record<string, unknown>) => api.call('POST', '/api/v1/shipments', body);

    it('ships units to a customer: they become shipped and leave stock, referring to the shipment', async () => {
      const { units, location } = await makeUnits(ctx, 3);
      const res = await ship({
        customer: '  Acme Medical ',
        reference: 'PO-1001',
        date: '2026-11-20',
        note: 'two boxes',
        units: [units[0]!.code, units[1]!.code.toUpperCase()],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        customer: 'Acme Medical',
        reference: 'PO-1001',
        date: '2026-11-20',
        note: 'two boxes',
        unitCount: 2,
        returnedCount: 0,
        createdBy: 'key:test-admin',
      });
      expect(res.body.units).toEqual([
        expect.objectContaining({
          code: units[0]!.code,
          label: units[0]!.label,
          state: 'shipped',
          returnedAt: null,
        }),
        expect.objectContaining({ code: units[1]!.code, label: units[1]!.label, state: 'shipped' }),
      ]);
      expect(
        await statesOf(
          ctx,
          units.map((u) => u.code),
        ),
      ).toEqual(['shipped', 'shipped', 'available']);
      const shipment = res.body.code as string;
      const balances = await ctx.db
        .selectFrom('stock_balance')
        .select(['lot_code', 'location_code', 'status', 'quantity'])
        .where(
          'lot_code',
          'in',
          units.map((u) => u.code),
        )
        .execute();
      expect(balances.map((b) => [b.lot_code, b.location_code, Number(b.quantity)])).toEqual([
        [units[2]!.code, location, QUANTITY_SCALE],
      ]);
      const entries = await ctx.db
        .selectFrom('stock_entry')
        .selectAll()
        .where('type', '=', 'shipped')
        .where('ref_code', '=', shipment)
        .orderBy('lot_code')
        .execute();
      expect(entries.map((e) => [e.lot_code, e.status, Number(e.quantity)])).toEqual(
        [units[0]!.code, units[1]!.code].sort().map((c) => [c, 'on_hand', -QUANTITY_SCALE]),
      );
      expect((await checkLedger(ctx)).ok).toBe(true);
      const history = await historyRows(ctx.db, units[0]!.code);
      expect(history.at(-1)).toMatchObject({
        type: 'shipped',
        data: { shipment, customer: 'Acme Medical', reference: 'PO-1001' },
        actorName: 'key:test-admin',
      });
      // The shipment's code resolves to it, and its page lists the units.
      const resolved = await api.call('GET', `/api/v1/resolve?q=${shipment.slice(0, 10)}`);
      expect(resolved.body).toMatchObject({
        kind: 'shipment',
        code: shipment,
        name: 'Acme Medical PO-1001',
        url: `/c/${shipment}`,
      });
      const got = await api.call('GET', `/api/v1/shipments/${shipment.slice(0, 26)}`);
      expect(got.status).toBe(200);
      expect(got.body.units.map((u: { code: string }) => u.code)).toEqual([
        units[0]!.code,
        units[1]!.code,
      ]);
      const status = await api.call('GET', `/api/v1/units/${units[0]!.code}`);
      expect(status.body).toMatchObject({
        state: 'shipped',
        allowed: ['return'],
        shipment: { code: shipment, customer: 'Acme Medical', reference: 'PO-1001' },
      });
    });

    it('dates a shipment today when no date is given', async () => {
      const { units } = await makeUnits(ctx, 1);
      const res = await ship({ customer: 'Beta', reference: 'R-1', units: [units[0]!.code] });
      expect(res.status).toBe(201);
      expect(res.body.date).toBe(new Date().toISOString().slice(0, 10));
    });

    it('refuses to ship a scrapped unit: 409 naming its state, and nothing changes', async () => {
      const { units, build } = await makeUnits(ctx, 2);
      const scrapped = await api.call(
        'POST',
        `/api/v1/builds/${build.code}/units/${units[1]!.code}/scrap`,
        { reason: 'dropped' },
      );
      expect(scrapped.status).toBe(200);
      const before = await rowCounts(ctx.db);
      const res = await ship({
        customer: 'Acme',
        reference: 'PO-2',
        units: [units[0]!.code, units[1]!.code],
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', field: 'units.1' });
      expect(res.body.error.message).toContain(`unit ${units[1]!.code.slice(0, 8)} is scrapped`);
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect(await statesOf(ctx, [units[0]!.code, units[1]!.code])).toEqual([
        'available',
        'scrapped',
      ]);
    });

    it('ships only stock on hand: a held unit or one not in stock is refused, nothing changed', async () => {
      const { units } = await makeUnits(ctx, 2);
      const held = await api.call('POST', '/api/v1/stock/status', {
        lot: units[1]!.code,
        to: 'held',
        note: 'suspect solder joint',
      });
      expect(held.status).toBe(200);
      const before = await rowCounts(ctx.db);
      const res = await ship({
        customer: 'A',
        reference: 'HELD',
        units: units.map((u) => u.code),
      });
      expect([res.status, res.body.error.field]).toEqual([409, 'units.1']);
      expect(res.body.error.message).toBe(
        `units.1: unit ${units[1]!.code.slice(0, 8)} is held: shipping needs a unit that is available`,
      );
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect(
        await statesOf(
          ctx,
          units.map((u) => u.code),
        ),
      ).toEqual(['available', 'available']);

      const removed = await api.call('POST', '/api/v1/stock/remove', {
        lot: units[0]!.code,
        quantity: 1,
        note: 'lost',
      });
      expect(removed.status).toBe(200);
      const gone = await ship({ customer: 'A', reference: 'GONE', units: [units[0]!.code] });
      expect([gone.status, gone.body.error.field]).toEqual([409, 'units.0']);
      expect(gone.body.error.message).toContain('is not in stock');
      expect((await statesOf(ctx, [units[0]!.code]))[0]).toBe('available');
    });

    it('shows units held by a recall as held everywhere, and refuses to ship them', async () => {
      const { build, units } = await makeUnits(ctx, 2);
      const tree = await api.call('GET', `/api/v1/trace/${units[0]!.code}`);
      const reel = tree.body.root.children[0].code as string;
      // A hold says why: no note, or a blank one, is refused naming the note; nothing is held.
      for (const body of [{}, { note: '   ' }]) {
        const refused = await api.call('POST', `/api/v1/recall/${reel}/hold`, body);
        expect([refused.status, refused.body.error.field]).toEqual([400, 'note']);
      }
      expect((await api.call('GET', `/api/v1/units/${units[0]!.code}`)).body.state).toBe(
        'available',
      );
      const hold = await api.call('POST', `/api/v1/recall/${reel}/hold`, { note: 'RMA 12' });
      expect(hold.status).toBe(200);

      // The unit page, the status list (scan and ship pages), the build's list, the trace and
      // the recall all say held; a held unit may still be scrapped, not shipped.
      const status = await api.call('GET', `/api/v1/units/${units[0]!.code}`);
      expect(status.body).toMatchObject({ state: 'held', allowed: ['scrap'] });
      const list = await api.call('POST', '/api/v1/units/status', { codes: [units[1]!.code] });
      expect(list.body.units.map((u: { state: string }) => u.state)).toEqual(['held']);
      const buildUnits = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      expect(buildUnits.body.items.map((u: { state: string }) => u.state)).toEqual([
        'held',
        'held',
      ]);
      const traced = await api.call('GET', `/api/v1/trace/${units[0]!.code}`);
      expect(traced.body.root.unitState).toBe('held');
      const recall = await api.call('GET', `/api/v1/recall/${reel}`);
      expect(recall.body.items.map((i: { status: { state: string } }) => i.status.state)).toEqual([
        'held',
        'held',
      ]);

      const before = await rowCounts(ctx.db);
      const res = await ship({ customer: 'A', reference: 'R', units: [units[0]!.code] });
      expect([res.status, res.body.error.field]).toEqual([409, 'units.0']);
      expect(res.body.error.message).toBe(
        `units.0: unit ${units[0]!.code.slice(0, 8)} is held: shipping needs a unit that is available`,
      );
      expect(await rowCounts(ctx.db)).toEqual(before);

      // Released (its stock on hand again), the unit is available and ships.
      const released = await api.call('POST', '/api/v1/stock/status', {
        lot: units[0]!.code,
        status: 'held',
        to: 'on_hand',
        note: 'RMA 12 cleared',
      });
      expect(released.status).toBe(200);
      expect((await api.call('GET', `/api/v1/units/${units[0]!.code}`)).body.state).toBe(
        'available',
      );
      expect((await ship({ customer: 'A', reference: 'R', units: [units[0]!.code] })).status).toBe(
        201,
      );
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('names every unit in the wrong state when several are', async () => {
      const { units } = await makeUnits(ctx, 3);
      expect((await ship({ customer: 'A', reference: 'B', units: [units[0]!.code] })).status).toBe(
        201,
      );
      expect((await ship({ customer: 'A', reference: 'C', units: [units[1]!.code] })).status).toBe(
        201,
      );
      const before = await rowCounts(ctx.db);
      const res = await ship({
        customer: 'A',
        reference: 'D',
        units: units.map((u) => u.code).reverse(),
      });
      expect(res.status).toBe(409);
      expect(res.body.error.field).toBe('units.1');
      expect(res.body.error.message).toBe(
        `units.1: 2 units are not available: ${units[1]!.code.slice(0, 8)} is shipped, ${units[0]!.code.slice(0, 8)} is shipped`,
      );
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect((await statesOf(ctx, [units[2]!.code]))[0]).toBe('available');
    });

    it('validates every field: 4xx naming it, nothing changed', async () => {
      const { units } = await makeUnits(ctx, 1);
      const lot = (await makeLot(ctx)).lot;
      const unit = units[0]!.code;
      const ok = { customer: 'Acme', reference: 'PO-9', units: [unit] };
      const before = await rowCounts(ctx.db);
      const cases: [Record<string, unknown>, number, string][] = [
        [{ ...ok, customer: '  ' }, 400, 'customer'],
        [{ ...ok, customer: undefined }, 400, 'customer'],
        [{ ...ok, reference: 'x'.repeat(201) }, 400, 'reference'],
        [{ ...ok, units: [] }, 400, 'units'],
        [{ ...ok, units: 'abc' }, 400, 'units'],
        [{ ...ok, units: Array.from({ length: 10_001 }, () => unit) }, 400, 'units'],
        [{ ...ok, units: [unit, unit] }, 400, 'units.1'],
        [{ ...ok, units: [unit, 'not a code!'] }, 400, 'units.1'],
        [{ ...ok, units: [unit, '0abcdefghjkmn1abcdefghjkmn'] }, 404, 'units.1'],
        [{ ...ok, units: [lot.code] }, 400, 'units.0'],
        [{ ...ok, date: '2026-02-30' }, 400, 'date'],
        [{ ...ok, note: 'x'.repeat(10_001) }, 400, 'note'],
        [{ ...ok, extra: 1 }, 400, 'body'],
      ];
      for (const [body, status, field] of cases) {
        const res = await ship(body);
        expect([res.status, res.body.error?.field], JSON.stringify(body).slice(0, 80)).toEqual([
          status,
          field,
        ]);
        expect(res.body.error.message).toBeTruthy();
      }
      const viewer = await api.call('POST', '/api/v1/shipments', ok, 'viewer');
      expect(viewer.status).toBe(403);
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect((await statesOf(ctx, [unit]))[0]).toBe('available');
    });

    it('ships a unit once when requests race: exactly one wins, the others change nothing', async () => {
      // Invariant: a unit is in at most one open shipment, and the ledger stays equal to the
      // balances, whatever the number of concurrent requests for it.
      const { units } = await makeUnits(ctx, 3);
      const [a, b, c] = units.map((u) => u.code);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          ship({ customer: 'Race', reference: `R-${i}`, units: [a] }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of results.filter((r) => r.status === 409)) {
        expect(r.body.error.message).toContain('is shipped');
      }
      // Overlapping sets: one request wins whole, the other changes nothing.
      const [first, second] = await Promise.all([
        ship({ customer: 'Race', reference: 'S-1', units: [b, c] }),
        ship({ customer: 'Race', reference: 'S-2', units: [c] }),
      ]);
      expect([first.status, second.status].sort()).toEqual([201, 409]);
      const open = await ctx.db
        .selectFrom('shipment_unit')
        .select(['lot_code'])
        .where('lot_code', 'in', [a!, b!, c!])
        .where('returned_at', 'is', null)
        .execute();
      const expected = first.status === 201 ? [a, b, c] : [a, c];
      expect(open.map((o) => o.lot_code).sort()).toEqual([...expected].sort());
      expect(await statesOf(ctx, [b!])).toEqual([first.status === 201 ? 'shipped' : 'available']);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('ships thousands of units in one request, in bulk statements', async () => {
      const { units } = await makeUnits(ctx, 3000);
      const started = performance.now();
      const res = await ship({
        customer: 'Bulk Co',
        reference: 'PO-BULK',
        units: units.map((u) => u.code),
      });
      const ms = performance.now() - started;
      expect(res.status).toBe(201);
      expect(res.body.unitCount).toBe(3000);
      expect(res.body.units.at(-1)).toMatchObject({ code: units[2999]!.code, state: 'shipped' });
      const shipped = await ctx.db
        .selectFrom('lot')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(
          'code',
          'in',
          units.map((u) => u.code),
        )
        .where('unit_state', '=', 'shipped')
        .executeTakeFirstOrThrow();
      expect(Number(shipped.n)).toBe(3000);
      expect((await checkLedger(ctx)).ok).toBe(true);
      // One round trip per unit would take far longer than this on either database.
      expect(ms).toBeLessThan(5000);
    }, 60_000);

    it('lists shipments newest first, searches customer and reference, pages', async () => {
      const where = (await makeLocation(ctx)).code;
      const { units } = await makeUnits(ctx, 3, where);
      for (const [i, u] of units.entries()) {
        const res = await ship({
          customer: i === 2 ? 'Zeta Labs' : 'Omega_Corp',
          reference: `LIST-${i}`,
          units: [u.code],
        });
        expect(res.status).toBe(201);
        ctx.clock.advance(3);
      }
      const omega = await api.call('GET', '/api/v1/shipments?q=omega_c');
      expect(omega.body.total).toBe(2);
      expect(omega.body.items.map((s: { reference: string }) => s.reference)).toEqual([
        'LIST-1',
        'LIST-0',
      ]);
      // `_` is a character, not a wildcard.
      expect((await api.call('GET', '/api/v1/shipments?q=omega%25')).body.total).toBe(0);
      const byRef = await api.call('GET', '/api/v1/shipments?q=list-2');
      expect(byRef.body.items).toEqual([
        expect.objectContaining({ customer: 'Zeta Labs', unitCount: 1, returnedCount: 0 }),
      ]);
      const paged = await api.call('GET', '/api/v1/shipments?q=list-&limit=1&offset=1');
      expect(paged.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
      expect(paged.body.items[0].reference).toBe('LIST-1');
      expect((await api.call('GET', '/api/v1/shipments?limit=501')).status).toBe(400);
      expect((await api.call('GET', '/api/v1/shipments?limit=2', undefined, 'viewer')).status).toBe(
        200,
      );
    });

    it('answers 404 for an unknown shipment and 400 for a malformed code', async () => {
      const missing = await api.call('GET', '/api/v1/shipments/0abcdefghjkmn1abcdefghjkmn');
      expect(missing.status).toBe(404);
      expect(missing.body.error.field).toBe('code');
      const bad = await api.call('GET', '/api/v1/shipments/%21%21');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('code');
    });
  });
}
