import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishBuild, startBuild } from '../src/builds/build.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { QUANTITY_SCALE } from '../src/domain/quantity.js';
import { releaseUnit } from '../src/units/lifecycle.service.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makeLot, type TestContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';
import { makeUnits } from './support/unit-factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: unit lifecycle and service records`, () => {
    let api: TestApi;
    let ctx: TestContext;
    let returns: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      returns = (await makeLocation(ctx, { name: `Returns ${dialect}` })).code;
    });
    afterAll(() => api.close());

    const post = (path: string, body: unknown = {}) => api.call('POST', `/api/v1${path}`, body);

    /** Available units, the first `shipped` of them shipped in one shipment. */
    async function shippedUnits(count: number, shipped = count) {
      const made = await makeUnits(ctx, count);
      const res = await post('/shipments', {
        customer: 'Acme',
        reference: `PO-${Math.random()}`,
        units: made.units.slice(0, shipped).map((u) => u.code),
      });
      expect(res.status).toBe(201);
      return { ...made, shipment: res.body.code as string };
    }

    async function balancesOf(code: string) {
      const rows = await ctx.db
        .selectFrom('stock_balance')
        .select(['location_code', 'status', 'quantity'])
        .where('lot_code', '=', code)
        .execute();
      return rows.map((r) => [r.location_code, r.status, Number(r.quantity)]);
    }

    it('returns a shipped unit: held at a location, shipment row closed, a return event recorded', async () => {
      const { units, shipment } = await shippedUnits(2);
      const unit = units[0]!.code;
      const res = await post(`/units/${unit}/return`, {
        reason: 'display flickers',
        location: returns,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        code: unit,
        state: 'returned',
        allowed: ['start_repair', 'scrap'],
        shipment: { code: shipment, returnReason: 'display flickers' },
      });
      expect(res.body.shipment.returnedAt).toMatch(/^\d{4}-/);
      const [buildShort, serial] = units[0]!.label.split('-');
      expect(res.body.label).toBe(units[0]!.label);
      // A label's build part is the short code, longer when the label would be a prefix of the
      // build's own code (src/domain/unit-label.ts).
      expect(res.body.build).toEqual({
        code: expect.stringMatching(new RegExp(`^${buildShort}`)),
        shortCode: buildShort!.slice(0, 8),
        serial: Number(serial),
      });
      expect(await balancesOf(unit)).toEqual([[returns, 'held', QUANTITY_SCALE]]);
      const entry = await ctx.db
        .selectFrom('stock_entry')
        .selectAll()
        .where('lot_code', '=', unit)
        .where('type', '=', 'returned')
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ ref_code: shipment, status: 'held', note: 'display flickers' });
      expect(Number(entry.quantity)).toBe(QUANTITY_SCALE);
      expect((await checkLedger(ctx)).ok).toBe(true);

      const got = await api.call('GET', `/api/v1/shipments/${shipment}`);
      expect(got.body.returnedCount).toBe(1);
      expect(got.body.units.map((u: { state: string }) => u.state)).toEqual([
        'returned',
        'shipped',
      ]);
      expect(got.body.units[0].returnReason).toBe('display flickers');
      const events = await api.call('GET', `/api/v1/units/${unit}/events`);
      expect(events.body.items).toEqual([
        expect.objectContaining({
          type: 'return',
          text: 'display flickers',
          actor: expect.objectContaining({ name: 'key:test-admin' }),
        }),
      ]);
      expect((await historyRows(ctx.db, unit)).at(-1)).toMatchObject({
        type: 'returned',
        data: { shipment, reason: 'display flickers', location: returns },
      });
      expect((await historyRows(ctx.db, shipment)).at(-1)).toMatchObject({
        type: 'returned',
        data: { unit, reason: 'display flickers' },
      });
    });

    it('refuses forbidden transitions with 409 naming the current state, changing nothing', async () => {
      const { units, build } = await shippedUnits(3, 1);
      const [shipped, inStock, scrapped] = units.map((u) => u.code);
      await post(`/builds/${build.code}/units/${scrapped}/scrap`, { reason: 'cracked' });
      const before = await rowCounts(ctx.db);
      const cases: [string, unknown, string][] = [
        [`/units/${inStock}/repair`, {}, 'is available'],
        [`/units/${shipped}/repair`, {}, 'is shipped'],
        [`/units/${inStock}/return`, { reason: 'x', location: returns }, 'is available'],
        [`/units/${scrapped}/release`, {}, 'is scrapped'],
        [`/units/${inStock}/release`, {}, 'is available'],
        [`/units/${shipped}/scrap`, { reason: 'x' }, 'is shipped'],
        [`/units/${scrapped}/scrap`, { reason: 'x' }, 'is scrapped'],
      ];
      for (const [path, body, state] of cases) {
        const res = await post(path, body);
        expect([res.status, res.body.error?.code, res.body.error?.field], path).toEqual([
          409,
          'conflict',
          'code',
        ]);
        expect(res.body.error.message).toContain(state);
      }
      const ship = await post('/shipments', { customer: 'A', reference: 'B', units: [scrapped] });
      expect(ship.status).toBe(409);
      expect(ship.body.error.message).toContain('is scrapped');
      expect(await rowCounts(ctx.db)).toEqual(before);
      // A unit whose stock is held is named held, the state it shows everywhere.
      await post('/stock/status', { lot: inStock, to: 'held', note: 'recall' });
      const held = await post(`/units/${inStock}/return`, { reason: 'x', location: returns });
      expect([held.status, held.body.error.message]).toEqual([
        409,
        `code: unit ${inStock!.slice(0, 8)} is held: a return needs a unit that is shipped`,
      ]);
    });

    it('goes round: return, repair, service event, release to available, ship again', async () => {
      const { units, location } = await shippedUnits(1);
      const unit = units[0]!.code;
      expect(
        (await post(`/units/${unit}/return`, { reason: 'dead', location: returns })).status,
      ).toBe(200);
      const repair = await post(`/units/${unit}/repair`, { note: 'bench 2' });
      expect(repair.body).toMatchObject({ state: 'in_repair', allowed: ['release', 'scrap'] });
      const event = await post(`/units/${unit}/events`, {
        type: 'repair',
        text: 'replaced U3',
        customFields: { 'Rework ticket': 'RW-17' },
      });
      expect(event.status).toBe(201);
      expect(event.body).toMatchObject({
        unit,
        type: 'repair',
        text: 'replaced U3',
        customFields: { 'Rework ticket': 'RW-17' },
      });
      // The event has its own code: it resolves, so files can be attached to it.
      const resolved = await api.call('GET', `/api/v1/resolve?q=${event.body.code}`);
      expect(resolved.body).toMatchObject({ kind: 'service_event', name: 'repair' });
      const one = await api.call(
        'GET',
        `/api/v1/service-events/${event.body.code}`,
        undefined,
        'viewer',
      );
      expect(one.body).toEqual(event.body);
      const missing = await api.call('GET', '/api/v1/service-events/0abcdefghjkmn1abcdefghjkmn');
      expect([missing.status, missing.body.error.field]).toEqual([404, 'code']);

      const released = await post(`/units/${unit}/release`, { location, note: 'tested ok' });
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ state: 'available', allowed: ['ship', 'scrap'] });
      expect(await balancesOf(unit)).toEqual([[location, 'on_hand', QUANTITY_SCALE]]);
      expect((await checkLedger(ctx)).ok).toBe(true);
      const types = (await historyRows(ctx.db, unit)).map((h) => h.type);
      expect(types.slice(-5)).toEqual([
        'shipped',
        'returned',
        'repair_started',
        'service_event',
        'released',
      ]);
      expect((await historyRows(ctx.db, unit)).at(-1)).toMatchObject({
        data: { note: 'tested ok', location, override: false },
      });
      const again = await post('/shipments', {
        customer: 'Acme',
        reference: 'RMA-1',
        units: [unit],
      });
      expect(again.status).toBe(201);
      const status = await api.call('GET', `/api/v1/units/${unit}`);
      expect(status.body.shipment).toMatchObject({ reference: 'RMA-1', returnedAt: null });
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('answers the status of many units in one lookup, in the order asked, naming what is no unit', async () => {
      const { units } = await shippedUnits(2, 1);
      const [shipped, available] = units.map((u) => u.code);
      await post(`/units/${shipped}/return`, { reason: 'rattles', location: returns });
      const again = await post('/shipments', {
        customer: 'Beta',
        reference: 'PO-B',
        units: [available],
      });
      expect(again.status).toBe(201);
      const { lot } = await makeLot(ctx);
      const unknown = '0abcdefghjkmn1abcdefghjkmn';
      const res = await api.call(
        'POST',
        '/api/v1/units/status',
        { codes: [available!.toUpperCase(), shipped, unknown, lot.code, available] },
        'viewer',
      );
      expect(res.status).toBe(200);
      expect(res.body.units.map((u: { code: string }) => u.code)).toEqual([available, shipped]);
      expect(res.body.units[0]).toEqual((await api.call('GET', `/api/v1/units/${available}`)).body);
      expect(res.body.units[0]).toMatchObject({
        state: 'shipped',
        shipment: { customer: 'Beta', reference: 'PO-B', returnedAt: null },
      });
      expect(res.body.units[1]).toMatchObject({
        state: 'returned',
        allowed: ['start_repair', 'scrap'],
        shipment: { customer: 'Acme', returnReason: 'rattles' },
      });
      expect(res.body.notUnits).toEqual([
        { code: unknown, reason: 'not found' },
        { code: lot.code, reason: expect.stringContaining('not a unit') },
      ]);

      const bad = await api.call('POST', '/api/v1/units/status', { codes: [available, 'no!'] });
      expect([bad.status, bad.body.error.field]).toEqual([400, 'codes.1']);
      const none = await api.call('POST', '/api/v1/units/status', { codes: [] });
      expect([none.status, none.body.error.field]).toEqual([400, 'codes']);
      const many = await api.call('POST', '/api/v1/units/status', {
        codes: Array.from({ length: 10_001 }, () => available),
      });
      expect([many.status, many.body.error.field]).toEqual([400, 'codes']);
    });

    it('releases where the unit lies when no location is given', async () => {
      const { units } = await shippedUnits(1);
      const unit = units[0]!.code;
      await post(`/units/${unit}/return`, { reason: 'r', location: returns });
      await post(`/units/${unit}/repair`);
      expect((await post(`/units/${unit}/release`)).status).toBe(200);
      expect(await balancesOf(unit)).toEqual([[returns, 'on_hand', QUANTITY_SCALE]]);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('keeps a unit in repair when the release gate refuses; an override with a note is recorded', async () => {
      const { units } = await shippedUnits(1);
      const unit = units[0]!.code;
      await post(`/units/${unit}/return`, { reason: 'r', location: returns });
      await post(`/units/${unit}/repair`);
      const gate = () => Promise.resolve('required test "burn-in" has not passed');
      await expect(releaseUnit(ctx, admin, unit, {}, gate)).rejects.toMatchObject({
        field: 'override',
        message: expect.stringContaining('burn-in'),
      });
      await expect(releaseUnit(ctx, admin, unit, { override: true }, gate)).rejects.toMatchObject({
        field: 'note',
      });
      expect((await api.call('GET', `/api/v1/units/${unit}`)).body.state).toBe('in_repair');
      const released = await releaseUnit(
        ctx,
        admin,
        unit,
        { override: true, note: 'customer accepts untested' },
        gate,
      );
      expect(released.state).toBe('available');
      expect((await historyRows(ctx.db, unit)).at(-1)).toMatchObject({
        type: 'released',
        actorName: 'test-admin',
        data: {
          override: true,
          note: 'customer accepts untested',
          gate: 'required test "burn-in" has not passed',
        },
      });
      // Over HTTP too: override without a note is refused, naming the field.
      const res = await post(`/units/${units[0]!.code}/release`, { override: true });
      expect([res.status, res.body.error.field]).toEqual([400, 'note']);
    });

    it("gates release on the project's required tests; passing them or an override lets it through", async () => {
      const { units, build } = await shippedUnits(2);
      const project = (await api.call('GET', `/api/v1/builds/${build.code}`)).body.project.code;
      const part = (await api.call('GET', `/api/v1/lots/${units[0]!.code}`)).body.part.code;
      expect(
        (await api.call('PATCH', `/api/v1/projects/${project}`, { requireTestsPassed: true }))
          .status,
      ).toBe(200);
      const template = await post(`/parts/${part}/test-templates`, {
        key: 'burn_in',
        name: 'Burn-in',
      });
      expect(template.status).toBe(201);
      for (const u of units) {
        await post(`/units/${u.code}/return`, { reason: 'r', location: returns });
        await post(`/units/${u.code}/repair`);
      }
      const [passed, overridden] = units.map((u) => u.code);
      const refused = await post(`/units/${passed}/release`, {});
      expect([refused.status, refused.body.error.field]).toEqual([409, 'override']);
      expect(refused.body.error.message).toContain('burn_in missing');
      expect((await api.call('GET', `/api/v1/units/${passed}`)).body.state).toBe('in_repair');
      const result = await post(`/units/${passed}/tests`, { key: 'burn_in', value: true });
      expect(result.status).toBe(201);
      expect((await post(`/units/${passed}/release`, {})).body.state).toBe('available');

      const over = await post(`/units/${overridden}/release`, {
        override: true,
        note: 'tester broken, checked by hand',
      });
      expect(over.body.state).toBe('available');
      expect((await historyRows(ctx.db, overridden!)).at(-1)).toMatchObject({
        type: 'released',
        data: {
          override: true,
          note: 'tester broken, checked by hand',
          gate: 'required tests not passed: burn_in missing',
        },
      });
    });

    it('scraps a returned unit: its stock leaves, its history stays', async () => {
      const { units } = await shippedUnits(1);
      const unit = units[0]!.code;
      await post(`/units/${unit}/return`, { reason: 'water damage', location: returns });
      const res = await post(`/units/${unit}/scrap`, { reason: 'beyond repair' });
      expect(res.body).toMatchObject({ state: 'scrapped', allowed: [] });
      expect(await balancesOf(unit)).toEqual([]);
      expect((await historyRows(ctx.db, unit)).at(-1)).toMatchObject({
        type: 'unit_scrapped',
        data: { reason: 'beyond repair', from: 'returned' },
      });
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('validates lifecycle and event input: 4xx naming the field, nothing changed', async () => {
      const { units } = await shippedUnits(2, 1);
      const [shipped, inStock] = units.map((u) => u.code);
      const lot = (await makeLot(ctx)).lot;
      const before = await rowCounts(ctx.db);
      const cases: [string, unknown, number, string][] = [
        [`/units/${shipped}/return`, { location: returns }, 400, 'reason'],
        [`/units/${shipped}/return`, { reason: ' ', location: returns }, 400, 'reason'],
        [
          `/units/${shipped}/return`,
          { reason: 'x'.repeat(2001), location: returns },
          400,
          'reason',
        ],
        [`/units/${shipped}/return`, { reason: 'x' }, 400, 'location'],
        [
          `/units/${shipped}/return`,
          { reason: 'x', location: '0abcdefghjkmn1abcdefghjkmn' },
          404,
          'location',
        ],
        [
          `/units/0abcdefghjkmn1abcdefghjkmn/return`,
          { reason: 'x', location: returns },
          404,
          'code',
        ],
        [`/units/${lot.code}/return`, { reason: 'x', location: returns }, 400, 'code'],
        [`/units/%21%21/repair`, {}, 400, 'code'],
        [`/units/${shipped}/repair`, { note: 5 }, 400, 'note'],
        [`/units/${shipped}/release`, { override: 'yes' }, 400, 'override'],
        [`/units/${shipped}/scrap`, {}, 400, 'reason'],
        [`/units/${inStock}/events`, { type: 'party', text: 'x' }, 400, 'type'],
        [`/units/${inStock}/events`, { type: 'note', text: '' }, 400, 'text'],
        [`/units/${inStock}/events`, { type: 'note', text: 'x'.repeat(10_001) }, 400, 'text'],
        [
          `/units/${inStock}/events`,
          { type: 'note', text: 'x', customFields: { k: 'v'.repeat(1025) } },
          400,
          'customFields',
        ],
        [`/units/${lot.code}/events`, { type: 'note', text: 'x' }, 400, 'code'],
        [`/units/${inStock}/events`, { type: 'note', text: 'x', extra: 1 }, 400, 'body'],
      ];
      for (const [path, body, status, field] of cases) {
        const res = await post(path, body);
        expect(
          [res.status, res.body.error?.field],
          `${path} ${JSON.stringify(body).slice(0, 60)}`,
        ).toEqual([status, expect.stringMatching(new RegExp(`^${field}`))]);
      }
      const viewer = await api.call(
        'POST',
        `/api/v1/units/${inStock}/events`,
        { type: 'note', text: 'x' },
        'viewer',
      );
      expect(viewer.status).toBe(403);
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect(
        (
          await ctx.db
            .selectFrom('service_event')
            .selectAll()
            .where('lot_code', '=', inStock!)
            .execute()
        ).length,
      ).toBe(0);
    });

    it('lists service events oldest first, with paging; readable by viewers', async () => {
      const { units } = await makeUnits(ctx, 1);
      const unit = units[0]!.code;
      for (const [i, type] of (['inspection', 'rework', 'note'] as const).entries()) {
        const res = await post(`/units/${unit}/events`, { type, text: `event ${i}` });
        expect(res.status).toBe(201);
        api.ctx.clock.advance(2);
      }
      const all = await api.call('GET', `/api/v1/units/${unit}/events`, undefined, 'viewer');
      expect(all.status).toBe(200);
      expect(all.body.items.map((e: { type: string }) => e.type)).toEqual([
        'inspection',
        'rework',
        'note',
      ]);
      const page = await api.call('GET', `/api/v1/units/${unit}/events?limit=1&offset=1`);
      expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
      expect(page.body.items[0].text).toBe('event 1');
    });

    it('returns a unit once when requests race: exactly one wins', async () => {
      // Invariant: one return per shipment row; the ledger holds one held unit, not two.
      const { units } = await shippedUnits(1);
      const unit = units[0]!.code;
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          post(`/units/${unit}/return`, { reason: 'race', location: returns }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(await balancesOf(unit)).toEqual([[returns, 'held', QUANTITY_SCALE]]);
      expect(
        (
          await ctx.db
            .selectFrom('service_event')
            .selectAll()
            .where('lot_code', '=', unit)
            .execute()
        ).length,
      ).toBe(1);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('records replacing a sub-assembly during repair as uninstall + install', async () => {
      const line = (await makeLocation(ctx)).code;
      const sub = await makeProject(ctx, [{ perUnit: 1 }], 'Power module');
      await stock(ctx, sub.parts[0]!, [2], line);
      const subBuild = await startBuild(ctx, admin, {
        project: sub.code,
        quantity: 2,
        location: line,
        run: true,
      });
      const [m1, m2] = (await listBuildUnits(ctx, subBuild.code, {})).items.map((u) => u.code);
      const top = await makeProject(ctx, [{ part: sub.part, perUnit: 1 }], 'Controller');
      const topBuild = await startBuild(ctx, admin, {
        project: top.code,
        quantity: 1,
        location: line,
      });
      const t1 = (await listBuildUnits(ctx, topBuild.code, {})).items[0]!.code;
      expect((await post('/installations', { child: m1, parent: t1 })).status).toBe(201);
      await finishBuild(ctx, admin, topBuild.code, {
        allowIncomplete: true,
        note: 'installed by hand',
      });
      const shipped = await post('/shipments', { customer: 'C', reference: 'R', units: [t1] });
      expect(shipped.status).toBe(201);
      await post(`/units/${t1}/return`, { reason: 'no power', location: returns });
      // Installing into a returned unit is refused: start the repair first.
      await post(`/units/${t1}/repair`, { note: 'swap the power module' });
      const removed = await post('/installations/remove', { child: m1, reason: 'faulty' });
      expect(removed.status).toBe(200);
      expect((await post('/installations', { child: m2, parent: t1 })).status).toBe(201);
      expect((await post(`/units/${t1}/release`, {})).status).toBe(200);
      const types = (await historyRows(ctx.db, t1)).map((h) => h.type);
      expect(types.slice(-5)).toEqual([
        'returned',
        'repair_started',
        'uninstalled',
        'installed',
        'released',
      ]);
      const states = await ctx.db
        .selectFrom('lot')
        .select(['code', 'unit_state'])
        .where('code', 'in', [m1!, m2!, t1])
        .execute();
      expect(Object.fromEntries(states.map((s) => [s.code, s.unit_state]))).toEqual({
        [m1!]: 'available',
        [m2!]: 'installed',
        [t1]: 'available',
      });
      expect((await checkLedger(ctx)).ok).toBe(true);
    });
  });
}
